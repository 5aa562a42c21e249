/**
 * The widget's network: 2 inputs -> hidden layers of 3 units -> 1 sigmoid output, trained with
 * binary cross-entropy. `depth` counts weight layers (2 = one hidden layer, up to 4). This
 * module holds the structure only: parameter names and order, the seeded start, and the same
 * network as a program in the lesson's expression language (so one training point's graph is
 * an ordinary lib/autodiff program). Derivatives are never computed here.
 */
import { seededRandom } from './data';

export const ACTIVATIONS = ['sigmoid', 'tanh', 'relu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const INITS = ['standard', 'dead'] as const;
/** 'dead' starts every hidden bias so low that no training point switches a ReLU on. */
export type Init = (typeof INITS)[number];

export const MIN_DEPTH = 2;
export const MAX_DEPTH = 4;
export const HIDDEN_UNITS = 3;
/** Hidden biases in the 'dead' start: below -(|w1| + |w2|) for every start weight on [-1, 1]². */
export const DEAD_BIAS = -2.5;

export interface NetworkSpec {
  depth: number;
  activation: Activation;
}

export interface Layer {
  /** 1-based, as in the names: layer 1 reads the inputs, layer `depth` is the output. */
  index: number;
  inputs: number;
  outputs: number;
  /** Index of w[l]_{j,k} = offset + j * inputs + k (0-based j, k); biases follow the weights. */
  offset: number;
}

const layerCache = new Map<number, readonly Layer[]>();

/** The layers of a network `depth` weight layers deep; cached (the boundary shading asks per pixel). */
export function layersOf(depth: number): readonly Layer[] {
  const known = layerCache.get(depth);
  if (known) return known;
  const layers: Layer[] = [];
  let offset = 0;
  for (let l = 1; l <= depth; l++) {
    const inputs = l === 1 ? 2 : HIDDEN_UNITS;
    const outputs = l === depth ? 1 : HIDDEN_UNITS;
    layers.push({ index: l, inputs, outputs, offset });
    offset += inputs * outputs + outputs;
  }
  Object.freeze(layers);
  layerCache.set(depth, layers);
  return layers;
}

export function parameterCount(depth: number): number {
  const last = layersOf(depth).at(-1)!;
  return last.offset + last.inputs * last.outputs + last.outputs;
}

/** `w1_21`: layer 1, into unit 2, from input 2... 1-based, one digit each (at most 3 units). */
export const weightName = (layer: number, unit: number, from: number) => `w${layer}_${unit}${from}`;
export const biasName = (layer: number, unit: number) => `b${layer}_${unit}`;
/** Pre-activation (the weighted sum) of a unit: `z1_2`. */
export const sumName = (layer: number, unit: number) => `z${layer}_${unit}`;
/** A hidden unit's activation: `h1_2`. */
export const hiddenName = (layer: number, unit: number) => `h${layer}_${unit}`;
export const inputName = (k: number) => `x${k}`;

/** Parameter names in parameter-vector order. */
export function parameterNames(depth: number): string[] {
  const names: string[] = [];
  for (const layer of layersOf(depth)) {
    for (let j = 1; j <= layer.outputs; j++)
      for (let k = 1; k <= layer.inputs; k++) names.push(weightName(layer.index, j, k));
    for (let j = 1; j <= layer.outputs; j++) names.push(biasName(layer.index, j));
  }
  return names;
}

/**
 * The seeded start: weights uniform in ±sqrt(6 / (fan-in + fan-out)) (Glorot), biases 0, or
 * DEAD_BIAS on hidden units for the 'dead' start. Same seed, same depth: same numbers.
 */
export function initialParameters(depth: number, seed: number, init: Init = 'standard'): Float64Array {
  const random = seededRandom(1000 * depth + seed);
  const params = new Float64Array(parameterCount(depth));
  for (const layer of layersOf(depth)) {
    const limit = Math.sqrt(6 / (layer.inputs + layer.outputs));
    const weights = layer.inputs * layer.outputs;
    for (let i = 0; i < weights; i++) params[layer.offset + i] = Math.round((2 * random() - 1) * limit * 100) / 100;
    const hidden = layer.index < depth;
    for (let j = 0; j < layer.outputs; j++)
      params[layer.offset + weights + j] = hidden && init === 'dead' ? DEAD_BIAS : 0;
  }
  return params;
}

/**
 * One training point's loss as a program in the lesson's language: every weight, product, sum
 * and activation is its own node, and each layer is written with the same two lines, a
 * weighted sum and an activation, which is the whole point (no layer needs its own formula).
 */
export function networkProgram({ depth, activation }: NetworkSpec): string {
  const lines: string[] = [];
  let inputs = [inputName(1), inputName(2)];
  for (const layer of layersOf(depth)) {
    const outputs: string[] = [];
    for (let j = 1; j <= layer.outputs; j++) {
      const terms = inputs.map((input, k) => `${weightName(layer.index, j, k + 1)}*${input}`);
      lines.push(`${sumName(layer.index, j)} = ${terms.join(' + ')} + ${biasName(layer.index, j)}`);
      if (layer.index < depth) {
        lines.push(`${hiddenName(layer.index, j)} = ${activation}(${sumName(layer.index, j)})`);
        outputs.push(hiddenName(layer.index, j));
      }
    }
    inputs = outputs;
  }
  lines.push(`p = sigmoid(${sumName(depth, 1)})`);
  lines.push('L = bce(p, y)');
  return lines.join('\n');
}

function activate(activation: Activation, z: number): number {
  if (activation === 'tanh') return Math.tanh(z);
  if (activation === 'relu') return z > 0 ? z : 0;
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * The network's output logit at one point, in plain arithmetic: values only, no derivatives.
 * Used to shade the decision boundary (thousands of grid points per frame), and tested
 * against the engine's forward pass.
 */
export function forwardLogit(
  spec: NetworkSpec,
  params: Float64Array,
  x1: number,
  x2: number,
  scratch?: Float64Array,
): number {
  const a = scratch ?? new Float64Array(2 * HIDDEN_UNITS);
  let inputs = 2;
  a[0] = x1;
  a[1] = x2;
  let logit = 0;
  let read = 0;
  let write = HIDDEN_UNITS;
  for (const layer of layersOf(spec.depth)) {
    const biases = layer.offset + layer.inputs * layer.outputs;
    for (let j = 0; j < layer.outputs; j++) {
      let z = params[biases + j]!;
      const row = layer.offset + j * layer.inputs;
      for (let k = 0; k < inputs; k++) z += params[row + k]! * a[read + k]!;
      if (layer.index === spec.depth) logit = z;
      else a[write + j] = activate(spec.activation, z);
    }
    inputs = layer.outputs;
    const swap = read;
    read = write;
    write = swap;
  }
  return logit;
}
