/**
 * Full-batch gradient descent on the widget's network, with every gradient from lib/autodiff.
 *
 * The whole batch (64 points) is recorded on one Tape once per network shape, with the
 * parameters as inputs and the points as constants. A step then only sets the parameter
 * leaves, replays the recorded ops and sweeps backward (Tape.setLeafValue + replay + backward,
 * the engine's "same graph, new numbers" path): no recording, no allocation, no objects per
 * node. The loss is the mean of bce_logits (cross-entropy computed from the output logit),
 * which is what bce(sigmoid(z), y) is, without the clamp that flattens a saturated sigmoid.
 */
import { Tape } from '@/lib/autodiff/tape';

import type { Dataset } from './data';
import { layersOf, parameterNames, type NetworkSpec } from './model';

export interface LayerGradientSize {
  layer: number;
  /** Root mean square of ∂J/∂w over the layer's weights (biases left out): what a step moves them by, over η. */
  weights: number;
  /**
   * Root mean square over points and units of ∂L/∂z, the blame one point's loss sends back to
   * the layer's weighted sums. Unlike the averaged weight gradient it cannot cancel between
   * points, so it shows a layer starved of signal (vanishing gradients, dead units) plainly.
   */
  blame: number;
}

/**
 * A mean cross-entropy of 1000 means logits about a thousand wrong: the steps have blown the
 * weights up, and the run is stopped (with cross-entropy from logits the loss itself only
 * becomes infinite once a weight overflows, long after the picture stopped meaning anything).
 */
export const DIVERGED_LOSS = 1000;

export class NetworkTrainer {
  readonly names: readonly string[];
  readonly params: Float64Array;
  /** ∂J/∂parameter at the current parameters, J the mean loss over the batch. */
  readonly grads: Float64Array;
  /** Training loss after 0, 1, 2, ... steps. */
  readonly losses: number[] = [];
  steps = 0;
  /** The step at which the loss stopped being a finite, sane number; null while training is fine. */
  divergedAt: number | null = null;
  /** The loss that stopped the run (Infinity or NaN when it overflowed), or null. */
  divergedLoss: number | null = null;
  private readonly tape: Tape;
  private readonly paramNodes: Int32Array;
  private readonly lossNode: number;
  private readonly previous: Float64Array;
  /** The weighted-sum nodes of every point, layer by layer: layer l's are sumNodes[sumStart[l-1] ..]. */
  private readonly sumNodes: number[][];
  /** RMS blame per layer at the current parameters (see LayerGradientSize.blame). */
  private readonly layerBlame: Float64Array;

  constructor(
    readonly spec: NetworkSpec,
    readonly data: Dataset,
    start: Float64Array,
  ) {
    this.names = parameterNames(spec.depth);
    if (start.length !== this.names.length) throw new Error(`expected ${this.names.length} parameters`);
    this.params = Float64Array.from(start);
    this.grads = new Float64Array(start.length);
    this.previous = new Float64Array(start.length);
    const points = data.ys.length;
    const tape = new Tape(64 * points * spec.depth * 12);
    this.tape = tape;
    this.paramNodes = Int32Array.from(this.params, (value) => tape.pushInput(value));
    const layers = layersOf(spec.depth);
    this.sumNodes = layers.map(() => []);
    this.layerBlame = new Float64Array(layers.length);
    const act =
      spec.activation === 'tanh'
        ? (a: number) => tape.tanh(a)
        : spec.activation === 'relu'
          ? (a: number) => tape.relu(a)
          : (a: number) => tape.sigmoid(a);
    let total = -1;
    let activations: number[] = [];
    for (let n = 0; n < points; n++) {
      activations = [tape.pushConstant(data.xs[2 * n]!), tape.pushConstant(data.xs[2 * n + 1]!)];
      let logit = -1;
      for (const layer of layers) {
        const next: number[] = [];
        for (let j = 0; j < layer.outputs; j++) {
          const row = layer.offset + j * layer.inputs;
          let sum = tape.mul(this.paramNodes[row]!, activations[0]!);
          for (let k = 1; k < layer.inputs; k++)
            sum = tape.add(sum, tape.mul(this.paramNodes[row + k]!, activations[k]!));
          sum = tape.add(sum, this.paramNodes[layer.offset + layer.inputs * layer.outputs + j]!);
          this.sumNodes[layer.index - 1]!.push(sum);
          if (layer.index === spec.depth) logit = sum;
          else next.push(act(sum));
        }
        activations = next;
      }
      const loss = tape.bceWithLogits(logit, tape.pushConstant(data.ys[n]!));
      total = total < 0 ? loss : tape.add(total, loss);
    }
    this.lossNode = tape.mul(total, tape.pushConstant(1 / points));
    this.losses.push(this.evaluate());
    if (!Number.isFinite(this.losses[0]!)) this.divergedAt = 0;
  }

