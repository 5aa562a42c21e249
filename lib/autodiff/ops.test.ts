import { describe, expect, it } from 'vitest';

import { BCE_EPSILON, OPS, compile, evaluate, gradCheck } from './index';

/** Hand-derived derivatives, written independently of the op table. */
const closedForm: Record<
  string,
  { source: string; at: Record<string, number>; expected: (v: Record<string, number>) => Record<string, number> }[]
> = {
  add: [{ source: 'x + y', at: { x: 1.5, y: -2 }, expected: () => ({ x: 1, y: 1 }) }],
  sub: [{ source: 'x - y', at: { x: 1.5, y: -2 }, expected: () => ({ x: 1, y: -1 }) }],
  mul: [{ source: 'x * y', at: { x: 1.5, y: -2 }, expected: ({ x, y }) => ({ x: y!, y: x! }) }],
  div: [{ source: 'x / y', at: { x: 1.5, y: -2 }, expected: ({ x, y }) => ({ x: 1 / y!, y: -x! / (y! * y!) }) }],
  neg: [{ source: '-x', at: { x: 1.5 }, expected: () => ({ x: -1 }) }],
  pow: [
    { source: 'x^3', at: { x: -1.5 }, expected: ({ x }) => ({ x: 3 * x! * x! }) },
    {
      source: 'x^y',
      at: { x: 1.7, y: 2.3 },
      expected: ({ x, y }) => ({ x: y! * x! ** (y! - 1), y: x! ** y! * Math.log(x!) }),
    },
    {
      source: 'pow(x, y)',
      at: { x: 0.4, y: -1.2 },
      expected: ({ x, y }) => ({ x: y! * x! ** (y! - 1), y: x! ** y! * Math.log(x!) }),
    },
  ],
  exp: [{ source: 'exp(x)', at: { x: 0.7 }, expected: ({ x }) => ({ x: Math.exp(x!) }) }],
  log: [{ source: 'log(x)', at: { x: 0.7 }, expected: ({ x }) => ({ x: 1 / x! }) }],
  sqrt: [{ source: 'sqrt(x)', at: { x: 0.7 }, expected: ({ x }) => ({ x: 1 / (2 * Math.sqrt(x!)) }) }],
  abs: [
    { source: 'abs(x)', at: { x: -0.7 }, expected: () => ({ x: -1 }) },
    { source: 'abs(x)', at: { x: 0.7 }, expected: () => ({ x: 1 }) },
  ],
  sigmoid: [
    {
      source: 'sigmoid(x)',
      at: { x: -0.7 },
      expected: ({ x }) => ({ x: Math.exp(-x!) / (1 + Math.exp(-x!)) ** 2 }),
    },
  ],
  tanh: [{ source: 'tanh(x)', at: { x: 0.4 }, expected: ({ x }) => ({ x: 1 / Math.cosh(x!) ** 2 }) }],
  relu: [
    { source: 'relu(x)', at: { x: 0.4 }, expected: () => ({ x: 1 }) },
    { source: 'relu(x)', at: { x: -0.4 }, expected: () => ({ x: 0 }) },
  ],
  max: [{ source: 'max(x, y)', at: { x: 0.4, y: 0.9 }, expected: () => ({ x: 0, y: 1 }) }],
  min: [{ source: 'min(x, y)', at: { x: 0.4, y: 0.9 }, expected: () => ({ x: 1, y: 0 }) }],
  sin: [{ source: 'sin(x)', at: { x: 0.4 }, expected: ({ x }) => ({ x: Math.cos(x!) }) }],
  cos: [{ source: 'cos(x)', at: { x: 0.4 }, expected: ({ x }) => ({ x: -Math.sin(x!) }) }],
  sqerr: [
    { source: 'sqerr(a, y)', at: { a: 0.3, y: 1 }, expected: ({ a, y }) => ({ a: 2 * (a! - y!), y: -2 * (a! - y!) }) },
    { source: 'mse(a, y)', at: { a: 0.3, y: 1 }, expected: ({ a, y }) => ({ a: 2 * (a! - y!), y: -2 * (a! - y!) }) },
  ],
  bce: [
    {
      source: 'bce(a, y)',
      at: { a: 0.3, y: 0.8 },
      expected: ({ a, y }) => ({ a: -y! / a! + (1 - y!) / (1 - a!), y: -Math.log(a!) + Math.log(1 - a!) }),
    },
  ],
  bce_logits: [
    {
      source: 'bce_logits(z, y)',
      at: { z: -1.3, y: 0.8 },
      expected: ({ z, y }) => ({ z: 1 / (1 + Math.exp(-z!)) - y!, y: -z! }),
    },
  ],
};

