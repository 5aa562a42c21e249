'use client';

import { useEffect, useMemo, useState } from 'react';

import type { GraphLayout } from '@/lib/graph/types';
import {
  descend,
  gradientStep,
  MAX_STEPS,
  OVERSHOOT_SETUP,
  trend,
  type StepRecord,
  type Trend,
} from '@/lib/widgets/gradient-descent';
import { bool, defineWidgetState, num } from '@/lib/widgets/url-state';

import { Choice } from '../Choice';
import { formatNumber } from '../format';
import { GraphLegend } from '../GraphLegend';
import { GraphView } from '../GraphView';
import styles from '../lab.module.css';
import { LOSS_OPTIONS, NEURON_FIELDS, neuronProgram, type Loss, type NeuronInput, type NeuronSlider } from '../neuron';
import { NodeTable } from '../NodeTable';
import { usePrefersReducedMotion } from '../usePrefersReducedMotion';
import { useWidgetControls } from '../useWidgetUrlState';
import { VariableSlider } from '../VariableSlider';
import { WidgetFrame } from '../WidgetFrame';
import shared from '../widgets.module.css';

/**
 * The URL holds the starting point, eta and the number of steps taken; the current point is
 * replayed from them (deterministic), so a shared link shows the same step and loss history.
 * Defaults are the lesson's worked example (w = 0.8, b = -0.5, cross-entropy, eta = 0.5), whose
 * first step the text computes by hand: w 0.8 -> 1.0489, L 0.4032 -> 0.2941 (b held fixed).
 */
const STATE = defineWidgetState(
  {
    w: NEURON_FIELDS.w,
    b: NEURON_FIELDS.b,
    x: NEURON_FIELDS.x,
    y: NEURON_FIELDS.y,
    eta: num(0.5, 0.01, 5),
    loss: NEURON_FIELDS.loss,
    trainB: bool(false),
    steps: num(0, 0, MAX_STEPS, true),
  },
  ['step', 'play', 'presets'],
);

const SLIDERS: readonly NeuronSlider[] = [
  { name: 'w', description: 'weight (trained)', min: -3, max: 3 },
  { name: 'b', description: 'bias', min: -3, max: 3 },
  { name: 'x', description: 'input (data)', min: -3, max: 3 },
  { name: 'y', description: 'target (data)', min: 0, max: 1 },
];

/** Auto-run pace: slow enough to read the arithmetic of each step; slower still for learners
 * who asked for reduced motion (nothing moves until they press Play, and it can be paused). */
const PLAY_INTERVAL_MS = 700;
const PLAY_INTERVAL_REDUCED_MS = 1500;
/** Steps the history table lists (the plot shows them all). */
const TABLE_ROWS = 8;

const PLOT = { width: 320, height: 132, left: 40, right: 10, top: 10, bottom: 26 };

const TREND_TEXT: Record<Trend, string> = {
  start: '',
  settling: 'w is settling: each step is smaller than the last.',
  overshooting:
    'w jumps back and forth across its best value: each step overshoots, because η is too large for this curve.',
  growing: 'w moves further each step.',
};

/**
 * One quantity over the steps. The loss axis starts at 0 (a loss is never negative); w's axis
 * spans the values w took, so a w that jumps back and forth shows as a zigzag even when the
 * loss barely moves (issue 16, item 13: the loss chart looked flat while w oscillated).
 */
