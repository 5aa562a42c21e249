'use client';

import { useMemo, useState } from 'react';

import { EXAMPLE_PROGRAMS, LESSON_NEURON, LESSON_WORKED_EXAMPLE } from '@/lib/autodiff/examples';
import { compile, type CompiledProgram } from '@/lib/autodiff/program';
import { pathsToOutput } from '@/lib/graph/paths';
import { edgeKey, readableNodeName as readableName, type GraphLayout } from '@/lib/graph/types';
import { defineWidgetState, name, oneOf } from '@/lib/widgets/url-state';

import { Choice } from '../Choice';
import { formatNumber } from '../format';
import { GraphLegend } from '../GraphLegend';
import { GraphView } from '../GraphView';
import { NodeTable } from '../NodeTable';
import { PredictReveal } from '../PredictReveal';
import { useWidgetEvents } from '../useWidgetEvents';
import { useWidgetUrlState } from '../useWidgetUrlState';
import { WidgetFrame } from '../WidgetFrame';
import styles from '../widgets.module.css';

type GraphId = 'neuron' | 'reused';

const STATE = defineWidgetState({ graph: oneOf(['neuron', 'reused'] as const, 'neuron'), node: name('w') }, [
  'predict',
]);

const REUSED = EXAMPLE_PROGRAMS.find((program) => program.id === 'reused-node')!;
const GRAPHS: Record<GraphId, { source: string; env: Record<string, number>; defaultNode: string; title: string }> = {
  // The worked example's neuron and numbers: the lesson text quotes its dL/dw next to this widget.
  neuron: { source: LESSON_NEURON.bce, env: LESSON_WORKED_EXAMPLE, defaultNode: 'w', title: 'the lesson neuron' },
  reused: { source: REUSED.source, env: REUSED.env, defaultNode: 'u', title: 'u = w·x, v = u·c, L = u + v' },
};
const GRAPH_OPTIONS: readonly { value: GraphId; label: string }[] = [
  { value: 'neuron', label: 'the lesson neuron' },
  { value: 'reused', label: 'a reused node: L = u + u·c' },
];

const programs: Partial<Record<GraphId, CompiledProgram>> = {};
const programOf = (graph: GraphId) => (programs[graph] ??= compile(GRAPHS[graph].source));

export interface BlamePathsClientProps {
  id: string;
  layouts: Record<GraphId, GraphLayout>;
}

