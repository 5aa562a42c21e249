'use client';

import { useId, useMemo } from 'react';

import type { GraphLayout } from '@/lib/graph/types';
import { H_EXPONENT_MAX, H_EXPONENT_MIN, nudgeLadder, type NudgeRow } from '@/lib/widgets/nudge';
import { defineWidgetState, num, oneOf } from '@/lib/widgets/url-state';

import { Choice } from '../Choice';
import { dataNumber, formatNumber } from '../format';
import styles from '../lab.module.css';
import { LOSS_OPTIONS, NEURON_FIELDS, neuronProgram, type Loss, type NeuronSlider } from '../neuron';
import { NodeTable } from '../NodeTable';
import { TableScroll } from '../TableScroll';
import { useWidgetControls } from '../useWidgetUrlState';
import { VariableSlider } from '../VariableSlider';
import { WidgetFrame } from '../WidgetFrame';
import shared from '../widgets.module.css';

/** Defaults: the lesson's worked example (cross-entropy, w = 0.8, b = -0.5) and h = 0.1. */
const STATE = defineWidgetState({
  w: NEURON_FIELDS.w,
  b: NEURON_FIELDS.b,
  x: NEURON_FIELDS.x,
  y: NEURON_FIELDS.y,
  loss: NEURON_FIELDS.loss,
  nudge: oneOf(['w', 'b'] as const, 'w'),
  /** h = 10^hExp. */
  hExp: num(-1, H_EXPONENT_MIN, H_EXPONENT_MAX, true),
});

/** The neuron's sliders with the two nudgeable parameters, w and b, first. */
const SLIDERS: readonly NeuronSlider[] = [
  { name: 'w', description: 'weight', min: -3, max: 3 },
  { name: 'b', description: 'bias', min: -3, max: 3 },
  { name: 'x', description: 'input', min: -3, max: 3 },
  { name: 'y', description: 'target', min: 0, max: 1 },
];

const NUDGE_OPTIONS = [
  { value: 'w', label: 'w' },
  { value: 'b', label: 'b' },
] as const;

/** Enough digits to watch the estimates converge on the backprop value. */
const ESTIMATE_DIGITS = 10;

function hText(exponent: number): string {
  return exponent === 0 ? '1' : `1e${exponent}`;
}

function errorText(relError: number): string {
  if (relError === 0) return '0';
  return relError.toExponential(1).replace('-', '\u2212');
}

/** Relative errors below this are drawn at the floor (float64 cannot resolve them). */
const ERROR_FLOOR = 1e-16;
const PLOT = { width: 340, height: 170, left: 44, right: 12, top: 12, bottom: 34 };