  /**
   * Back to step 0 from `start`, on the same recorded tape: "start over" and a rate change
   * after a blow-up cost one evaluation, not recording the batch again.
   */
  restart(start: Float64Array): void {
    if (start.length !== this.params.length) throw new Error(`expected ${this.params.length} parameters`);
    this.params.set(start);
    this.losses.length = 0;
    this.steps = 0;
    this.divergedAt = null;
    this.divergedLoss = null;
    this.losses.push(this.evaluate());
    if (!Number.isFinite(this.losses[0]!)) this.divergedAt = 0;
  }

  /** Mean loss at the current parameters; fills `grads`. */
  evaluate(): number {
    const tape = this.tape;
    for (let i = 0; i < this.paramNodes.length; i++) tape.setLeafValue(this.paramNodes[i]!, this.params[i]!);
    tape.replay(this.paramNodes.length);
    const adjoints = tape.backward(this.lossNode);
    for (let i = 0; i < this.paramNodes.length; i++) this.grads[i] = adjoints[this.paramNodes[i]!]!;
    // J is the mean over N points, so one point's own ∂L/∂z is N times the adjoint of its node.
    const points = this.data.ys.length;
    for (let l = 0; l < this.sumNodes.length; l++) {
      const nodes = this.sumNodes[l]!;
      let sum = 0;
      for (const node of nodes) sum += (points * adjoints[node]!) ** 2;
      this.layerBlame[l] = Math.sqrt(sum / nodes.length);
    }
    return tape.valueAt(this.lossNode);
  }

  get loss(): number {
    return this.losses[this.losses.length - 1]!;
  }

  /**
   * One gradient-descent step. Returns false (and changes nothing) once the run has diverged:
   * a step whose loss or parameters are not finite, or whose loss passes DIVERGED_LOSS, is
   * undone, so the widget always draws the last sane network.
   */
  step(learningRate: number): boolean {
    if (this.divergedAt !== null) return false;
    this.previous.set(this.params);
    for (let i = 0; i < this.params.length; i++) this.params[i] = this.params[i]! - learningRate * this.grads[i]!;
    const loss = this.evaluate();
    let sane = Number.isFinite(loss) && loss <= DIVERGED_LOSS;
    for (let i = 0; sane && i < this.params.length; i++)
      sane = Number.isFinite(this.params[i]!) && Number.isFinite(this.grads[i]!);
    if (!sane) {
      this.divergedAt = this.steps + 1;
      this.divergedLoss = loss;
      this.params.set(this.previous);
      this.evaluate();
      return false;
    }
    this.steps++;
    this.losses.push(loss);
    return true;
  }

  /** How big the training gradient is in each layer: the vanishing-gradient readout. */
  layerGradientSizes(): LayerGradientSize[] {
    return layersOf(this.spec.depth).map((layer) => {
      let sum = 0;
      const count = layer.inputs * layer.outputs;
      for (let i = 0; i < count; i++) sum += this.grads[layer.offset + i]! ** 2;
      return { layer: layer.index, weights: Math.sqrt(sum / count), blame: this.layerBlame[layer.index - 1]! };
    });
  }

  /** Share of the points on the right side of the boundary. */
  accuracy(logit: (x1: number, x2: number) => number): number {
    const { xs, ys } = this.data;
    let right = 0;
    for (let n = 0; n < ys.length; n++) if (logit(xs[2 * n]!, xs[2 * n + 1]!) > 0 === (ys[n] === 1)) right++;
    return right / ys.length;
  }
}
