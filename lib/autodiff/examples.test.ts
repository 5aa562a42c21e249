import { describe, expect, it } from 'vitest';

import { EXAMPLE_PROGRAMS, LESSON_NEURON, compile, evaluate, gradCheck } from './index';
import { residualChainEnv, residualChainSource } from './examples';

/** Relative agreement for published numbers quoted to a few digits. */
function expectClose(actual: number, expected: number, absoluteTolerance: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(absoluteTolerance);
}

describe('published worked examples', () => {
  it('CS231n circuit f = (x + y) z at x=-2, y=5, z=-4', () => {
    for (const mode of ['reverse', 'forward'] as const) {
      const { value, gradients } = evaluate('q = x + y\nf = q * z', { x: -2, y: 5, z: -4 }, { mode });
      expect(value).toBe(-12);
      expect(gradients).toEqual({ x: -4, y: -4, z: 3 });
    }
  });

  it('CS231n 2-D sigmoid neuron, written out and with sigmoid()', () => {
    const env = { w0: 2, w1: -3, w2: -3, x0: -1, x1: -2 };
    const expected = { x0: 0.391, x1: -0.59, w0: -0.196, w1: -0.393, w2: 0.196 };
    for (const source of ['1/(1+exp(-(w0*x0+w1*x1+w2)))', 'sigmoid(w0*x0 + w1*x1 + w2)']) {
      for (const mode of ['reverse', 'forward'] as const) {
        const { value, gradients } = evaluate(source, env, { mode });
        // w·x + w2 = 1 here, so f = sigmoid(1) (the notes print 0.73).
        expect(value).toBeCloseTo(1 / (1 + Math.exp(-1)), 15);
        // The notes print truncated values (0.391 for 0.3932...), hence the 2.5e-3 tolerance.
        for (const [name, derivative] of Object.entries(expected)) expectClose(gradients[name]!, derivative, 0.0025);
      }
    }
  });

  it('micrograd README example, written with re-binding', () => {
    // micrograd: c += c + 1 etc.; `c = c + (c + 1)` re-binds c to a new node each time.
    const source = `
      c = a + b
      d = a*b + b^3
      c = c + (c + 1)
      c = c + (1 + c + (-a))
      d = d + (d*2 + relu(b + a))
      d = d + (3*d + relu(b - a))
      e = c - d
      f = e^2
      g = f/2
      g = g + 10/f`;
    for (const mode of ['reverse', 'forward'] as const) {
      const { value, gradients } = evaluate(source, { a: -4, b: 2 }, { mode });
      expectClose(value, 24.7041, 5e-5);
      expectClose(gradients.a!, 138.8338, 5e-5);
      expectClose(gradients.b!, 645.5773, 5e-5);
    }
  });

  it('micrograd lecture tanh neuron (o ≈ 0.7071, dx1 = -1.5, dw1 = 1, dx2 = 0.5, dw2 = 0)', () => {
    const example = EXAMPLE_PROGRAMS.find((candidate) => candidate.id === 'tanh-neuron')!;
    const { value, gradients } = evaluate(example.source, example.env);
    expectClose(value, Math.SQRT1_2, 1e-12);
    expectClose(gradients.x1!, -1.5, 1e-9);
    expectClose(gradients.w1!, 1, 1e-9);
    expectClose(gradients.x2!, 0.5, 1e-9);
    expectClose(gradients.w2!, 0, 1e-9);
    expectClose(gradients.b!, 0.5, 1e-9);
  });
});

describe('lesson neuron', () => {
  const env = { w: 0.8, x: -1.25, b: 0.3, y: 1 };
  const z = env.w * env.x + env.b;
  const a = 1 / (1 + Math.exp(-z));

  it('squared error matches the hand-derived chain 2(a - y) · a(1 - a) · {x, 1, w}', () => {
    const result = compile(LESSON_NEURON.squaredError).run(env);
    const dz = 2 * (a - env.y) * a * (1 - a);
    expect(result.value).toBeCloseTo((a - env.y) ** 2, 14);
    expect(result.gradients.w).toBeCloseTo(dz * env.x, 14);
    expect(result.gradients.b).toBeCloseTo(dz, 14);
    expect(result.gradients.x).toBeCloseTo(dz * env.w, 14);
    expect(result.gradients.y).toBeCloseTo(-2 * (a - env.y), 14);
    expect(result.nodeGradients.a).toBeCloseTo(2 * (a - env.y), 14);
    expect(result.nodeGradients.z).toBeCloseTo(dz, 14);
    expect(result.nodeGradients.p).toBeCloseTo(dz, 14);
    expect(result.nodeGradients.L).toBe(1);
    expect(result.values.p).toBe(env.w * env.x);
    expect(result.values.z).toBe(z);
    expect(result.values.a).toBeCloseTo(a, 15);
  });

  it('BCE gives dL/dz = a - y, the textbook cancellation', () => {
    for (const y of [0, 1, 0.3]) {
      const result = compile(LESSON_NEURON.bce).run({ ...env, y });
      expect(result.value).toBeCloseTo(-(y * Math.log(a) + (1 - y) * Math.log(1 - a)), 13);
      expect(result.nodeGradients.z).toBeCloseTo(a - y, 13);
      expect(result.gradients.w).toBeCloseTo((a - y) * env.x, 13);
      expect(result.gradients.b).toBeCloseTo(a - y, 13);
    }
  });

  it('names the product, pre-activation, activation and loss nodes', () => {
    for (const source of [LESSON_NEURON.squaredError, LESSON_NEURON.bce]) {
      const program = compile(source);
      expect(program.bindings).toEqual(['p', 'z', 'a', 'L']);
      expect(program.variables).toEqual(['w', 'x', 'b', 'y']);
      const labels = program.run(env).trace.nodes.map((node) => node.label);
      expect(labels).toEqual(['w', 'x', 'p', 'b', 'z', 'a', 'y', 'L']);
    }
  });
});

