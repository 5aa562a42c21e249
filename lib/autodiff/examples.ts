export interface ExampleProgram {
  id: string;
  title: string;
  source: string;
  env: Record<string, number>;
  description: string;
}

/**
 * The lesson's single neuron, x -> p = w*x -> z = p + b -> a = sigmoid(z) -> L = loss(a, y).
 * Every intermediate is named so the drawn graph and the lesson text use the same letters.
 */
export const LESSON_NEURON: { readonly squaredError: string; readonly bce: string } = {
  squaredError: 'p = w*x\nz = p + b\na = sigmoid(z)\nL = sqerr(a, y)',
  bce: 'p = w*x\nz = p + b\na = sigmoid(z)\nL = bce(a, y)',
};

/**
 * The lesson's worked example: the inputs its text computes by hand, and the widgets' starting
 * setup (with binary cross-entropy), so the numbers on the page and in the widgets agree.
 */
export const LESSON_WORKED_EXAMPLE: { readonly x: number; readonly w: number; readonly b: number; readonly y: number } =
  { x: 1.5, w: 0.8, b: -0.5, y: 1 };

/**
 * Layers in the playground's residual example: two show the idea and draw about as wide as the
 * neuron (eight drew a 5,000 px strip, issue 16, item 15). The widget benchmark lays out the
 * eight-layer chain (~50 nodes) from `residualChainSource(8)`.
 */
const RESIDUAL_LAYERS = 2;
const RESIDUAL_WEIGHTS = [0.9, -0.6, 0.4, 0.8, -0.3, 0.7, -0.5, 0.2];
const RESIDUAL_BIASES = [0.1, -0.2, 0.05, 0.3, -0.1, 0.15, -0.25, 0.05];

/** `layers` residual layers h = h + tanh(w·h + b) and a squared-error loss (at most 8). */
export function residualChainSource(layers: number = RESIDUAL_LAYERS): string {
  const lines: string[] = [];
  for (let layer = 1; layer <= layers; layer++) {
    const previous = layer === 1 ? 'x' : `h${layer - 1}`;
    lines.push(`h${layer} = ${previous} + tanh(w${layer}*${previous} + b${layer})`);
  }
  lines.push(`L = sqerr(h${layers}, y)`);
  return lines.join('\n');
}

export function residualChainEnv(layers: number = RESIDUAL_LAYERS): Record<string, number> {
  const env: Record<string, number> = { x: 0.5, y: 1 };
  for (let layer = 1; layer <= layers; layer++) {
    env[`w${layer}`] = RESIDUAL_WEIGHTS[layer - 1]!;
    env[`b${layer}`] = RESIDUAL_BIASES[layer - 1]!;
  }
  return env;
}

export const EXAMPLE_PROGRAMS: readonly ExampleProgram[] = [
  {
    id: 'neuron-squared-error',
    title: 'One neuron, squared error',
    source: LESSON_NEURON.squaredError,
    env: { w: 0.5, x: 1.5, b: -0.25, y: 1 },
    description:
      'The lesson neuron: weight times input plus bias, squashed by a sigmoid, scored by (a - y)^2. dL/dw = 2(a - y) · a(1 - a) · x.',
  },
  {
    id: 'neuron-bce',
    title: 'One neuron, binary cross-entropy',
    source: LESSON_NEURON.bce,
    env: { w: 0.5, x: 1.5, b: -0.25, y: 1 },
    description:
      'The same neuron scored by binary cross-entropy. The sigmoid derivative cancels, leaving dL/dz = a - y.',
  },
  {
    id: 'cs231n-circuit',
    title: 'The (x + y) · z circuit',
    source: 'q = x + y\nf = q * z',
    env: { x: -2, y: 5, z: -4 },
    description:
      'The CS231n worked example: the add gate passes its gradient through unchanged (df/dx = df/dy = z = -4), the multiply gate swaps its inputs (df/dz = q = 3).',
  },
  {
    id: 'reused-node',
    title: 'A node on two paths',
    // Letters the lesson does not already use for something else (its a is the activation,
    // its y the label): u = w·x is Concept 2's product, and every node has a name.
    source: 'u = w*x\nv = u*c\nL = u + v',
    env: { w: 2, x: -3, c: 4 },
    description: 'u reaches L directly and through v = u·c, so its gradient is the sum of both paths: dL/du = 1 + c.',
  },
  {
    id: 'tanh-neuron',
    title: 'A tanh neuron',
    source: 'x1w1 = x1*w1\nx2w2 = x2*w2\nx1w1x2w2 = x1w1 + x2w2\nn = x1w1x2w2 + b\no = tanh(n)',
    env: { x1: 2, x2: 0, w1: -3, w2: 1, b: 6.881373587019543 },
    description:
      'Two inputs, two weights and a bias through tanh (the micrograd lecture neuron): o = tanh(n) ≈ 0.7071, so do/dn = 1 - o^2 = 0.5.',
  },
  {
    id: 'residual-tanh-chain',
    title: 'A residual tanh chain',
    source: residualChainSource(),
    env: residualChainEnv(),
    description:
      "Two residual layers, h = h + tanh(w·h + b). The skip connection adds 1 to each layer's local derivative, dh2/dh1 = 1 + w2(1 - tanh²), so blame reaches x even where tanh is flat.",
  },
];