function HistoryPlot({ history, name, fromZero }: { history: readonly number[]; name: string; fromZero: boolean }) {
  const span = Math.max(10, history.length - 1);
  const finite = history.filter(Number.isFinite);
  const high = Math.max(...finite, fromZero ? 1e-9 : -Infinity);
  const low = fromZero ? 0 : Math.min(...finite);
  const pad = fromZero ? 0 : Math.max((high - low) * 0.08, 0.05);
  const top = high + pad;
  const bottom = low - pad;
  const innerWidth = PLOT.width - PLOT.left - PLOT.right;
  const innerHeight = PLOT.height - PLOT.top - PLOT.bottom;
  const px = (step: number) => PLOT.left + (step / span) * innerWidth;
  const py = (value: number) =>
    PLOT.top + innerHeight - ((Math.min(Math.max(value, bottom), top) - bottom) / (top - bottom)) * innerHeight;
  const points = history.map((value, step) => `${px(step).toFixed(1)},${py(value).toFixed(1)}`).join(' ');
  const last = history.length - 1;
  const current = history[last] ?? Number.NaN;
  const summary =
    last === 0
      ? `${name} history: ${name} = ${formatNumber(current)} before any step.`
      : `${name} history over ${last} step${last === 1 ? '' : 's'}: from ${formatNumber(history[0]!)} to ${formatNumber(current)}, between ${formatNumber(Math.min(...finite))} and ${formatNumber(Math.max(...finite))}.`;
  return (
    <svg
      className={styles.plot}
      viewBox={`0 0 ${PLOT.width} ${PLOT.height}`}
      role="img"
      aria-label={summary}
      data-points={history.length}
      data-plot={name}
    >
      <line className={styles.axis} x1={PLOT.left} y1={PLOT.top} x2={PLOT.left} y2={PLOT.top + innerHeight} />
      <line
        className={styles.axis}
        x1={PLOT.left}
        y1={PLOT.top + innerHeight}
        x2={PLOT.width - PLOT.right}
        y2={PLOT.top + innerHeight}
      />
      <text className={styles.tick} x={PLOT.left - 5} y={PLOT.top + 4} textAnchor="end">
        {formatNumber(top, 2)}
      </text>
      <text className={styles.tick} x={PLOT.left - 5} y={PLOT.top + innerHeight + 4} textAnchor="end">
        {formatNumber(bottom, 2)}
      </text>
      <text className={styles.tick} x={PLOT.left} y={PLOT.height - 6}>
        0
      </text>
      <text className={styles.tick} x={PLOT.width - PLOT.right} y={PLOT.height - 6} textAnchor="end">
        {span}
      </text>
      <text className={styles.axisLabel} x={(PLOT.left + PLOT.width) / 2} y={PLOT.height - 6} textAnchor="middle">
        step
      </text>
      <text className={styles.axisLabel} x={12} y={PLOT.top + innerHeight / 2} textAnchor="middle">
        {name}
      </text>
      <polyline className={styles.lossLine} points={points} />
      <circle className={styles.lossDot} cx={px(last)} cy={py(current)} r={4} />
    </svg>
  );
}

function Update({
  record,
  params,
  eta,
  pending,
}: {
  record: StepRecord;
  params: readonly string[];
  eta: number;
  pending: boolean;
}) {
  return (
    <div className={styles.update} data-step={record.step}>
      <p className={styles.updateTitle}>{pending ? 'Step 1 will apply:' : `Step ${record.step}:`}</p>
      {params.map((name) => (
        <p key={name} className={styles.updateLine} data-param={name}>
          <span className={styles.math}>{name}</span> ← <span className={styles.math}>{name}</span> − η · ∂L/∂
          <span className={styles.math}>{name}</span> = {formatNumber(record.before[name]!, 5)} − {formatNumber(eta)} ×
          (<span className={shared.backwardNumber}>{formatNumber(record.gradients[name]!)}</span>) ={' '}
          <strong>{formatNumber(record.after[name]!, 5)}</strong>
        </p>
      ))}
    </div>
  );
}

export interface GradientStepClientProps {
  id: string;
  layouts: Record<Loss, GraphLayout>;
}

