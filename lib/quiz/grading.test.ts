import { describe, expect, it } from 'vitest';

import { graphPractice } from '@/content/lessons/chain-rule-computational-graphs/questions';

import { gradeChoice, gradeNumeric, gradeNumericPart } from './grading';
import type { PublicNumericQuestion } from './schema';
import { solveTarget } from './targets';
import { neuronReference } from './test-helpers';
import { withinTolerance } from './tolerance';
import { numericVariant, type ShuffledOption } from './variants';

const learners = Array.from({ length: 150 }, (_, i) => `learner-${i}`);
const question = (id: string): PublicNumericQuestion => {
  const found = graphPractice.find((entry) => entry.id === id);
  if (!found) throw new Error(id);
  return found;
};
const chainFactors = question('chain-factors');

describe('tolerance', () => {
  it('accepts 1% relative or 0.001 absolute, no more', () => {
    expect(withinTolerance(-0.4977 * 1.009, -0.4977)).toBe(true);
    expect(withinTolerance(-0.4977 * 1.02, -0.4977)).toBe(false);
    expect(withinTolerance(0.0009, 0)).toBe(true);
    expect(withinTolerance(0.0011, 0)).toBe(false);
    expect(withinTolerance(Number.NaN, 1)).toBe(false);
    expect(withinTolerance(Number.POSITIVE_INFINITY, 1)).toBe(false);
  });
});

describe('expected answers come from the engine and match closed forms', () => {
  it('matches the lesson worked example (x = 1.5, w = 0.8, b = -0.5, y = 1)', () => {
    const variant = { x: 1.5, w: 0.8, b: -0.5, y: 1, eta: 0.5 };
    expect(solveTarget('neuron-local-a-L', variant).expected).toBeCloseTo(-1.4966, 4);
    expect(solveTarget('neuron-local-z-a', variant).expected).toBeCloseTo(0.2217, 4);
    expect(solveTarget('neuron-path-w-z', variant).expected).toBeCloseTo(1.5, 10);
    expect(solveTarget('neuron-dL-dw', variant).expected).toBeCloseTo(-0.4977, 4);
    expect(solveTarget('neuron-step-w', variant).expected).toBeCloseTo(0.8 + 0.5 * 0.4977, 4);
  });

  it('agrees with sigmoid/cross-entropy formulas for every learner variant, and grades them correct', () => {
    for (const learner of learners) {
      for (const entry of graphPractice) {
        const { variant, solutions } = numericVariant(entry, learner, 0);
        const ref = neuronReference(variant, entry.loss);
        const closedForm: Record<string, number> = {
          'neuron-local-z-a': ref.dadz,
          'neuron-local-a-L': ref.dLda,
          'neuron-path-w-z': ref.dzdw,
          'neuron-dL-dw': ref.dLdw,
          'neuron-step-w': variant.w - variant.eta * ref.dLdw,
          // L = p·z with z = p + b: dL/dp = z + p.
          'reused-dL-dp': ref.z + ref.p,
        };
        entry.parts.forEach((part, index) => {
          const expected = closedForm[part.target]!;
          expect(solutions[index]!.expected).toBeCloseTo(expected, 9);
        });
        const engineAnswer = {
          parts: Object.fromEntries(entry.parts.map((part, i) => [part.id, solutions[i]!.expected])),
        };
        expect(gradeNumeric(entry, solutions, engineAnswer)).toMatchObject({ score: 1, correct: true });
        const referenceAnswer = {
          parts: Object.fromEntries(entry.parts.map((part) => [part.id, closedForm[part.target]!])),
        };
        expect(gradeNumeric(entry, solutions, referenceAnswer).correct).toBe(true);
      }
    }
  });

  it('accepts an answer rounded to 3 significant figures and rejects a clearly wrong one', () => {
    const entry = question('gradient-dl-dw');
    for (const learner of learners.slice(0, 50)) {
      const { variant, solutions } = numericVariant(entry, learner, 0);
      const exact = neuronReference(variant).dLdw;
      expect(gradeNumeric(entry, solutions, { parts: { value: Number(exact.toPrecision(3)) } }).correct).toBe(true);
      expect(gradeNumeric(entry, solutions, { parts: { value: exact * 1.1 } }).correct).toBe(false);
    }
  });
});