describe('every op in the table', () => {
  it('has a closed-form test case here', () => {
    expect(OPS.map((op) => op.name).sort()).toEqual(Object.keys(closedForm).sort());
  });

  for (const [name, cases] of Object.entries(closedForm)) {
    it(`${name}: reverse and forward match hand-derived derivatives and central differences`, () => {
      for (const { source, at, expected } of cases) {
        const want = expected(at);
        for (const mode of ['reverse', 'forward'] as const) {
          const { gradients } = evaluate(source, at, { mode });
          for (const variable of Object.keys(at)) {
            expect(gradients[variable], `${source} d/d${variable} (${mode})`).toBeCloseTo(want[variable]!, 12);
          }
        }
        const analytic = evaluate(source, at).gradients;
        for (const row of gradCheck((env) => evaluate(source, env).value, at, analytic)) {
          expect(row.relError, `${source} d/d${row.name}`).toBeLessThan(1e-7);
        }
      }
    });
  }
});

describe('numeric edge cases follow IEEE 754 and are documented', () => {
  it('log and division at 0 give infinities, not exceptions', () => {
    expect(evaluate('log(x)', { x: 0 })).toEqual({ value: -Infinity, gradients: { x: Infinity } });
    expect(evaluate('1/x', { x: 0 })).toEqual({ value: Infinity, gradients: { x: -Infinity } });
    expect(evaluate('sqrt(x)', { x: 0 })).toEqual({ value: 0, gradients: { x: Infinity } });
    const negativeLog = evaluate('log(x)', { x: -1 });
    expect(negativeLog.value).toBeNaN();
  });

  it('near 0, log and division stay finite and match closed forms', () => {
    expect(evaluate('log(x)', { x: 1e-300 }).gradients.x! / 1e300).toBeCloseTo(1, 12);
    const tiny = 1e-8;
    const { value, gradients } = evaluate('1/x', { x: tiny });
    expect(value / 1e8).toBeCloseTo(1, 12);
    expect(gradients.x! / -1e16).toBeCloseTo(1, 12);
  });

  it('a zero upstream gradient does not turn 0 * Infinity into NaN', () => {
    // relu(log x) is flat (= 0) near x = 0 from the right and log(relu x) is constant (-Infinity)
    // for x < 0, so both derivatives are 0, in both modes.
    for (const mode of ['reverse', 'forward'] as const) {
      expect(evaluate('relu(log(x))', { x: 0 }, { mode }).gradients.x).toBe(0);
      expect(evaluate('log(relu(x))', { x: -1 }, { mode }).gradients.x).toBe(0);
    }
  });

  it('large exponents: exact powers and overflow to Infinity', () => {
    const { value, gradients } = evaluate('x^50', { x: 1.1 });
    expect(value).toBeCloseTo(1.1 ** 50, 10);
    expect(gradients.x).toBeCloseTo(50 * 1.1 ** 49, 9);
    expect(evaluate('exp(x)', { x: 800 }).value).toBe(Infinity);
    expect(evaluate('x^y', { x: 2, y: 1100 }).value).toBe(Infinity);
    expect(evaluate('x^2', { x: 1e200 }).value).toBe(Infinity);
  });

  it('a negative base with a literal exponent keeps every edge finite', () => {
    const result = compile('L = (a - y)^2').run({ a: 0.2, y: 1 });
    expect(result.gradients.a).toBeCloseTo(2 * (0.2 - 1), 14);
    for (const edge of result.trace.edges) expect(Number.isFinite(edge.localDerivative)).toBe(true);
  });

  it('0^y with a variable exponent has derivative 0 in y (not 0 · -Infinity)', () => {
    expect(evaluate('x^y', { x: 0, y: 2 }).gradients).toEqual({ x: 0, y: 0 });
  });

  it('non-smooth points use the documented one-sided choice', () => {
    expect(evaluate('abs(x)', { x: 0 }).gradients.x).toBe(0);
    expect(evaluate('relu(x)', { x: 0 }).gradients.x).toBe(0);
    expect(evaluate('max(x, y)', { x: 1, y: 1 }).gradients).toEqual({ x: 1, y: 0 });
    expect(evaluate('min(x, y)', { x: 1, y: 1 }).gradients).toEqual({ x: 1, y: 0 });
  });

  it('sigmoid is stable for large |z|', () => {
    expect(evaluate('sigmoid(z)', { z: -800 }).value).toBe(0);
    expect(evaluate('sigmoid(z)', { z: 800 }).value).toBe(1);
    expect(evaluate('sigmoid(z)', { z: -800 }).gradients.z).toBe(0);
  });
});