describe('EXAMPLE_PROGRAMS', () => {
  it('has the promised examples with unique ids', () => {
    const ids = EXAMPLE_PROGRAMS.map((example) => example.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining([
        'neuron-squared-error',
        'neuron-bce',
        'cs231n-circuit',
        'reused-node',
        'tanh-neuron',
        'residual-tanh-chain',
      ]),
    );
  });

  it.each(EXAMPLE_PROGRAMS.map((example) => [example.id, example] as const))(
    '%s: every variable is in env, and reverse = forward = central differences',
    (_id, example) => {
      const program = compile(example.source);
      expect(Object.keys(example.env).sort()).toEqual([...program.variables].sort());
      const reverse = program.run(example.env);
      const forward = program.run(example.env, { mode: 'forward' });
      expect(reverse.passes).toBe(1);
      expect(forward.passes).toBe(program.variables.length);
      for (const name of program.variables) {
        expect(forward.gradients[name]).toBeCloseTo(reverse.gradients[name]!, 12);
      }
      const rows = gradCheck((env) => evaluate(example.source, env).value, example.env, reverse.gradients);
      for (const row of rows) {
        expect(Math.abs(row.analytic - row.numeric), row.name).toBeLessThan(1e-7 * Math.max(1, Math.abs(row.analytic)));
      }
    },
  );

  it('reused-node example sums both paths: dL/du = 1 + c', () => {
    const example = EXAMPLE_PROGRAMS.find((candidate) => candidate.id === 'reused-node')!;
    const result = compile(example.source).run(example.env);
    const { w, x, c } = example.env as { w: number; x: number; c: number };
    // L = u + u·c with u = w·x, by hand: dL/du = 1 + c, dL/dw = (1 + c)x, dL/dx = (1 + c)w, dL/dc = u.
    expect(result.nodeGradients.u).toBe(1 + c);
    expect(result.gradients).toEqual({ w: (1 + c) * x, x: (1 + c) * w, c: w * x });
  });

  it('residual example is two layers; the benchmark chain of eight is about 50 nodes', () => {
    const example = EXAMPLE_PROGRAMS.find((candidate) => candidate.id === 'residual-tanh-chain')!;
    expect(compile(example.source).run(example.env).trace.nodes.length).toBeLessThanOrEqual(16);
    const nodes = compile(residualChainSource(8)).run(residualChainEnv(8)).trace.nodes.length;
    expect(nodes).toBeGreaterThanOrEqual(45);
    expect(nodes).toBeLessThanOrEqual(60);
  });

  it('residual example: dh2/dh1 = 1 + w2(1 - tanh²(w2·h1 + b2)), by hand', () => {
    const example = EXAMPLE_PROGRAMS.find((candidate) => candidate.id === 'residual-tanh-chain')!;
    const run = compile(example.source).run(example.env);
    const { x, w1, b1, w2, b2, y } = example.env as Record<'x' | 'w1' | 'b1' | 'w2' | 'b2' | 'y', number>;
    const h1 = x + Math.tanh(w1 * x + b1);
    const h2 = h1 + Math.tanh(w2 * h1 + b2);
    const dh2dh1 = 1 + w2 * (1 - Math.tanh(w2 * h1 + b2) ** 2);
    const dh1dx = 1 + w1 * (1 - Math.tanh(w1 * x + b1) ** 2);
    expect(run.value).toBeCloseTo((h2 - y) ** 2, 14);
    expect(run.gradients.x).toBeCloseTo(2 * (h2 - y) * dh2dh1 * dh1dx, 14);
  });
});