describe('misconceptions', () => {
  it('gives partial credit per factor and names each mistake in the multi-part question', () => {
    for (const learner of learners) {
      const { variant, solutions } = numericVariant(chainFactors, learner, 0);
      expect(chainFactors.loss).toBe('squared-error');
      const ref = neuronReference(variant, 'squared-error');
      const bce = neuronReference(variant, 'bce');
      const grade = (parts: Record<string, number>) =>
        gradeNumeric(chainFactors, solutions, { parts: { dLda: ref.dLda, dadz: ref.dadz, dzdw: ref.dzdw, ...parts } });

      const sigmoidMistake = grade({ dadz: ref.a });
      expect(sigmoidMistake.score).toBeCloseTo(2 / 3, 10);
      expect(sigmoidMistake.correct).toBe(false);
      expect(sigmoidMistake.parts.find((part) => part.id === 'dadz')).toMatchObject({
        correct: false,
        misconception: 'sigmoid-for-derivative',
      });

      expect(grade({ dLda: -ref.dLda }).parts[0]).toMatchObject({ misconception: 'sign-dL-da' });
      // dL/dz with squared error: 2(a - y) a(1 - a).
      expect(grade({ dLda: ref.dLda * ref.dadz }).parts[0]).toMatchObject({ misconception: 'dL-dz-for-dL-da' });
      // The cross-entropy slope where squared error was asked.
      expect(grade({ dLda: bce.dLda }).parts[0]).toMatchObject({ misconception: 'wrong-loss' });
      expect(grade({ dzdw: 1 }).parts[2]).toMatchObject({ misconception: 'missing-x' });
      expect(grade({ dzdw: variant.w }).parts[2]).toMatchObject({ misconception: 'w-for-x' });

      const twoWrong = grade({ dLda: -ref.dLda, dzdw: 1 });
      expect(twoWrong.score).toBeCloseTo(1 / 3, 10);
    }
  });

  it('detects paths multiplied instead of added on the reused node', () => {
    const entry = question('reused-node');
    for (const learner of learners) {
      const { variant, solutions } = numericVariant(entry, learner, 0);
      const { p, z } = neuronReference({ ...variant, y: 0 });
      const solution = solutions[0]!;
      expect(gradeNumericPart('value', z * p, solution).misconception).toBe('paths-multiplied');
      expect(gradeNumericPart('value', z, solution).misconception).toBe('one-path-only');
      expect(gradeNumericPart('value', p, solution).misconception).toBe('one-path-only');
      expect(gradeNumericPart('value', z + p, solution).correct).toBe(true);
    }
  });

  it('detects sign and sigmoid mistakes in dL/dw and the gradient step', () => {
    const dldw = question('gradient-dl-dw');
    const step = question('gradient-step');
    for (const learner of learners) {
      const a = numericVariant(dldw, learner, 0);
      const ref = neuronReference(a.variant);
      const dLdw = a.solutions[0]!;
      expect(gradeNumericPart('value', ref.dLda * ref.a * ref.dzdw, dLdw).misconception).toBe('sigmoid-for-derivative');
      expect(gradeNumericPart('value', -ref.dLdw, dLdw).misconception).toBe('sign-dL-da');
      expect(gradeNumericPart('value', ref.a - a.variant.y, dLdw).misconception).toBe('missing-x');

      const s = numericVariant(step, learner, 0);
      const sref = neuronReference(s.variant);
      const { w, eta } = s.variant;
      expect(gradeNumericPart('value', w + eta * sref.dLdw, s.solutions[0]!).misconception).toBe('step-uphill');
      expect(gradeNumericPart('value', w - sref.dLdw, s.solutions[0]!).misconception).toBe('no-learning-rate');
    }
  });

  it('names no misconception for an unrelated wrong answer', () => {
    const { solutions } = numericVariant(chainFactors, 'someone', 0);
    expect(gradeNumericPart('dLda', 12345, solutions[0]!)).toEqual({
      id: 'dLda',
      score: 0,
      correct: false,
      misconception: null,
    });
  });
});

describe('single choice', () => {
  const options: ShuffledOption[] = [
    { key: 'A', optionId: 'wrong-1', text: 'w1' },
    { key: 'B', optionId: 'right', text: 'r' },
    { key: 'C', optionId: 'wrong-2', text: 'w2' },
  ];
  it('grades by the option behind the letter', () => {
    expect(gradeChoice(options, 'right', { choice: 'B' })).toMatchObject({ score: 1, correct: true });
    expect(gradeChoice(options, 'right', { choice: 'A' })).toMatchObject({ score: 0, correct: false });
    expect(gradeChoice(options, 'right', { choice: 'H' })).toMatchObject({ score: 0, correct: false });
  });
});
