'use client';

/**
 * The network drawn as neurons and weights, small enough for a phone: every weight is an edge
 * whose colour and line style give the sign of its blame ∂L/∂w for the shown training point and
 * whose thickness grows with its size. Neurons show their value at that point. The drawing is
 * one image to assistive technology (its name summarises it); the parameter table below it
 * carries every value and gradient as text, and the weight picker is the keyboard's way in.
 *
 * Test contract: `data-node` with `data-value`/`data-grad` on every neuron (x1, h1_2, p), on L,
 * and on every parameter's table row (w1_21, b1_2); edges carry `data-param`.
 */
import { memo } from 'react';

import { HIDDEN_UNITS, biasName, hiddenName, inputName, layersOf, weightName } from '@/lib/network/model';

import { dataNumber, formatNumber } from '../format';
import { TableScroll } from '../TableScroll';
import shared from '../widgets.module.css';

import { prettyName } from './names';
import styles from './network.module.css';

const WIDTH = 340;
const HEIGHT = 214;
const R = 19;

export interface LayerViewProps {
  depth: number;
  /** Every named value of the shown point's run (x1, h1_2, p, L, parameters). */
  values: Readonly<Record<string, number>>;
  /** ∂L/∂name for that point. */
  grads: Readonly<Record<string, number>>;
  /** ∂J/∂parameter over all points, by name. */
  batchGrads: Readonly<Record<string, number>>;
  picked: string;
  onPath: ReadonlySet<string>;
  /** Parameter whose gradient is still hidden (predict first). */
  hiddenGrad: string | null;
  onPick: (name: string) => void;
  summary: string;
}

function column(depth: number, index: number): number {
  return 34 + (index * (WIDTH - 110)) / depth;
}

function unitY(count: number, j: number): number {
  return HEIGHT / 2 + (j - (count - 1) / 2) * 62;
}

interface Neuron {
  name: string;
  x: number;
  y: number;
}

function neuronsOf(depth: number): Neuron[][] {
  const columns: Neuron[][] = [[1, 2].map((k, i) => ({ name: inputName(k), x: column(depth, 0), y: unitY(2, i) }))];
  for (const layer of layersOf(depth)) {
    const names =
      layer.index === depth ? ['p'] : Array.from({ length: HIDDEN_UNITS }, (_, j) => hiddenName(layer.index, j + 1));
    columns.push(names.map((name, j) => ({ name, x: column(depth, layer.index), y: unitY(names.length, j) })));
  }
  return columns;
}

/** Static: hoisted, so a training step does not re-render it. */
const LEGEND = (
  <ul className={styles.blameLegend}>
    <li>
      <span className={`${styles.swatch} ${styles.swatchPlus}`} />
      solid: ∂L/∂w &gt; 0, a step lowers w
    </li>
    <li>
      <span className={`${styles.swatch} ${styles.swatchMinus}`} />
      dashed: ∂L/∂w &lt; 0, a step raises w
    </li>
    <li>
      <span className={`${styles.swatch} ${styles.swatchThin}`} />
      thicker: more blame (thinnest: none)
    </li>
  </ul>
);

const TABLE_HEAD = (
  <>
    <caption>Values, blame for this point (∂L/∂) and averaged over all points (∂J/∂, what a step uses)</caption>
    <thead>
      <tr>
        <th scope="col">Parameter</th>
        <th scope="col">Value</th>
        <th scope="col">∂L/∂ this point</th>
        <th scope="col">∂J/∂ all points</th>
      </tr>
    </thead>
  </>
);

/** A neuron's circle and name: the same on every step, so memoised. */
const NeuronShape = memo(function NeuronShape({ name, x, y }: Neuron) {
  return (
    <>
      <circle className={`${styles.neuron} ${name === 'p' ? styles.neuronOut : ''}`} cx={x} cy={y} r={R} />
      <text className={styles.neuronName} x={x} y={y - R - 4} textAnchor="middle">
        {prettyName(name)}
      </text>
    </>
  );
});

