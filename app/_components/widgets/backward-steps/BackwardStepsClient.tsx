'use client';

import { useEffect, useMemo, useState } from 'react';

import { backwardSteps, knownGradients } from '@/lib/graph/backward-steps';
import type { GraphLayout } from '@/lib/graph/types';
import { edgeKey } from '@/lib/graph/types';
import { defineWidgetState, num } from '@/lib/widgets/url-state';

import { Choice } from '../Choice';
import { formatNumber } from '../format';
import { GraphLegend } from '../GraphLegend';
import { GraphView } from '../GraphView';
import { LOSS_OPTIONS, NEURON_FIELDS, NEURON_SLIDERS, neuronProgram, type Loss } from '../neuron';
import { NodeTable } from '../NodeTable';
import { PredictReveal } from '../PredictReveal';
import { useWidgetControls } from '../useWidgetUrlState';
import { VariableSlider } from '../VariableSlider';
import { WidgetFrame } from '../WidgetFrame';
import styles from '../widgets.module.css';

const STATE = defineWidgetState({ ...NEURON_FIELDS, step: num(0, 0, 64, true) }, ['timeline', 'predict']);
const PLAY_INTERVAL_MS = 1100;

export interface Factor {
  from: string;
  to: string;
  /**
   * Keys of the graph edges this factor multiplies, from the loss side: one edge, or two for
   * ∂z/∂w = ∂z/∂p · ∂p/∂w (the graph's product node p).
   */
  edges: readonly string[];
  /** KaTeX HTML of ∂to/∂from, rendered on the server. */
  html: string;
}

export interface BackwardStepsClientProps {
  id: string;
  layouts: Record<Loss, GraphLayout>;
  lhsHtml: string;
  factors: readonly Factor[];
}