export function GradientStepClient({ id, layouts }: GradientStepClientProps) {
  const { values, hidden, locked, set, update, markUsed, reset, shareUrl } = useWidgetControls(
    'gradient-step',
    id,
    STATE,
  );
  const reducedMotion = usePrefersReducedMotion();
  const [playing, setPlaying] = useState(false);
  const { w, b, x, y, eta, loss, trainB, steps } = values;
  const program = neuronProgram(loss);
  const params = useMemo(() => (trainB ? ['w', 'b'] : ['w']), [trainB]);

  // Replaying from the start keeps the URL small and the state exact; 500 steps of a 7-node
  // tape take a few milliseconds.
  const descent = useMemo(
    () => descend(program, { w, b, x, y }, params, eta, steps),
    [program, w, b, x, y, params, eta, steps],
  );
  const current = useMemo(() => program.run(descent.env), [program, descent]);
  const shown = descent.steps.at(-1) ?? gradientStep(program, descent.env, params, eta, 1);
  const atLimit = steps >= MAX_STEPS;

  // Playing stops by itself at the step limit.
  const running = playing && !atLimit;
  useEffect(() => {
    if (!running) return;
    const timer = window.setTimeout(
      () => set({ steps: steps + 1 }),
      reducedMotion ? PLAY_INTERVAL_REDUCED_MS : PLAY_INTERVAL_MS,
    );
    return () => window.clearTimeout(timer);
  }, [running, steps, set, reducedMotion]);

  /** Moving a slider starts a new descent from the point now shown. */
  const moveStart = (name: NeuronInput, value: number) => update(name, { ...descent.env, [name]: value, steps: 0 });

  const wHistory = useMemo(() => [w, ...descent.steps.map((record) => record.after.w!)], [w, descent]);
  const movement = trend(wHistory);
  const lastRows = descent.lossHistory
    .map((lossValue, step) => ({ step, lossValue, w: wHistory[step]! }))
    .slice(-TABLE_ROWS);

  return (
    <WidgetFrame
      kind="gradient-step"
      id={id}
      caption={
        <>
          Each step runs the forward pass, the backward pass, and the update. Repeated over millions of parameters at
          once, this loop is training. &ldquo;Try a learning rate that is too large&rdquo; sets a target of 0.8, whose
          best w is finite, and η = 4.5: step and watch w jump across it.
        </>
      }
      onReset={() => {
        setPlaying(false);
        reset();
      }}
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
            value={descent.env[slider.name]!}
            hidden={hidden.has(slider.name)}
            locked={locked.has(slider.name) || running}
            onChange={(value) => moveStart(slider.name, value)}
          />
        ))}
        <VariableSlider
          name="η"
          description="learning rate eta"
          min={0.01}
          max={5}
          value={eta}
          hidden={hidden.has('eta')}
          locked={locked.has('eta')}
          onChange={(value) => update('eta', { eta: value })}
        />
      </div>
      <div className={styles.row}>
        <Choice
          legend="Loss"
          name={`${id}-loss`}
          value={loss}
          options={LOSS_OPTIONS}
          hidden={hidden.has('loss')}
          locked={locked.has('loss') || running}
          onChange={(next) => update('loss', { ...descent.env, loss: next, steps: 0 })}
        />
        {hidden.has('trainB') ? null : (
          <label className={styles.check}>
            <input
              type="checkbox"
              checked={trainB}
              disabled={locked.has('trainB') || running}
              onChange={(event) => update('trainB', { ...descent.env, trainB: event.currentTarget.checked, steps: 0 })}
            />
            update b too
          </label>
        )}
      </div>
      <div className={styles.actions}>
        {hidden.has('step') ? null : (
          <button
            type="button"
            className={shared.button}
            disabled={locked.has('step') || running || atLimit}
            onClick={() => update('step', { steps: steps + 1 })}
          >
            Take a step
          </button>
        )}
        {hidden.has('play') ? null : (
          <button
            type="button"
            className={shared.button}
            aria-pressed={running}
            disabled={locked.has('play') || atLimit}
            onClick={() => {
              markUsed('play');
              setPlaying(!running);
            }}
          >
            {running ? 'Pause' : 'Play'}
          </button>
        )}
        {hidden.has('presets') ? null : (
          <button
            type="button"
            className={shared.button}
            disabled={locked.has('presets') || running}
            onClick={() =>
              update('presets', {
                x: OVERSHOOT_SETUP.x,
                w: OVERSHOOT_SETUP.w,
                b: OVERSHOOT_SETUP.b,
                y: OVERSHOOT_SETUP.y,
                eta: OVERSHOOT_SETUP.eta,
                loss: OVERSHOOT_SETUP.loss,
                trainB: false,
                steps: 0,
              })
            }
          >
            Try a learning rate that is too large
          </button>
        )}
        <span className={styles.counter} data-steps={steps} data-loss={String(descent.loss)}>
          {steps} step{steps === 1 ? '' : 's'}, L ={' '}
          <strong className={shared.forwardNumber}>{formatNumber(descent.loss)}</strong>
        </span>
      </div>
      <div className={styles.stepLayout}>
        <div aria-live={running ? 'off' : 'polite'}>
          <Update record={shown} params={params} eta={eta} pending={steps === 0} />
          {steps > 0 ? (
            <p className={styles.updateLine}>
              L: {formatNumber(descent.lossHistory.at(-2)!)} → <strong>{formatNumber(descent.loss)}</strong>
            </p>
          ) : null}
        </div>
        <div className={styles.plots}>
          <HistoryPlot history={descent.lossHistory} name="L" fromZero />
          <HistoryPlot history={wHistory} name="w" fromZero={false} />
        </div>
      </div>
      <p className={styles.trend} role="status" data-trend={movement}>
        {TREND_TEXT[movement]}
      </p>
      <GraphView layout={layouts[loss]} trace={current.trace} label="The neuron's graph at the current step" />
      <GraphLegend />
      <NodeTable
        layout={layouts[loss]}
        trace={current.trace}
        caption="Every node at the current step: value and ∂L/∂node"
      />
      <details className={shared.tableDetails}>
        <summary>History as a table</summary>
        <table className={shared.table}>
          <caption>w and L after each of the last {Math.min(TABLE_ROWS, descent.lossHistory.length)} steps</caption>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">w</th>
              <th scope="col">L</th>
            </tr>
          </thead>
          <tbody>
            {lastRows.map((row) => (
              <tr key={row.step}>
                <th scope="row">{row.step}</th>
                <td>{formatNumber(row.w)}</td>
                <td>{formatNumber(row.lossValue)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </WidgetFrame>
  );
}
