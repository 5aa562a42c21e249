/**
 * Independent closed-form references for the unit tests: textbook formulas for the lesson's
 * neuron, written without lib/autodiff so the tests can catch a wrong engine or a wrong target.
 */
export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export interface NeuronReference {
  p: number;
  z: number;
  a: number;
  /** dL/da: -y/a + (1-y)/(1-a) for binary cross-entropy, 2(a - y) for squared error. */
  dLda: number;
  /** da/dz = sigma(z)(1 - sigma(z)). */
  dadz: number;
  /** dz/dw = x. */
  dzdw: number;
  /** dL/dw: (a - y) x for cross-entropy, 2(a - y) a(1 - a) x for squared error. */
  dLdw: number;
}

/** Textbook formulas; `loss` 'squared-error' is L = (a - y)^2, so dL/da = 2(a - y). */
export function neuronReference(
  { x, w, b, y }: { x: number; w: number; b: number; y: number },
  loss: 'bce' | 'squared-error' = 'bce',
): NeuronReference {
  const p = w * x;
  const z = p + b;
  const a = sigmoid(z);
  const dLda = loss === 'bce' ? -y / a + (1 - y) / (1 - a) : 2 * (a - y);
  const dLdw = loss === 'bce' ? (a - y) * x : 2 * (a - y) * a * (1 - a) * x;
  return { p, z, a, dLda, dadz: a * (1 - a), dzdw: x, dLdw };
}
