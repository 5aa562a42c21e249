import { describe, expect, it } from 'vitest';

import { networkPractice } from '@/content/lessons/chain-rule-computational-graphs/questions';

import { formatNumber } from './format';
import { gradeNumeric } from './grading';
import { misconceptionHint } from './hints';
import { NETWORK_FIXED, NETWORK_TARGETS, solveNetworkTarget } from './network-targets';
import { numericVariant } from './variants';

/** Hand-derived, engine-free: tanh hidden units, sigmoid output, cross-entropy. */
function closedForm({ x, w, b, y }: { x: number; w: number; b: number; y: number }) {
  const { u, c, v1, v2 } = NETWORK_FIXED;
  const h1 = Math.tanh(w * x + b);
  const h2 = Math.tanh(u * x + c);
  const p = 1 / (1 + Math.exp(-(v1 * h1 + v2 * h2)));
  const dLds = p - y;
  const viaH1 = dLds * v1 * (1 - h1 * h1) * w;
  const viaH2 = dLds * v2 * (1 - h2 * h2) * u;
  return {
    'network-dL-ds': dLds,
    'network-dh1-dz1': 1 - h1 * h1,
    'network-dL-dw': dLds * v1 * (1 - h1 * h1) * x,
    'network-path-x-h1': viaH1,
    'network-path-x-h2': viaH2,
    'network-dL-dx': viaH1 + viaH2,
  };
}

describe('network targets', () => {
  it('match the hand-derived chain at several points, and the two paths add up to dL/dx', () => {
    for (const variant of [
      { x: 1.5, w: 0.8, b: -0.5, y: 1 },
      { x: -1.2, w: -0.6, b: 0.3, y: 0 },
      { x: 0.7, w: 1.4, b: -1, y: 1 },
    ]) {
      const expected = closedForm(variant);
      for (const target of NETWORK_TARGETS) {
        const solved = solveNetworkTarget(target, variant).expected;
        expect(Math.abs(solved - expected[target])).toBeLessThanOrEqual(
          1e-12 * Math.max(1, Math.abs(expected[target])),
        );
      }
    }
  });

  it('offers one-path and multiplied-paths misconceptions for dL/dx, each a different number', () => {
    const solution = solveNetworkTarget('network-dL-dx', { x: 1.5, w: 0.8, b: -0.5, y: 1 });
    const values = [solution.expected, ...solution.misconceptions.map((m) => m.value)];
    expect(new Set(values.map((v) => v.toFixed(6))).size).toBe(values.length);
    expect(solution.misconceptions.map((m) => m.id)).toEqual(['paths-multiplied', 'one-path-only', 'one-path-only']);
  });
});

describe('network questions: seeded variants graded per part', () => {
  it('every learner gets a usable variant whose answers match the closed form; wrong factors lose only their own credit', () => {
    for (const question of networkPractice) {
      for (let i = 0; i < 100; i++) {
        const { variant, solutions } = numericVariant(question, `learner-${i}`, 0);
        const expected = closedForm(variant);
        question.parts.forEach((part, index) => {
          const target = part.target as (typeof NETWORK_TARGETS)[number];
          expect(Math.abs(solutions[index]!.expected - expected[target])).toBeLessThanOrEqual(
            1e-12 * Math.max(1, Math.abs(expected[target])),
          );
        });
        // All right: full credit. The last part wrong (one path only, or x forgotten): partial.
        const right = Object.fromEntries(question.parts.map((part, k) => [part.id, solutions[k]!.expected]));
        expect(gradeNumeric(question, solutions, { parts: right }).correct).toBe(true);
        const last = question.parts.at(-1)!;
        const mistake = solutions.at(-1)!.misconceptions[0]!;
        const partial = gradeNumeric(question, solutions, { parts: { ...right, [last.id]: mistake.value } });
        expect(partial.correct).toBe(false);
        expect(partial.score).toBeCloseTo(2 / 3, 10);
        expect(partial.parts.at(-1)!.misconception).toBe(mistake.id);
      }
    }
  });

  it('a one-path answer for dL/dx gets a hint about the other path, never the answer', () => {
    const question = networkPractice.find((entry) => entry.id === 'network-two-paths')!;
    const { solutions } = numericVariant(question, 'learner-hint', 0);
    const onePath = solutions[2]!.misconceptions.find((m) => m.id === 'one-path-only')!;
    const hint = misconceptionHint('one-path-only', {
      target: 'network-dL-dx',
      loss: undefined,
      values: solutions[2]!.values,
      answer: onePath.value,
    });
    expect(hint).toContain('h₂');
    expect(hint).not.toContain(formatNumber(solutions[2]!.expected));
  });
});