/** log10(relative error) against log10(h), small h on the left like the slider. */
function ErrorPlot({ rows, hExp, variable }: { rows: readonly NudgeRow[]; hExp: number; variable: string }) {
  const innerWidth = PLOT.width - PLOT.left - PLOT.right;
  const innerHeight = PLOT.height - PLOT.top - PLOT.bottom;
  const px = (exponent: number) =>
    PLOT.left + ((exponent - H_EXPONENT_MIN) / (H_EXPONENT_MAX - H_EXPONENT_MIN)) * innerWidth;
  // y: 10^0 at the top, 10^-16 at the bottom.
  const py = (relError: number) => {
    const exponent = Math.log10(Math.max(ERROR_FLOOR, Math.min(1, relError)));
    return PLOT.top + (-exponent / 16) * innerHeight;
  };
  const series = (key: 'forwardRelError' | 'centralRelError') =>
    rows.map((row) => `${px(Math.round(Math.log10(row.h))).toFixed(1)},${py(row[key]).toFixed(1)}`).join(' ');
  const best = (key: 'forwardRelError' | 'centralRelError') =>
    rows.reduce((min, row) => (row[key] < min[key] ? row : min), rows[0]!);
  const summary =
    `Relative error of the two estimates of ∂L/∂${variable} for h from 1 to 1e-12 (log scales). ` +
    `Forward difference is best at h = ${best('forwardRelError').h}, central difference at h = ${best('centralRelError').h}; ` +
    'below those, round-off makes both worse again.';
  return (
    <svg className={styles.plot} viewBox={`0 0 ${PLOT.width} ${PLOT.height}`} role="img" aria-label={summary}>
      {[0, -4, -8, -12, -16].map((exponent) => (
        <g key={exponent}>
          <line
            className={styles.grid}
            x1={PLOT.left}
            x2={PLOT.width - PLOT.right}
            y1={py(10 ** exponent)}
            y2={py(10 ** exponent)}
          />
          <text className={styles.tick} x={PLOT.left - 4} y={py(10 ** exponent) + 4} textAnchor="end">
            {exponent === 0 ? '1' : `1e${exponent}`}
          </text>
        </g>
      ))}
      {[-12, -8, -4, 0].map((exponent) => (
        <text
          key={exponent}
          className={styles.tick}
          x={px(exponent)}
          y={PLOT.top + innerHeight + 14}
          textAnchor="middle"
        >
          {hText(exponent)}
        </text>
      ))}
      <text className={styles.axisLabel} x={PLOT.left + innerWidth / 2} y={PLOT.height - 3} textAnchor="middle">
        step h (log scale)
      </text>
      <line className={styles.marker} x1={px(hExp)} x2={px(hExp)} y1={PLOT.top} y2={PLOT.top + innerHeight} />
      <polyline className={styles.seriesForward} points={series('forwardRelError')} />
      <polyline className={styles.seriesCentral} points={series('centralRelError')} />
      {rows.map((row) => {
        const exponent = Math.round(Math.log10(row.h));
        return (
          <g key={row.h}>
            <rect
              className={styles.dotForward}
              x={px(exponent) - 3}
              y={py(row.forwardRelError) - 3}
              width={6}
              height={6}
            />
            <circle className={styles.dotCentral} cx={px(exponent)} cy={py(row.centralRelError)} r={3.2} />
          </g>
        );
      })}
    </svg>
  );
}

export interface NudgeTestClientProps {
  id: string;
  layouts: Record<Loss, GraphLayout>;
}