function LayerViewImpl({
  depth,
  values,
  grads,
  batchGrads,
  picked,
  onPath,
  hiddenGrad,
  onPick,
  summary,
}: LayerViewProps) {
  const columns = neuronsOf(depth);
  let largest = 0;
  for (const layer of layersOf(depth))
    for (let j = 1; j <= layer.outputs; j++)
      for (let k = 1; k <= layer.inputs; k++)
        largest = Math.max(largest, Math.abs(grads[weightName(layer.index, j, k)] ?? 0));
  const width = (g: number) => (largest > 0 ? 1 + 6 * Math.sqrt(Math.abs(g) / largest) : 1);
  const output = columns[columns.length - 1]![0]!;
  const lossX = WIDTH - 22;
  const edges = layersOf(depth).flatMap((layer) => {
    const from = columns[layer.index - 1]!;
    const to = columns[layer.index]!;
    return to.flatMap((target, j) =>
      from.map((source, k) => ({ name: weightName(layer.index, j + 1, k + 1), source, target })),
    );
  });
  const pickedEdge = edges.find((edge) => edge.name === picked);

  return (
    <>
      {/* Scrolls sideways on the smallest phones: in the tab order so a keyboard can scroll it (axe). */}
      <div className={styles.layerScroll} tabIndex={0} role="region" aria-label="Layer view drawing">
        <svg
          className={`${styles.layerSvg} ${styles.dimmed}`}
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          role="img"
          aria-label={summary}
        >
          {edges.map(({ name, source, target }) => {
            const g = grads[name] ?? 0;
            const sign =
              name === hiddenGrad || g === 0 ? styles.blameZero : g > 0 ? styles.blamePlus : styles.blameMinus;
            const className = [
              styles.weight,
              name === hiddenGrad ? '' : sign,
              name === hiddenGrad ? styles.blameZero : '',
              name === picked ? styles.weightPicked : '',
              onPath.has(name) ? styles.weightOnPath : '',
            ]
              .filter(Boolean)
              .join(' ');
            const x1 = source.x + R;
            const x2 = target.x - R;
            return (
              <g key={name} className={className} data-param={name} onClick={() => onPick(name)}>
                <line className={styles.weightHit} x1={x1} y1={source.y} x2={x2} y2={target.y} />
                <line
                  className={styles.weightLine}
                  x1={x1}
                  y1={source.y}
                  x2={x2}
                  y2={target.y}
                  strokeWidth={name === hiddenGrad ? 1.5 : width(g)}
                />
              </g>
            );
          })}
          <line className={styles.curveAxis} x1={output.x + R} y1={output.y} x2={lossX - 16} y2={output.y} />
          {columns.flat().map((neuron) => (
            <g
              key={neuron.name}
              data-node={neuron.name}
              data-value={dataNumber(values[neuron.name] ?? Number.NaN)}
              data-grad={dataNumber(grads[neuron.name] ?? Number.NaN)}
            >
              <NeuronShape name={neuron.name} x={neuron.x} y={neuron.y} />
              <text className={styles.neuronText} x={neuron.x} y={neuron.y + 4} textAnchor="middle">
                {formatNumber(values[neuron.name] ?? Number.NaN, 2)}
              </text>
            </g>
          ))}
          <g data-node="L" data-value={dataNumber(values.L ?? Number.NaN)} data-grad="1">
            <rect
              className={`${styles.neuron} ${styles.neuronOut}`}
              x={lossX - 16}
              y={output.y - 14}
              width={32}
              height={28}
              rx={5}
            />
            <text className={styles.neuronText} x={lossX} y={output.y + 4} textAnchor="middle">
              {formatNumber(values.L ?? Number.NaN, 2)}
            </text>
            <text className={styles.neuronName} x={lossX} y={output.y - 20} textAnchor="middle">
              L
            </text>
          </g>
          {pickedEdge ? (
            // Under the drawing, not on the edge: between closely spaced layers it would cover a neuron.
            <text className={styles.weightLabel} x={4} y={HEIGHT - 4}>
              highlighted: {prettyName(picked)} = {formatNumber(values[picked] ?? Number.NaN, 3)}
            </text>
          ) : null}
        </svg>
      </div>
      {LEGEND}
      {/* Open for the one-hidden-layer network (13 rows); deeper ones start folded (up to 37). */}
      <details className={shared.tableDetails} open={depth === 2 || undefined}>
        <summary>Every parameter: value and gradient</summary>
        <TableScroll>
          <table className={shared.table}>
            {TABLE_HEAD}
            <tbody>
              {layersOf(depth).flatMap((layer) => {
                const names: string[] = [];
                for (let j = 1; j <= layer.outputs; j++)
                  for (let k = 1; k <= layer.inputs; k++) names.push(weightName(layer.index, j, k));
                for (let j = 1; j <= layer.outputs; j++) names.push(biasName(layer.index, j));
                return names.map((name) => {
                  const hidden = name === hiddenGrad;
                  return (
                    <tr
                      key={name}
                      data-node={name}
                      data-value={dataNumber(values[name] ?? Number.NaN)}
                      data-grad={dataNumber(grads[name] ?? Number.NaN)}
                      aria-current={name === picked ? 'true' : undefined}
                    >
                      <th scope="row">{prettyName(name)}</th>
                      <td>{formatNumber(values[name] ?? Number.NaN)}</td>
                      <td>{hidden ? '?' : formatNumber(grads[name] ?? Number.NaN)}</td>
                      <td>{hidden ? '?' : formatNumber(batchGrads[name] ?? Number.NaN)}</td>
                    </tr>
                  );
                });
              })}
            </tbody>
          </table>
        </TableScroll>
      </details>
    </>
  );
}

export const LayerView = memo(LayerViewImpl);
