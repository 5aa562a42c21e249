'use client';

/**
 * Widget: a small network (2 inputs, hidden layers of 3 units, 1 sigmoid output) trained live
 * on a toy data set, with every gradient from lib/autodiff. One training point is shown as a
 * layer view (neurons and blame-coloured weights) or as its full computational graph; picking a
 * parameter lists every path from L back to it with each path's product, their sum, the
 * engine's gradient and a finite-difference check. In MDX: <NetworkWidget /> (URL prefix `nn`).
 *
 * State lives in the URL (lib/widgets/url-state): the setup and the step count, replayed
 * deterministically by lib/network/session, so a shared link shows the same network.
 */
import { memo, startTransition, useCallback, useEffect, useMemo, useOptimistic, useState, useTransition } from 'react';

import { edgeKey } from '@/lib/graph/types';
import { DATASET_KINDS, POINT_COUNT, dataset, type Dataset, type DatasetKind } from '@/lib/network/data';
import { blameReport, pointEnv, programFor, type BlameReport } from '@/lib/network/example';
import { layoutNetworkTrace } from '@/lib/network/layout';
import {
  ACTIVATIONS,
  INITS,
  MAX_DEPTH,
  MIN_DEPTH,
  inputName,
  layersOf,
  parameterNames,
  type Activation,
} from '@/lib/network/model';
import { MAX_STEPS, REPLAY_CHUNK, TrainingRun, type Setup, type Snapshot } from '@/lib/network/session';
import { DIVERGED_LOSS } from '@/lib/network/trainer';
import { bool, defineWidgetState, name, num, oneOf, type StateOf } from '@/lib/widgets/url-state';

import { Choice } from '../Choice';
import { formatNumber } from '../format';
import { GraphLegend } from '../GraphLegend';
import { GraphView } from '../GraphView';
import { PredictReveal } from '../PredictReveal';
import { usePrefersReducedMotion } from '../usePrefersReducedMotion';
import { useWidgetControls } from '../useWidgetUrlState';
import { WidgetFrame } from '../WidgetFrame';
import shared from '../widgets.module.css';

import { LayerView } from './LayerView';
import { prettyName } from './names';
import styles from './network.module.css';
import { Boundary, GradientSizes, LossCurve } from './Panels';

const LEARNING_RATES = [0.03, 0.1, 0.3, 1, 3, 10, 20, 50] as const;

const STATE = defineWidgetState(
  {
    data: oneOf(DATASET_KINDS, 'xor'),
    act: oneOf(ACTIVATIONS, 'tanh'),
    depth: num(2, MIN_DEPTH, MAX_DEPTH, true),
    lr: num(3, 0.001, 100),
    init: oneOf(INITS, 'standard'),
    seed: num(1, 1, 999, true),
    steps: num(0, 0, MAX_STEPS, true),
    point: num(0, 0, POINT_COUNT - 1, true),
    pick: name('w1_21'),
    view: oneOf(['layers', 'graph'] as const, 'layers'),
    /** Start training when the widget loads (a shared setup); never with reduced motion. */
    autoplay: bool(false),
  },
  ['step', 'play', 'presets', 'predict'],
);

type Values = StateOf<(typeof STATE)['fields']>;
type Patch = Partial<Values>;
type PresetId = 'too-large' | 'dead' | 'vanishing';

/** Each preset makes one point in one click: a setup, from step 0, and (motion allowing) play. */
const PRESETS: readonly { id: PresetId; label: string; setup: Patch }[] = [
  {
    id: 'too-large',
    label: 'Too large a learning rate',
    setup: { data: 'line', act: 'relu', depth: 4, lr: 20, init: 'standard', seed: 1 },
  },
  { id: 'dead', label: 'Dead ReLU', setup: { data: 'circles', act: 'relu', depth: 2, lr: 1, init: 'dead', seed: 1 } },
  {
    id: 'vanishing',
    label: 'Vanishing sigmoid',
    setup: { data: 'circles', act: 'sigmoid', depth: 4, lr: 1, init: 'standard', seed: 1 },
  },
];

