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
  /** dL/da for binary cross-entropy: -y/a + (1-y)/(1-a). */
  dLda: number;
  /** da/dz = sigma(z)(1 - sigma(z)). */
  dadz: number;
  /** dz/dw = x. */
  dzdw: number;
  /** dL/dw = (a - y) x. */
  dLdw: number;
}

export function neuronReference({ x, w, b, y }: { x: number; w: number; b: number; y: number }): NeuronReference {
  const p = w * x;
  const z = p + b;
  const a = sigmoid(z);
  return { p, z, a, dLda: -y / a + (1 - y) / (1 - a), dadz: a * (1 - a), dzdw: x, dLdw: (a - y) * x };
}