export function BlamePathsClient({ id, layouts }: BlamePathsClientProps) {
  const { values, hidden, locked, set, reset, shareUrl } = useWidgetUrlState(id, STATE);
  const { markUsed } = useWidgetEvents('blame-paths', id);
  const graph = values.graph;
  const layout = layouts[graph];
  const run = useMemo(() => programOf(graph).run(GRAPHS[graph].env), [graph]);

  // Any node but the output can be blamed; an unknown name in the URL falls back.
  const choices = layout.nodes.filter((node) => node.id !== layout.output);
  const picked =
    choices.find((node) => node.name === values.node) ??
    choices.find((node) => node.name === GRAPHS[graph].defaultNode)!;
  // A handful of paths on a fixed graph: cheap enough to enumerate on every render.
  const { paths, sum } = pathsToOutput(run.trace, picked.id);
  const engineGrad = run.trace.nodes.find((node) => node.id === picked.id)!.grad;

  const [focusPath, setFocusPath] = useState<number | null>(null);
  /** The path left out of the sum ("hide one path"), keyed by setup so a new node starts whole. */
  const [hiddenPath, setHiddenPath] = useState<{ setup: string; index: number } | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const setupKey = `${graph}|${picked.name}`;
  const revealed = shown === setupKey;
  const hiddenIndex = hiddenPath?.setup === setupKey && hiddenPath.index < paths.length ? hiddenPath.index : null;
  const keptSum = paths.reduce((acc, path, index) => (index === hiddenIndex ? acc : acc + path.product), 0);

  const labelOf = (nodeId: number) => readableName(layout, nodeId);

  const highlight = new Set<string>();
  const visiblePaths =
    focusPath === null
      ? paths.filter((_, index) => index !== hiddenIndex)
      : paths.filter((_, index) => index === focusPath);
  for (const path of visiblePaths) for (const edge of path.edges) highlight.add(edgeKey(edge));
  const highlightNodes = new Set<number>([picked.id]);
  const edgeLabels: Record<string, string> = {};
  for (const path of paths)
    for (const edge of path.edges) edgeLabels[edgeKey(edge)] = formatNumber(edge.localDerivative);
  const hiddenGrads = revealed ? undefined : new Set([picked.id]);
  const target = `dL/d${picked.name}`;

  return (
    <WidgetFrame
      kind="blame-paths"
      id={id}
      caption="Pick a node: each path from it to L multiplies the local derivatives along the way, and the gradient is the sum over all paths."
      onReset={() => {
        setShown(null);
        setFocusPath(null);
        setHiddenPath(null);
        reset();
      }}
      shareUrl={shareUrl}
    >
      <Choice
        legend="Graph"
        name={`${id}-graph`}
        value={graph}
        options={GRAPH_OPTIONS}
        hidden={hidden.has('graph')}
        locked={locked.has('graph')}
        onChange={(next) => {
          markUsed('graph');
          setFocusPath(null);
          set({ graph: next, node: GRAPHS[next].defaultNode });
        }}
      />
      {hidden.has('node') ? null : (
        <fieldset className={styles.choice} disabled={locked.has('node')} data-control="node">
          <legend>Blame</legend>
          {choices.map((node) => (
            <label key={node.id}>
              <input
                type="radio"
                name={`${id}-node`}
                value={node.name}
                checked={node.id === picked.id}
                onChange={() => {
                  markUsed('node');
                  setFocusPath(null);
                  set({ node: node.name });
                }}
              />
              {readableName(layout, node.id)}
            </label>
          ))}
        </fieldset>
      )}

      <GraphView
        layout={layout}
        trace={run.trace}
        label={`Computational graph of ${GRAPHS[graph].title}, paths from ${picked.name} to L highlighted`}
        highlightEdges={highlight}
        highlightNodes={highlightNodes}
        dimOthers
        edgeLabels={edgeLabels}
        hiddenGrads={hiddenGrads}
      />
      <GraphLegend />

      <div className={styles.paths} data-paths-for={picked.name} data-path-count={paths.length}>
        <p className={styles.pathsTitle}>
          {paths.length === 1 ? 'One path' : `${paths.length} paths`} from {picked.name} to L:
        </p>
        <ol className={styles.pathList}>
          {paths.map((path, index) => (
            <li
              key={path.edges.map(edgeKey).join('|')}
              data-path-product={revealed ? String(path.product) : undefined}
              data-path-hidden={index === hiddenIndex ? 'true' : undefined}
              className={[focusPath === index ? styles.pathFocused : '', index === hiddenIndex ? styles.pathHidden : '']
                .filter(Boolean)
                .join(' ')}
            >
              <button
                type="button"
                className={styles.pathButton}
                aria-pressed={focusPath === index}
                onClick={() => setFocusPath(focusPath === index ? null : index)}
                onMouseEnter={() => setFocusPath(index)}
                onMouseLeave={() => setFocusPath(null)}
              >
                {[path.nodes[0]!, ...path.nodes.slice(1)].map(labelOf).join(' → ')}
              </button>
              <span className={styles.pathProduct}>
                {[...path.edges]
                  .reverse()
                  .map((edge) => formatNumber(edge.localDerivative))
                  .join(' × ')}{' '}
                = <span className={styles.backwardNumber}>{revealed ? formatNumber(path.product) : '?'}</span>
              </span>
              <button
                type="button"
                className={`${styles.button} ${styles.buttonQuiet} ${styles.hidePath}`}
                aria-pressed={index === hiddenIndex}
                aria-label={`Hide path ${index + 1} from the sum`}
                onClick={() => {
                  markUsed('hide-path');
                  setHiddenPath(index === hiddenIndex ? null : { setup: setupKey, index });
                }}
              >
                {index === hiddenIndex ? 'Hidden: show it' : 'Hide this path'}
              </button>
            </li>
          ))}
        </ol>
        <p className={styles.pathsSum} role="status" data-kept-sum={hiddenIndex === null ? undefined : String(keptSum)}>
          {hiddenIndex === null ? null : !revealed ? (
            <>Path {hiddenIndex + 1} is hidden. Predict or reveal the gradient below to compare the sums.</>
          ) : (
            <>
              With path {hiddenIndex + 1} hidden, the sum is <strong>{formatNumber(keptSum)}</strong>
              {paths.length === 1 ? ' (no path is left)' : ''}, not {formatNumber(sum)}: it loses exactly that
              path&rsquo;s product, {formatNumber(paths[hiddenIndex]!.product)}. A backward pass that dropped this path
              would hand {picked.name} the wrong gradient.
            </>
          )}
        </p>
      </div>

      {hidden.has('predict') ? null : (
        <PredictReveal
          key={setupKey}
          widget="blame-paths"
          instance={id}
          target={target}
          targetLabel={`∂L/∂${picked.name}`}
          actual={engineGrad}
          revealed={revealed}
          onReveal={() => setShown(setupKey)}
          allowValue
          locked={locked.has('predict')}
        >
          <p data-paths-sum={String(sum)} data-engine-grad={String(engineGrad)}>
            Sum over{' '}
            {paths.length === 1 ? 'the one path' : paths.length === 2 ? 'both paths' : `all ${paths.length} paths`}:{' '}
            <strong className={styles.backwardNumber}>{formatNumber(sum)}</strong>. The engine&rsquo;s ∂L/∂
            {picked.name} is {formatNumber(engineGrad)}
            {Math.abs(sum - engineGrad) <= 1e-12 * Math.max(1, Math.abs(engineGrad)) ? ': they agree.' : '.'}
          </p>
          {paths.length > 1 ? (
            <p className={styles.naive} data-naive>
              Multiplying along one path only gives{' '}
              {paths.map((path, index) => (
                <span key={index}>
                  {index > 0 ? (index === paths.length - 1 ? ' or ' : ', ') : ''}
                  <strong>{formatNumber(path.product)}</strong>
                </span>
              ))}
              : wrong. A node used twice gets blame from both uses, so the products add up. Code that sets a gradient
              with <code>=</code> instead of accumulating with <code>+=</code> keeps only the last path
              (micrograd&rsquo;s classic bug).
            </p>
          ) : null}
        </PredictReveal>
      )}
      <NodeTable
        layout={layout}
        trace={run.trace}
        hiddenGrads={hiddenGrads}
        caption={`Every node of ${GRAPHS[graph].title}: its value and ∂L/∂node`}
      />
    </WidgetFrame>
  );
}