const DATA_OPTIONS: readonly { value: DatasetKind; label: string }[] = [
  { value: 'line', label: 'line' },
  { value: 'xor', label: 'XOR' },
  { value: 'circles', label: 'circles' },
];
const ACTIVATION_OPTIONS: readonly { value: Activation; label: string }[] = [
  { value: 'sigmoid', label: 'sigmoid' },
  { value: 'tanh', label: 'tanh' },
  { value: 'relu', label: 'ReLU' },
];
const DEPTH_OPTIONS = [
  { value: '2', label: '2 (one hidden)' },
  { value: '3', label: '3' },
  { value: '4', label: '4' },
] as const;
const VIEW_OPTIONS = [
  { value: 'layers', label: 'neurons and weights' },
  { value: 'graph', label: 'every operation' },
] as const;

const CAPTION = (
  <>
    The same two rules at every layer: a weighted sum, then an activation. Backward, each node multiplies the blame it
    receives by its local slope and passes it on, so blame reaches the first layer through every path.
  </>
);

/** Reduced motion: Play advances in chunks twice a second instead of animating every frame. */
const REDUCED_CHUNK = 10;
const REDUCED_INTERVAL_MS = 500;
/** While playing, the boundary and the chosen point's views are redrawn every this many steps. */
const EVERY = 4;