export function NudgeTestClient({ id, layouts }: NudgeTestClientProps) {
  const { values, hidden, locked, update, reset, shareUrl } = useWidgetControls('nudge-test', id, STATE);
  const hLabelId = useId();
  const { w, b, x, y, loss, nudge, hExp } = values;
  const program = neuronProgram(loss);
  const env = useMemo(() => ({ w, b, x, y }), [w, b, x, y]);
  const run = useMemo(() => program.run(env), [program, env]);
  // The whole ladder (13 values of h, 3 runs each) is a few dozen runs of a 7-node tape.
  const ladder = useMemo(() => nudgeLadder(program, env, nudge), [program, env, nudge]);
  const row = ladder[H_EXPONENT_MAX - hExp]!;
  const v = env[nudge];
  const h = row.h;

  const methods = [
    {
      method: 'forward',
      name: 'Forward difference',
      formula: `(L(${nudge} + h) − L(${nudge})) / h`,
      estimate: row.forward,
      relError: row.forwardRelError,
    },
    {
      method: 'central',
      name: 'Central difference',
      formula: `(L(${nudge} + h) − L(${nudge} − h)) / 2h`,
      estimate: row.central,
      relError: row.centralRelError,
    },
    {
      method: 'backprop',
      name: 'Backprop (chain rule)',
      formula: 'one backward pass',
      estimate: row.backprop,
      relError: 0,
    },
  ] as const;

  return (
    <WidgetFrame
      kind="nudge-test"
      id={id}
      caption={
        <>
          Shrink h: the forward difference improves ten-fold per step, the central difference a hundred-fold, until
          float64 round-off (about 1e−16 of L) divided by a tiny h swamps both.
        </>
      }
      onReset={reset}
      shareUrl={shareUrl}
    >
      <div className={shared.controls}>
        {SLIDERS.map((slider) => (
          <VariableSlider
            key={slider.name}
            name={slider.name}
            description={slider.description}
            min={slider.min}
            max={slider.max}
            value={values[slider.name]}
            hidden={hidden.has(slider.name)}
            locked={locked.has(slider.name)}
            onChange={(value) => update(slider.name, { [slider.name]: value })}
          />
        ))}
        {hidden.has('hExp') ? null : (
          <div className={styles.hControl} data-control="h">
            <span className={styles.hName} aria-hidden="true">
              h
            </span>
            <span className={styles.hDescription} id={hLabelId}>
              step size, log scale{locked.has('hExp') ? ' (locked)' : ''}
            </span>
            <input
              className={shared.range}
              type="range"
              aria-label="h"
              aria-describedby={hLabelId}
              aria-valuetext={`h = ${hText(hExp)}`}
              min={H_EXPONENT_MIN}
              max={H_EXPONENT_MAX}
              step={1}
              value={hExp}
              disabled={locked.has('hExp')}
              onChange={(event) => update('h', { hExp: Number(event.currentTarget.value) })}
            />
            <output className={styles.hValue} data-h={dataNumber(h)}>
              {hText(hExp)}
            </output>
          </div>
        )}
      </div>
      <div className={styles.row}>
        <Choice
          legend="Nudge"
          name={`${id}-nudge`}
          value={nudge}
          options={NUDGE_OPTIONS}
          hidden={hidden.has('nudge')}
          locked={locked.has('nudge')}
          onChange={(next) => update('nudge', { nudge: next })}
        />
        <Choice
          legend="Loss"
          name={`${id}-loss`}
          value={loss}
          options={LOSS_OPTIONS}
          hidden={hidden.has('loss')}
          locked={locked.has('loss')}
          onChange={(next) => update('loss', { loss: next })}
        />
      </div>
      <p className={shared.readout}>
        <span>
          L({nudge} = {formatNumber(v)}) = <span className={shared.forwardNumber}>{formatNumber(row.loss, 8)}</span>
        </span>
        <span>
          L({nudge} + h) = <span className={shared.forwardNumber}>{formatNumber(row.lossAbove, 8)}</span>
        </span>
        <span>
          L({nudge} − h) = <span className={shared.forwardNumber}>{formatNumber(row.lossBelow, 8)}</span>
        </span>
      </p>
      <TableScroll>
        <table className={`${shared.table} ${styles.results}`} data-h={dataNumber(h)}>
          <caption>
            Three ways to get ∂L/∂{nudge} at h = {hText(hExp)}
          </caption>
          <thead>
            <tr>
              <th scope="col">Method</th>
              <th scope="col">∂L/∂{nudge}</th>
              <th scope="col">Relative error</th>
            </tr>
          </thead>
          <tbody>
            {methods.map((method) => (
              <tr
                key={method.method}
                data-method={method.method}
                data-estimate={dataNumber(method.estimate)}
                data-rel-error={dataNumber(method.relError)}
              >
                <th scope="row">
                  {method.name}
                  <span className={styles.formula}>{method.formula}</span>
                </th>
                <td className={styles.numeric}>{formatNumber(method.estimate, ESTIMATE_DIGITS)}</td>
                <td className={styles.numeric}>
                  {method.method === 'backprop' ? 'reference' : errorText(method.relError)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <div className={styles.plotBlock}>
        <ErrorPlot rows={ladder} hExp={hExp} variable={nudge} />
        <ul className={styles.plotLegend}>
          <li>
            <span className={styles.keyForward} aria-hidden="true" /> forward difference (squares)
          </li>
          <li>
            <span className={styles.keyCentral} aria-hidden="true" /> central difference (dots)
          </li>
          <li>
            <span className={styles.keyMarker} aria-hidden="true" /> current h
          </li>
        </ul>
      </div>
      <details className={shared.tableDetails}>
        <summary>Relative error for every h, as a table</summary>
        <TableScroll>
          <table className={shared.table}>
            <caption>Relative error against backprop&rsquo;s ∂L/∂{nudge}</caption>
            <thead>
              <tr>
                <th scope="col">h</th>
                <th scope="col">Forward difference</th>
                <th scope="col">Central difference</th>
              </tr>
            </thead>
            <tbody>
              {ladder.map((entry) => (
                <tr key={entry.h}>
                  <th scope="row">{hText(Math.round(Math.log10(entry.h)))}</th>
                  <td>{errorText(entry.forwardRelError)}</td>
                  <td>{errorText(entry.centralRelError)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </details>
      <NodeTable
        layout={layouts[loss]}
        trace={run.trace}
        caption="Every node at the current point: value and ∂L/∂node"
      />
    </WidgetFrame>
  );
}
