/**
 * The widget's training state as a function of its URL: a setup (data, activation, depth, start)
 * plus a step count, replayed deterministically (full-batch gradient descent has no randomness),
 * so a shared link shows the same network after the same steps. `TrainingRun` keeps the live
 * trainer between renders: moving forward from step 40 to 41 is one step, not 41; going back
 * (reset, a new setup) starts again from step 0.
 */
import { dataset, type DatasetKind } from './data';
import { forwardLogit, initialParameters, layersOf, type Activation, type Init, type NetworkSpec } from './model';
import { NetworkTrainer, type LayerGradientSize } from './trainer';

/** Steps a URL may ask for; the widget replays them in chunks (REPLAY_CHUNK per frame). */
export const MAX_STEPS = 3000;

export interface Setup {
  data: DatasetKind;
  activation: Activation;
  depth: number;
  init: Init;
  seed: number;
}

export interface LayerBlame extends LayerGradientSize {
  /** The layer's weight with the largest |∂J/∂w| and that gradient. */
  largest: { name: string; grad: number };
}

export interface Snapshot {
  setup: Setup;
  spec: NetworkSpec;
  steps: number;
  /** Step at which training blew up and stopped, or null. */
  divergedAt: number | null;
  /** The loss that stopped it: above DIVERGED_LOSS, or not finite at all. */
  divergedLoss: number | null;
  loss: number;
  startLoss: number;
  /** Loss history downsampled to at most CURVE_POINTS [step, loss] pairs, first and last kept. */
  curve: [number, number][];
  /** Highest loss in the whole history (the curve's top). */
  peakLoss: number;
  params: Float64Array;
  /** ∂J/∂parameter, J the mean loss over all points: what a step follows. */
  grads: Float64Array;
  layers: LayerBlame[];
  accuracy: number;
}

const CURVE_POINTS = 240;

/**
 * Steps replayed per frame when a link asks for more than one step: about 5 ms unthrottled for
 * 2-3-1 on this project's machines (0.05 ms a step), so a phone-speed CPU stays under the 50 ms
 * long-task line even at depth 4.
 */
export const REPLAY_CHUNK = 100;

const setupKey = (s: Setup) => `${s.data}|${s.activation}|${s.depth}|${s.init}|${s.seed}`;

export class TrainingRun {
  private trainer: NetworkTrainer | null = null;
  private key = '';

  /**
   * The network after `steps` steps at `learningRate` (fewer if it blew up on the way). At most
   * `budget` steps are taken per call, so replaying a long shared run never blocks the page for
   * long: the caller sees `steps` short of its target and calls again (next frame).
   */
  at(setup: Setup, steps: number, learningRate: number, budget = Number.POSITIVE_INFINITY): Snapshot {
    const key = setupKey(setup);
    let trainer = this.trainer;
    const target = Math.max(0, Math.min(MAX_STEPS, Math.floor(steps)));
    if (!trainer || key !== this.key) {
      const spec = { depth: setup.depth, activation: setup.activation };
      trainer = new NetworkTrainer(spec, dataset(setup.data), initialParameters(setup.depth, setup.seed, setup.init));
      this.trainer = trainer;
      this.key = key;
    } else if (trainer.steps > target) {
      // Going back (start over, a rate change after a blow-up): the same tape from step 0.
      trainer.restart(initialParameters(setup.depth, setup.seed, setup.init));
    }
    for (let taken = 0; taken < budget && trainer.steps < target && trainer.step(learningRate); taken++);
    return snapshotOf(trainer, setup);
  }
}

function snapshotOf(trainer: NetworkTrainer, setup: Setup): Snapshot {
  const { losses, spec } = trainer;
  const stride = Math.max(1, Math.ceil(losses.length / CURVE_POINTS));
  const curve: [number, number][] = [];
  let peakLoss = 0;
  for (let s = 0; s < losses.length; s++) {
    peakLoss = Math.max(peakLoss, losses[s]!);
    if (s % stride === 0 || s === losses.length - 1) curve.push([s, losses[s]!]);
  }
  const params = Float64Array.from(trainer.params);
  const grads = Float64Array.from(trainer.grads);
  const layers = trainer.layerGradientSizes().map((size): LayerBlame => {
    const layer = layersOf(spec.depth)[size.layer - 1]!;
    let best = layer.offset;
    for (let i = layer.offset; i < layer.offset + layer.inputs * layer.outputs; i++)
      if (Math.abs(grads[i]!) > Math.abs(grads[best]!)) best = i;
    return { ...size, largest: { name: trainer.names[best]!, grad: grads[best]! } };
  });
  const scratch = new Float64Array(6);
  return {
    setup,
    spec,
    steps: trainer.steps,
    divergedAt: trainer.divergedAt,
    divergedLoss: trainer.divergedLoss,
    loss: trainer.loss,
    startLoss: losses[0]!,
    curve,
    peakLoss,
    params,
    grads,
    layers,
    accuracy: trainer.accuracy((x1, x2) => forwardLogit(spec, params, x1, x2, scratch)),
  };
}