export function NetworkClient({ id }: { id: string }) {
  const { values, hidden, locked, set, update, markUsed, reset, shareUrl } = useWidgetControls('network', id, STATE);
  const reducedMotion = usePrefersReducedMotion();
  const [run] = useState(() => new TrainingRun());
  const [playing, setPlaying] = useState<boolean | null>(null);
  const [revealedFor, setRevealedFor] = useState<string | null>(null);
  // A new setup renders as a transition; while it is pending the play loop waits, or its next
  // frame would apply the new setup at once with the old run's step count.
  const [switching, startSwitch] = useTransition();
  const { data: dataKind, act, depth, lr, init, seed, steps, point, view } = values;

  const setup: Setup = useMemo(
    () => ({ data: dataKind, activation: act, depth, init, seed }),
    [dataKind, act, depth, init, seed],
  );
  // The run caches its trainer: moving from step n to n + 1 costs one step. A long run (a shared
  // link) is replayed REPLAY_CHUNK steps per frame; `catchUp` re-renders until it is there.
  const [catchUp, setCatchUp] = useState(0);
  const snapshot = useMemo(
    () => run.at(setup, steps, lr, REPLAY_CHUNK),
    // catchUp is a dependency on purpose: each frame of a replay asks the run for the next chunk.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [run, setup, steps, lr, catchUp],
  );
  const { spec } = snapshot;
  const data = dataset(dataKind);
  const names = useMemo(() => parameterNames(depth), [depth]);
  const choices = useMemo(() => [inputName(1), inputName(2), ...names], [names]);
  const picked = choices.includes(values.pick) ? values.pick : 'w1_21';

  const revealKey = `${dataKind}|${act}|${depth}|${init}|${seed}|${point}|${picked}`;
  const revealed = revealedFor === revealKey;

  const atLimit = snapshot.steps >= MAX_STEPS;
  const diverged = snapshot.divergedAt !== null;
  const replaying = !diverged && snapshot.steps < Math.min(steps, MAX_STEPS);
  useEffect(() => {
    if (!replaying) return;
    const frame = window.requestAnimationFrame(() => setCatchUp((n) => n + 1));
    return () => window.cancelAnimationFrame(frame);
  }, [replaying, snapshot]);
  const wantsPlay = playing ?? (values.autoplay && !reducedMotion);
  const running = wantsPlay && !diverged && !atLimit && !replaying;
  useEffect(() => {
    if (!running || switching) return;
    const next = Math.min(MAX_STEPS, snapshot.steps + (reducedMotion ? REDUCED_CHUNK : 1));
    if (reducedMotion) {
      const timer = window.setTimeout(() => set({ steps: next }), REDUCED_INTERVAL_MS);
      return () => window.clearTimeout(timer);
    }
    const frame = window.requestAnimationFrame(() => set({ steps: next }));
    return () => window.cancelAnimationFrame(frame);
  }, [running, switching, snapshot.steps, reducedMotion, set]);

  // While playing (one step per frame), the counter, the loss curve and the per-layer blame
  // follow every step; the costlier pictures every EVERY-th step, on different frames: the
  // shading (1,600 forward passes and a canvas upload) on one, the chosen point's views (the
  // layer drawing, the parameter table, the paths) two frames later. A Step, a pause and every
  // other change draw all of them at once. Each memo returns the snapshot of its own frame, so
  // the memoised views see unchanged props in between and are skipped.
  const animating = running && !reducedMotion;
  const boundaryStep = animating ? snapshot.steps - (snapshot.steps % EVERY) : snapshot.steps;
  const boundaryParams = useMemo(
    () => snapshot.params,
    [spec, boundaryStep], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const pointStep = animating ? snapshot.steps - ((snapshot.steps + EVERY / 2) % EVERY) : snapshot.steps;
  const shown = useMemo(
    () => snapshot,
    [spec, pointStep], // eslint-disable-line react-hooks/exhaustive-deps
  );

  const env = useMemo(() => pointEnv(spec, shown.params, data, point), [spec, shown, data, point]);
  const program = programFor(spec);
  const report = useMemo(() => {
    const result = program.run(env);
    // The nudge check is shown only once revealed: until then, no extra runs per training step.
    return { result, blame: blameReport(result, env, program, picked, revealed) };
  }, [program, env, picked, revealed]);
  const { result, blame } = report;
  const graphView = view === 'graph';
  // Laid out once per shape, and only for the view that draws it.
  const layout = useMemo(
    () => (graphView ? layoutNetworkTrace(result.trace) : null),
    [graphView, result.trace.nodes.length, spec.activation], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const batchGrads = useMemo(
    () => Object.fromEntries(names.map((parameter, i) => [parameter, shown.grads[i]!])),
    [names, shown],
  );

  const hiddenGrad = revealed ? null : picked;
  const highlights = useMemo(() => {
    const onPath = new Set<string>();
    const pathEdges = new Set<string>();
    const edgeLabels: Record<string, string> = {};
    for (const path of blame.paths) {
      for (const node of path.names) onPath.add(node);
      for (const edge of path.edges) {
        pathEdges.add(edgeKey(edge));
        edgeLabels[edgeKey(edge)] = formatNumber(edge.localDerivative, 3);
      }
    }
    return { onPath, pathEdges, edgeLabels };
  }, [blame]);
  const { onPath, pathEdges, edgeLabels } = highlights;
  const pickedNode = result.trace.nodes.find((node) => node.names.includes(picked));

  // The live region reads the summary only when training is paused or stepped.
  const summary = running ? '' : summaryOf(snapshot);
  const drawingLabel = useMemo(
    () =>
      `The network at point ${point + 1}: loss L = ${formatNumber(result.value)}, output p = ${formatNumber(result.values.p ?? Number.NaN)}. ${summaryOf(shown)}`,
    [point, result, shown],
  );
  const divergedMessage =
    snapshot.divergedAt === null
      ? ''
      : `Training stopped: the loss ${
          Number.isFinite(snapshot.divergedLoss ?? Number.NaN)
            ? `blew up to ${formatNumber(snapshot.divergedLoss!)} (above ${formatNumber(DIVERGED_LOSS)})`
            : 'became infinite'
        } at step ${snapshot.divergedAt}. The steps overshoot: lower the learning rate, then reset the training.`;

  // Stable, so the memoised parts (the settings, the 64 data points, the layer view) skip a
  // training step: a step re-renders the numbers, not the controls.
  const pickPoint = useCallback((next: number) => update('point', { point: next }), [update]);
  const pick = useCallback((next: string) => update('pick', { pick: next }), [update]);
  // A new shape, data set or view rebuilds the trainer, the program or the drawing: rendered as a
  // transition, so the click paints its radio at once (useOptimistic in the controls) and React
  // renders the new network in slices after it (interaction to next paint, issue 17).
  const setStart = useCallback(
    (control: string, patch: Patch) => startSwitch(() => update(control, { ...patch, steps: 0 })),
    [update],
  );
  const chooseView = useCallback((next: Values['view']) => startSwitch(() => update('view', { view: next })), [update]);
  const choosePreset = useCallback(
    (preset: (typeof PRESETS)[number]) => {
      markUsed('presets');
      startSwitch(() => {
        set({ ...preset.setup, steps: 0 });
        setPlaying(!reducedMotion);
      });
    },
    [markUsed, set, reducedMotion],
  );
  // A run that blew up starts again: the new rate applies from step 0.
  const setRate = useCallback(
    (next: number) => update('lr', diverged ? { lr: next, steps: 0 } : { lr: next }),
    [update, diverged],
  );

  return (
    <WidgetFrame
      kind="network"
      id={id}
      caption={CAPTION}
      onReset={() => {
        setPlaying(false);
        setRevealedFor(null);
        reset();
      }}
      shareUrl={shareUrl}
    >
      <Settings
        id={id}
        dataKind={dataKind}
        act={act}
        depth={depth}
        lr={lr}
        init={init}
        hidden={hidden}
        locked={locked}
        onPreset={choosePreset}
        onStart={setStart}
        onRate={setRate}
      />
      <div className={styles.actions}>
        {hidden.has('step') ? null : (
          <button
            type="button"
            className={shared.button}
            disabled={locked.has('step') || running || diverged || atLimit}
            onClick={() => update('step', { steps: snapshot.steps + 1 })}
          >
            Step
          </button>
        )}
        {hidden.has('play') ? null : (
          <button
            type="button"
            className={shared.button}
            aria-pressed={running}
            disabled={locked.has('play') || diverged || atLimit}
            onClick={() => {
              markUsed('play');
              setPlaying(!running);
            }}
          >
            {running ? 'Pause' : 'Play'}
          </button>
        )}
        <button
          type="button"
          className={`${shared.button} ${shared.buttonQuiet}`}
          onClick={() => {
            setPlaying(false);
            update('restart', { steps: 0 });
          }}
        >
          Start training over
        </button>
        <span
          className={styles.counter}
          data-steps={snapshot.steps}
          data-loss={String(snapshot.loss)}
          data-start-loss={String(snapshot.startLoss)}
        >
          {replaying ? `Replaying the link's ${steps} steps: ` : ''}Step {snapshot.steps} · loss{' '}
          <strong className={shared.forwardNumber}>{formatNumber(snapshot.loss)}</strong> ·{' '}
          {Math.round(snapshot.accuracy * 100)}% right
        </span>
      </div>
      {diverged ? (
        <div className={styles.diverged} data-diverged-at={snapshot.divergedAt}>
          <p>{divergedMessage}</p>
          <button
            type="button"
            className={shared.button}
            onClick={() => {
              setPlaying(false);
              update('restart', { steps: 0 });
            }}
          >
            Reset training
          </button>
        </div>
      ) : null}
      <p className={shared.visuallyHidden} aria-live="polite">
        {running ? 'Training is running.' : diverged ? divergedMessage : summary}
      </p>

      <div className={styles.panels}>
        <div>
          <p className={styles.panelTitle}>What the network says, over the data</p>
          <Boundary spec={spec} params={boundaryParams} data={data} point={point} onPoint={pickPoint} />
          <p className={styles.small}>
            <span className={styles.keyOne} />
            label 1 · <span className={styles.keyZero} />
            label 0; shading: the network&rsquo;s answer (paler near 0.5, the boundary)
          </p>
        </div>
        <div>
          <p className={styles.panelTitle}>Training loss J (average over all {POINT_COUNT} points)</p>
          <LossCurve snapshot={snapshot} />
          <p className={styles.panelTitle}>Blame reaching each layer (typical |∂L/∂z| of its sums)</p>
          <GradientSizes layers={snapshot.layers} depth={depth} />
        </div>
      </div>

      <PointControls
        point={point}
        picked={picked}
        depth={depth}
        names={names}
        data={data}
        hidden={hidden}
        locked={locked}
        onPoint={pickPoint}
        onPick={pick}
      />
      <ViewChoice id={id} view={view} hidden={hidden} locked={locked} onView={chooseView} />
      {!graphView || !layout ? (
        <LayerView
          depth={depth}
          values={result.values}
          grads={result.nodeGradients}
          batchGrads={batchGrads}
          picked={picked}
          onPath={onPath}
          hiddenGrad={hiddenGrad}
          onPick={pick}
          summary={drawingLabel}
        />
      ) : (
        <>
          <GraphView
            layout={layout}
            trace={result.trace}
            label={`Every operation of the network at point ${point + 1}, paths from ${prettyName(picked)} to L highlighted`}
            highlightEdges={pathEdges}
            highlightNodes={pickedNode ? new Set([pickedNode.id]) : undefined}
            dimOthers
            edgeLabels={edgeLabels}
            hiddenGrads={!revealed && pickedNode ? new Set([pickedNode.id]) : undefined}
            minScale={0.8}
          />
          <GraphLegend />
        </>
      )}

      <PathsPanel
        id={id}
        picked={picked}
        point={point}
        blame={blame}
        revealed={revealed}
        revealKey={revealKey}
        predict={!hidden.has('predict')}
        predictLocked={locked.has('predict')}
        onReveal={setRevealedFor}
      />
    </WidgetFrame>
  );
}

interface SettingsProps {
  id: string;
  dataKind: DatasetKind;
  act: Activation;
  depth: number;
  lr: number;
  init: Values['init'];
  hidden: ReadonlySet<string>;
  locked: ReadonlySet<string>;
  onPreset: (preset: (typeof PRESETS)[number]) => void;
  onStart: (control: string, patch: Patch) => void;
  onRate: (rate: number) => void;
}

/**
 * Presets and the settings that change the network's setup. Memoised: a training step passes
 * the same props, so these controls are neither re-rendered nor touched in the DOM (React
 * re-sets a radio's name and type on every render of it). The radios show the learner's
 * choice at once (useOptimistic) while the new network renders as a transition.
 */
const Settings = memo(function Settings({
  id,
  dataKind,
  act,
  depth,
  lr,
  init,
  hidden,
  locked,
  onPreset,
  onStart,
  onRate,
}: SettingsProps) {
  const [shown, show] = useOptimistic({ data: dataKind, act, depth, init }, (current, patch: Patch) => ({
    ...current,
    ...patch,
  }));
  const start = (control: 'data' | 'act' | 'depth' | 'init', patch: Patch) =>
    startTransition(() => {
      show(patch);
      onStart(control, patch);
    });
  return (
    <>
      {hidden.has('presets') ? null : (
        <div className={styles.presets} data-control="presets">
          <span className={styles.presetsLabel}>Try:</span>
          {PRESETS.map((preset) => (
            <button
              key={preset.id}
              type="button"
              className={shared.button}
              data-preset={preset.id}
              disabled={locked.has('presets')}
              onClick={() => onPreset(preset)}
            >
              {preset.label}
            </button>
          ))}
        </div>
      )}
      <div className={styles.settings}>
        <Choice
          legend="Data"
          name={`${id}-data`}
          value={shown.data}
          options={DATA_OPTIONS}
          hidden={hidden.has('data')}
          locked={locked.has('data')}
          onChange={(next) => start('data', { data: next })}
        />
        <Choice
          legend="Hidden activation"
          name={`${id}-act`}
          value={shown.act}
          options={ACTIVATION_OPTIONS}
          hidden={hidden.has('act')}
          locked={locked.has('act')}
          onChange={(next) => start('act', { act: next })}
        />
        <Choice
          legend="Layers"
          name={`${id}-depth`}
          value={String(shown.depth) as '2' | '3' | '4'}
          options={DEPTH_OPTIONS}
          hidden={hidden.has('depth')}
          locked={locked.has('depth')}
          onChange={(next) => start('depth', { depth: Number(next) })}
        />
        {hidden.has('lr') ? null : (
          <label className={styles.field}>
            <span className={styles.fieldName}>Learning rate η</span>
            <select
              className={styles.select}
              value={String(lr)}
              disabled={locked.has('lr')}
              onChange={(event) => onRate(Number(event.currentTarget.value))}
            >
              {[...new Set<number>([...LEARNING_RATES, lr])]
                .sort((a, b) => a - b)
                .map((rate) => (
                  <option key={rate} value={String(rate)}>
                    {formatNumber(rate)}
                  </option>
                ))}
            </select>
          </label>
        )}
        {hidden.has('init') ? null : (
          <label className={styles.field}>
            <span className={styles.fieldName}>Start</span>
            <select
              className={styles.select}
              value={shown.init}
              disabled={locked.has('init')}
              onChange={(event) => start('init', { init: event.currentTarget.value as Values['init'] })}
            >
              <option value="standard">random weights, zero biases</option>
              <option value="dead">hidden biases −2.5 (every ReLU off)</option>
            </select>
          </label>
        )}
      </div>
    </>
  );
});

interface PointControlsProps {
  point: number;
  picked: string;
  depth: number;
  names: readonly string[];
  data: Dataset;
  hidden: ReadonlySet<string>;
  locked: ReadonlySet<string>;
  onPoint: (point: number) => void;
  onPick: (name: string) => void;
}

/** The point shown and the parameter whose blame is traced; memoised like Settings. */
const PointControls = memo(function PointControls({
  point,
  picked,
  depth,
  names,
  data,
  hidden,
  locked,
  onPoint,
  onPick,
}: PointControlsProps) {
  return (
    <div className={styles.settings}>
      {hidden.has('point') ? null : (
        <label className={styles.field}>
          <span className={styles.fieldName}>Point shown</span>
          <input
            type="range"
            className={shared.range}
            min={1}
            max={POINT_COUNT}
            step={1}
            value={point + 1}
            disabled={locked.has('point')}
            aria-valuetext={`point ${point + 1} of ${POINT_COUNT}`}
            onChange={(event) => onPoint(Number(event.currentTarget.value) - 1)}
          />
          <span className={styles.counter}>
            {point + 1}: x₁ = {formatNumber(data.xs[2 * point]!)}, x₂ = {formatNumber(data.xs[2 * point + 1]!)}, label{' '}
            {data.ys[point]}
          </span>
        </label>
      )}
      {hidden.has('pick') ? null : (
        <label className={styles.field}>
          <span className={styles.fieldName}>Blame for</span>
          <select
            className={styles.select}
            value={picked}
            disabled={locked.has('pick')}
            onChange={(event) => onPick(event.currentTarget.value)}
          >
            <optgroup label="inputs">
              {[inputName(1), inputName(2)].map((input) => (
                <option key={input} value={input}>
                  {prettyName(input)}
                </option>
              ))}
            </optgroup>
            {layersOf(depth).map((layer) => (
              <optgroup key={layer.index} label={`layer ${layer.index}`}>
                {names
                  .filter((parameter) => parameter.slice(1, 2) === String(layer.index))
                  .map((parameter) => (
                    <option key={parameter} value={parameter}>
                      {prettyName(parameter)}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </label>
      )}
    </div>
  );
});

/** Layer view or every operation: the switch paints at once, the other view follows as a transition. */
const ViewChoice = memo(function ViewChoice({
  id,
  view,
  hidden,
  locked,
  onView,
}: {
  id: string;
  view: Values['view'];
  hidden: ReadonlySet<string>;
  locked: ReadonlySet<string>;
  onView: (view: Values['view']) => void;
}) {
  const [shown, show] = useOptimistic(view);
  return (
    <Choice
      legend="Show"
      name={`${id}-view`}
      value={shown}
      options={VIEW_OPTIONS}
      hidden={hidden.has('view')}
      locked={locked.has('view')}
      onChange={(next) =>
        startTransition(() => {
          show(next);
          onView(next);
        })
      }
    />
  );
});

/** The paths from L back to the picked parameter, and predict-then-reveal; memoised (see EVERY). */
const PathsPanel = memo(function PathsPanel({
  id,
  picked,
  point,
  blame,
  revealed,
  revealKey,
  predict,
  predictLocked,
  onReveal,
}: {
  id: string;
  picked: string;
  point: number;
  blame: BlameReport;
  revealed: boolean;
  revealKey: string;
  predict: boolean;
  predictLocked: boolean;
  onReveal: (key: string) => void;
}) {
  return (
    <div className={styles.paths} data-paths-for={picked} data-path-count={blame.paths.length}>
      <p className={styles.panelTitle}>
        {blame.paths.length === 1 ? 'One path' : `${blame.paths.length} paths`} from L back to {prettyName(picked)}{' '}
        (point {point + 1}):
      </p>
      <ol className={styles.pathList}>
        {blame.paths.map((path, index) => (
          <li key={index} data-path-product={revealed ? String(path.product) : undefined}>
            {path.factors.map((factor, f) => (
              <span key={f} className={styles.factor}>
                {f > 0 ? '\u00a0× ' : ''}∂{prettyName(factor.to)}/∂{prettyName(factor.from)} ={' '}
                {formatNumber(factor.value, 3)}
              </span>
            ))}{' '}
            = <strong className={shared.backwardNumber}>{revealed ? formatNumber(path.product) : '?'}</strong>
          </li>
        ))}
      </ol>
      {!predict ? null : (
        <PredictReveal
          key={revealKey}
          widget="network"
          instance={id}
          target={`dL/d${picked}`}
          targetLabel={`∂L/∂${prettyName(picked)}`}
          actual={blame.engine}
          revealed={revealed}
          onReveal={() => onReveal(revealKey)}
          locked={predictLocked}
        >
          <p
            className={styles.check}
            data-paths-sum={String(blame.sum)}
            data-engine-grad={String(blame.engine)}
            data-finite-difference={String(blame.finiteDifference)}
          >
            Sum over {blame.paths.length === 1 ? 'the one path' : `all ${blame.paths.length} paths`}:{' '}
            <strong className={shared.backwardNumber}>{formatNumber(blame.sum)}</strong>. The engine&rsquo;s backward
            pass: {formatNumber(blame.engine)}. Nudge check, (L(v + h) − L(v − h)) / 2h:{' '}
            {formatNumber(blame.finiteDifference)}.
          </p>
        </PredictReveal>
      )}
    </div>
  );
});

function summaryOf(snapshot: Snapshot): string {
  const largest = snapshot.layers.map((layer) => `layer ${layer.layer}: ${prettyName(layer.largest.name)}`).join(', ');
  return `After ${snapshot.steps} step${snapshot.steps === 1 ? '' : 's'} the training loss is ${formatNumber(snapshot.loss)} and ${Math.round(snapshot.accuracy * 100)}% of the points are on the right side. Largest blame per layer: ${largest}.`;
}