describe('binary cross-entropy stability', () => {
  it('bce on a saturated probability is clamped to -log(1e-12), finite', () => {
    const clampedLoss = -Math.log(BCE_EPSILON);
    const result = evaluate('bce(sigmoid(z), y)', { z: 40, y: 0 });
    // The upper clamp 1 - 1e-12 is itself rounded, so -log(1 - p) is 27.63104... not 27.63102...
    expect(result.value).toBeCloseTo(-Math.log1p(-(1 - BCE_EPSILON)), 12);
    expect(result.value).toBeCloseTo(clampedLoss, 4);
    // Outside the clamp the computed loss is flat, so its derivative is 0 — finite differences agree.
    expect(result.gradients.z).toBe(0);
    expect(evaluate('bce(a, y)', { a: 0, y: 1 }).value).toBeCloseTo(clampedLoss, 10);
  });

  it('bce_logits equals the textbook formula where that is stable, and stays exact where it is not', () => {
    for (const z of [-3, -0.5, 0, 0.5, 3]) {
      for (const y of [0, 1, 0.25]) {
        const a = 1 / (1 + Math.exp(-z));
        const textbook = -(y * Math.log(a) + (1 - y) * Math.log(1 - a));
        expect(evaluate('bce_logits(z, y)', { z, y }).value).toBeCloseTo(textbook, 13);
        expect(evaluate('bce_logits(z, y)', { z, y }).gradients.z).toBeCloseTo(a - y, 14);
      }
    }
    // At z = 40, y = 0 the loss is z + log1p(e^-z) ≈ 40 with gradient sigmoid(40) ≈ 1.
    const saturated = evaluate('bce_logits(z, y)', { z: 40, y: 0 });
    expect(saturated.value).toBeCloseTo(40, 12);
    expect(saturated.gradients.z).toBeCloseTo(1, 15);
    const hugeNegative = evaluate('bce_logits(z, y)', { z: -1000, y: 1 });
    expect(hugeNegative.value).toBe(1000);
    expect(hugeNegative.gradients.z).toBe(-1);
  });
});

describe('gradCheck', () => {
  it('reports CS231n relative error and flags a wrong analytic gradient', () => {
    const f = (env: Record<string, number>): number => env.x! ** 3 + env.y!;
    const rows = gradCheck(f, { x: 2, y: 5 }, { x: 12, y: 0.5 });
    expect(rows.map((row) => row.name)).toEqual(['x', 'y']);
    expect(rows[0]!.numeric).toBeCloseTo(12, 8);
    expect(rows[0]!.relError).toBeLessThan(1e-9);
    expect(rows[1]!.relError).toBeCloseTo(0.5, 8);
  });

  it('both-zero derivatives give relative error 0, a missing analytic entry gives NaN', () => {
    const rows = gradCheck(() => 1, { x: 3, y: 4 }, { x: 0 });
    expect(rows[0]!.relError).toBe(0);
    expect(rows[1]!.analytic).toBeNaN();
    expect(rows[1]!.relError).toBeNaN();
  });
});
