import { describe, expect, it } from 'vitest';

import { compile, LESSON_NEURON } from '@/lib/autodiff';

import { hFromExponent, nudgeLadder, nudgeRow, relativeError } from './nudge';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const NEURON_ENV = { w: 0.5, x: 1.5, b: -0.25, y: 1 };

/** dL/dw for L = (sigmoid(w x + b) - y)^2, worked by hand: 2(a - y) a (1 - a) x. */
function neuronDLdw({ w, x, b, y }: typeof NEURON_ENV): number {
  const a = sigmoid(w * x + b);
  return 2 * (a - y) * a * (1 - a) * x;
}

describe('nudgeRow on L = x^3 (closed forms for both differences)', () => {
  const cube = compile('L = x^3');
  const x = 2;

  it('backprop is 3x^2', () => {
    expect(nudgeRow(cube, { x }, 'x', 0.1).backprop).toBeCloseTo(12, 12);
  });

  it.each([1, 0.5, 0.1])('forward difference at h=%s is 3x^2 + 3xh + h^2 (error O(h))', (h) => {
    const row = nudgeRow(cube, { x }, 'x', h);
    expect(relativeError(row.forward, 3 * x * x + 3 * x * h + h * h)).toBeLessThan(1e-12);
  });

  it.each([1, 0.5, 0.1])('central difference at h=%s is 3x^2 + h^2 (error O(h^2))', (h) => {
    const row = nudgeRow(cube, { x }, 'x', h);
    expect(relativeError(row.central, 3 * x * x + h * h)).toBeLessThan(1e-12);
  });

  it('shrinking h tenfold cuts the forward error ~10x and the central error ~100x', () => {
    const big = nudgeRow(cube, { x }, 'x', 1e-2);
    const small = nudgeRow(cube, { x }, 'x', 1e-3);
    expect(big.forwardRelError / small.forwardRelError).toBeGreaterThan(9);
    expect(big.forwardRelError / small.forwardRelError).toBeLessThan(11);
    expect(big.centralRelError / small.centralRelError).toBeGreaterThan(90);
    expect(big.centralRelError / small.centralRelError).toBeLessThan(110);
  });
});

describe('nudgeRow on the lesson neuron', () => {
  const neuron = compile(LESSON_NEURON.squaredError);

  it('backprop matches the hand-derived dL/dw', () => {
    const row = nudgeRow(neuron, NEURON_ENV, 'w', 1e-4);
    expect(relativeError(row.backprop, neuronDLdw(NEURON_ENV))).toBeLessThan(1e-13);
    expect(row.loss).toBeCloseTo((sigmoid(0.5 * 1.5 - 0.25) - 1) ** 2, 14);
  });

  it('central beats forward at moderate h', () => {
    const row = nudgeRow(neuron, NEURON_ENV, 'w', 1e-3);
    expect(row.centralRelError).toBeLessThan(row.forwardRelError / 100);
    expect(row.centralRelError).toBeLessThan(1e-5);
  });

  it('a nudge of b compares with dL/db = 2(a - y) a (1 - a)', () => {
    const a = sigmoid(0.5);
    const row = nudgeRow(neuron, NEURON_ENV, 'b', 1e-5);
    expect(relativeError(row.backprop, 2 * (a - 1) * a * (1 - a))).toBeLessThan(1e-13);
    expect(row.centralRelError).toBeLessThan(1e-8);
  });

  it('rejects a non-positive or non-finite h and an unknown variable', () => {
    expect(() => nudgeRow(neuron, NEURON_ENV, 'w', 0)).toThrow(RangeError);
    expect(() => nudgeRow(neuron, NEURON_ENV, 'w', -1)).toThrow(RangeError);
    expect(() => nudgeRow(neuron, NEURON_ENV, 'w', Number.NaN)).toThrow(RangeError);
    expect(() => nudgeRow(neuron, NEURON_ENV, 'q', 0.1)).toThrow(RangeError);
  });
});

describe('nudgeLadder: round-off comes back at tiny h', () => {
  const neuron = compile(LESSON_NEURON.squaredError);
  const rows = nudgeLadder(neuron, NEURON_ENV, 'w');

  it('covers h = 1 .. 1e-12 as exact powers of ten', () => {
    expect(rows.map((row) => row.h)).toEqual([
      1, 0.1, 0.01, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12,
    ]);
    expect(hFromExponent(-3)).toBe(0.001);
  });

  it('has a best h for each method, and the error grows again below it', () => {
    const argmin = (key: 'forwardRelError' | 'centralRelError') =>
      rows.reduce((best, row, index) => (row[key] < rows[best]![key] ? index : best), 0);
    // Truncation (~h for forward, ~h^2 for central) against round-off (~eps/h): the
    // balance sits near sqrt(eps) ~ 1e-8 for forward and near eps^(1/3) ~ 1e-5 for central.
    const forwardBest = argmin('forwardRelError');
    const centralBest = argmin('centralRelError');
    expect(rows[forwardBest]!.h).toBeGreaterThanOrEqual(1e-10);
    expect(rows[forwardBest]!.h).toBeLessThanOrEqual(1e-6);
    expect(rows[centralBest]!.h).toBeGreaterThanOrEqual(1e-7);
    expect(rows[centralBest]!.h).toBeLessThanOrEqual(1e-3);
    const last = rows.at(-1)!;
    expect(last.forwardRelError).toBeGreaterThan(100 * rows[forwardBest]!.forwardRelError);
    expect(last.centralRelError).toBeGreaterThan(100 * rows[centralBest]!.centralRelError);
  });
});

describe('nudgeRow reports the nudged losses it used', () => {
  it('L(v + h) and L(v - h) are the program at the nudged points', () => {
    const square = compile('L = x^2');
    const row = nudgeRow(square, { x: 3 }, 'x', 0.5);
    expect(row.lossAbove).toBe(12.25);
    expect(row.lossBelow).toBe(6.25);
    expect(row.loss).toBe(9);
  });
});