export function BackwardStepsClient({ id, layouts, lhsHtml, factors }: BackwardStepsClientProps) {
  const { values, hidden, locked, set, update, markUsed, reset, shareUrl } = useWidgetControls(
    'backward-steps',
    id,
    STATE,
  );
  const { x, w, b, y, loss } = values;
  const layout = layouts[loss];
  const run = useMemo(() => neuronProgram(loss).run({ w, x, b, y }), [loss, w, x, b, y]);
  const steps = useMemo(() => backwardSteps(run.trace), [run]);
  const total = steps.length;
  const step = Math.min(values.step, total);
  const current = step > 0 ? steps[step - 1]! : null;

  const [hoverEdges, setHoverEdges] = useState<readonly string[] | null>(null);
  const [playRequested, setPlaying] = useState(false);
  const playing = playRequested && step < total;

  const names = useMemo(() => new Map(layout.nodes.map((node) => [node.id, node.name])), [layout]);
  const nameOf = (nodeId: number) => names.get(nodeId) ?? String(nodeId);
  const wId = layout.nodes.find((node) => node.name === 'w')!.id;
  const wStep = steps.findIndex((s) => s.edge.from === wId) + 1;
  const stepOfEdge = useMemo(() => new Map(steps.map((s, index) => [edgeKey(s.edge), index + 1])), [steps]);
  // The answer is revealed by stepping, one factor at a time, never all at once: a prediction
  // only records the guess (issue 16, item 9). "Just show me" steps to w.
  const revealed = step >= wStep;
  /** The step that completes a factor (its last edge), and its value (the product of its edges). */
  const factorStep = (factor: Factor) => Math.max(...factor.edges.map((edge) => stepOfEdge.get(edge) ?? 0));
  const factorValue = (factor: Factor) =>
    factor.edges.reduce((acc, edge) => acc * (steps[(stepOfEdge.get(edge) ?? 1) - 1]?.local ?? NaN), 1);

  const known = knownGradients(run.trace, steps, step);
  const hiddenGrads = new Set(run.trace.nodes.filter((node) => !known.has(node.id)).map((node) => node.id));
  if (revealed) hiddenGrads.delete(wId);

  const edgeLabels: Record<string, string> = {};
  for (const s of steps.slice(0, step)) edgeLabels[edgeKey(s.edge)] = formatNumber(s.local);
  const highlight = new Set<string>();
  if (current) highlight.add(edgeKey(current.edge));
  for (const edge of hoverEdges ?? []) highlight.add(edge);

  const go = (next: number, control = 'timeline') => update(control, { step: Math.max(0, Math.min(total, next)) });

  useEffect(() => {
    if (!playing) return;
    const timer = window.setTimeout(() => set({ step: step + 1 }), PLAY_INTERVAL_MS);
    return () => window.clearTimeout(timer);
  }, [playing, step, total, set]);

  const timelineHidden = hidden.has('timeline');
  const timelineLocked = locked.has('timeline');
  // Edge by edge, in the order the backward pass multiplies them (the same rounding as its running product).
  const product = factors
    .flatMap((factor) => factor.edges)
    .reduce((acc, edge) => acc * (steps[(stepOfEdge.get(edge) ?? 1) - 1]?.local ?? NaN), 1);
  const split = factors.find((factor) => factor.edges.length > 1);

  return (
    <WidgetFrame
      kind="backward-steps"
      id={id}
      caption="Each step multiplies one more local derivative into the running product from L. Hover or focus a factor of the formula to find its edges."
      onReset={() => {
        setPlaying(false);
        reset();
      }}
      shareUrl={shareUrl}
    >
      <div className={styles.controls}>
        <VariableSlider
          name="x"
          description={NEURON_SLIDERS.find((slider) => slider.name === 'x')!.description}
          min={-3}
          max={3}
          value={x}
          hidden={hidden.has('x')}
          locked={locked.has('x')}
          onChange={(next) => update('x', { x: next })}
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
      <div className={styles.formula} data-formula="dL/dw">
        <span className={styles.formulaLhs} aria-hidden="true" dangerouslySetInnerHTML={{ __html: lhsHtml }} />
        <span className={styles.visuallyHidden}>dL/dw equals the product of</span>
        {factors.map((factor, index) => {
          const doneAt = factorStep(factor);
          const reached = step >= doneAt;
          const active = factor.edges.some((edge) => highlight.has(edge));
          const edgeWords =
            factor.edges.length > 1
              ? `the edges from ${factor.from} to p and from p to ${factor.to}`
              : `the edge from ${factor.from} to ${factor.to}`;
          return (
            <span key={factor.edges.join('+')} className={styles.factorWrap}>
              {index > 0 ? (
                <span className={styles.times} aria-hidden="true">
                  ·
                </span>
              ) : null}
              <button
                type="button"
                className={`${styles.factor} ${active ? styles.factorActive : ''}`}
                data-factor={`d${factor.to}/d${factor.from}`}
                data-edge={factor.edges.join(' ')}
                data-active={active ? 'true' : undefined}
                data-revealed={reached ? 'true' : 'false'}
                aria-label={`d${factor.to}/d${factor.from}, ${edgeWords}${
                  reached ? `, equals ${formatNumber(factorValue(factor))}` : ', not yet computed'
                }. Go to its step.`}
                onMouseEnter={() => setHoverEdges(factor.edges)}
                onMouseLeave={() => setHoverEdges(null)}
                onFocus={() => setHoverEdges(factor.edges)}
                onBlur={() => setHoverEdges(null)}
                onClick={() => go(doneAt, 'formula')}
              >
                <span aria-hidden="true" dangerouslySetInnerHTML={{ __html: factor.html }} />
                <span className={styles.factorValue} aria-hidden="true">
                  {reached ? formatNumber(factorValue(factor)) : '?'}
                </span>
              </button>
            </span>
          );
        })}
        <span className={styles.formulaResult} aria-live="off">
          ={' '}
          <span className={styles.backwardNumber} data-formula-product={revealed ? String(product) : undefined}>
            {revealed ? formatNumber(product) : '?'}
          </span>
        </span>
      </div>
      {split ? (
        <p className={styles.formulaNote} data-factor-note="">
          The graph draws the product w·x as its own node, p, so ∂z/∂w takes two steps: ∂z/∂p = 1, then ∂p/∂w = x. Three
          factors in the formula, four edges from L to w.
        </p>
      ) : null}

      {hidden.has('predict') ? null : (
        <PredictReveal
          key={`${loss}|${w}|${x}|${b}|${y}`}
          widget="backward-steps"
          instance={id}
          target="dL/dw"
          targetLabel="∂L/∂w"
          actual={run.gradients.w!}
          revealed={revealed}
          onReveal={() => {
            setPlaying(false);
            go(wStep, 'predict');
          }}
          revealOnCommit={false}
          waiting="Now step backward from L: each step reveals one more factor, and the product is complete when the gradient reaches w."
          allowValue
          locked={locked.has('predict')}
        />
      )}

      {timelineHidden ? null : (
        <div className={styles.timeline} role="group" aria-label="Backward pass timeline">
          <button
            type="button"
            className={styles.button}
            onClick={() => go(step - 1)}
            disabled={timelineLocked || step === 0}
          >
            ◀ Back
          </button>
          <button
            type="button"
            className={styles.button}
            aria-pressed={playing}
            onClick={() => {
              markUsed('timeline');
              if (!playing && step >= total) set({ step: 0 });
              setPlaying(!playing);
            }}
            disabled={timelineLocked}
          >
            {playing ? '❚❚ Pause' : '▶ Play'}
          </button>
          <button
            type="button"
            className={styles.button}
            onClick={() => go(step + 1)}
            disabled={timelineLocked || step === total}
          >
            Step ▶
          </button>
          <input
            className={styles.timelineRange}
            type="range"
            aria-label="Backward step"
            aria-valuetext={`Step ${step} of ${total}`}
            min={0}
            max={total}
            step={1}
            value={step}
            disabled={timelineLocked}
            onChange={(event) => go(Number(event.currentTarget.value))}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                go(step + 1);
              }
            }}
          />
          <span className={styles.timelineCount}>
            {step}/{total}
          </span>
        </div>
      )}

      <p
        className={styles.stepText}
        role="status"
        data-step={step}
        data-edge={current ? edgeKey(current.edge) : undefined}
        data-local={current ? String(current.local) : undefined}
        data-running-product={String(current ? current.product : 1)}
      >
        {current ? (
          <>
            <strong>
              Step {step} of {total}: edge {nameOf(current.edge.from)} → {nameOf(current.edge.to)}.
            </strong>{' '}
            Local derivative ∂{nameOf(current.edge.to)}/∂{nameOf(current.edge.from)} ={' '}
            <span className={styles.backwardNumber}>{formatNumber(current.local)}</span>. Running product from L: ∂L/∂
            {nameOf(current.edge.to)} × ∂{nameOf(current.edge.to)}/∂{nameOf(current.edge.from)} ={' '}
            {formatNumber(current.upstream)} × {formatNumber(current.local)} ={' '}
            <span className={styles.backwardNumber}>{formatNumber(current.product)}</span>
            {current.completes ? ` = ∂L/∂${nameOf(current.edge.from)}.` : ` (∂L/∂${nameOf(current.edge.from)} so far).`}
          </>
        ) : (
          <>
            <strong>Start at the output:</strong> ∂L/∂L = 1. Step to send the gradient back along the first edge.
          </>
        )}
      </p>

      <GraphView
        layout={layout}
        trace={run.trace}
        label="Computational graph of the neuron during the backward pass"
        highlightEdges={highlight}
        edgeLabels={edgeLabels}
        hiddenGrads={hiddenGrads}
        onEdgeHover={(key) => setHoverEdges(key === null ? null : [key])}
      />
      <GraphLegend />
      <NodeTable
        layout={layout}
        trace={run.trace}
        hiddenGrads={hiddenGrads}
        caption={`After step ${step} of ${total}: every node's value and ∂L/∂node`}
      />
    </WidgetFrame>
  );
}
