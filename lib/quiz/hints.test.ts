import { describe, expect, it } from 'vitest';

import { graphPractice } from '@/content/lessons/chain-rule-computational-graphs/questions';

import { formatNumber } from './format';
import { gradeNumericPart } from './grading';
import { hintFor, signReason } from './hints';
import type { Loss, MisconceptionId, PublicNumericQuestion } from './schema';
import { solveTarget, type GraphVariant } from './targets';
import { neuronReference, sigmoid } from './test-helpers';
import { numericVariant } from './variants';
import { resultView, type LessonQuizContent } from './views';

/**
 * Hint selection against each modelled mistake (issue 16, items 3 and 4). Every mistaken answer
 * is computed here from textbook formulas (test-helpers: no lib/autodiff), then graded: the
 * grader must name that mistake, and the hint must quote the learner's own numbers and say
 * things that are true for their variant (the sign of dL/da for *their* label and loss).
 */

const learners = Array.from({ length: 60 }, (_, i) => `hint-learner-${i}`);
const question = (id: string): PublicNumericQuestion => graphPractice.find((entry) => entry.id === id)!;

function hintOf(target: Parameters<typeof solveTarget>[0], variant: GraphVariant, loss: Loss, typed: number) {
  const solution = solveTarget(target, variant, loss);
  const graded = gradeNumericPart('value', typed, solution);
  return {
    misconception: graded.misconception,
    correct: graded.correct,
    hint: hintFor(graded.misconception, { target, loss, values: { ...variant, ...solution.values }, answer: typed }),
  };
}

/** Squared error: L = (a - y)^2. */
function squaredError({ x, w, b, y }: GraphVariant) {
  const a = sigmoid(w * x + b);
  return { a, dLda: 2 * (a - y), dLdw: 2 * (a - y) * a * (1 - a) * x };
}

describe('hint selection: each modelled mistake is named, with the learner’s numbers', () => {
  it('dL/dw (cross-entropy): sign, sigma for sigma-prime, missing x, missing sigma-prime, wrong path, wrong loss', () => {
    const entry = question('gradient-dl-dw');
    expect(entry.loss).toBe('bce');
    for (const learner of learners) {
      const { variant } = numericVariant(entry, learner, 0);
      const ref = neuronReference(variant, 'bce');
      const cases: [MisconceptionId, number][] = [
        ['sign-dL-da', -ref.dLdw],
        ['sigmoid-for-derivative', ref.dLda * ref.a * variant.x],
        ['missing-x', ref.a - variant.y],
        ['missing-sigmoid-slope', ref.dLda * variant.x],
        ['wrong-path', (ref.a - variant.y) * variant.w],
        ['wrong-loss', squaredError(variant).dLdw],
      ];
      for (const [id, typed] of cases) {
        const { misconception, correct, hint } = hintOf('neuron-dL-dw', variant, 'bce', typed);
        expect(correct, `${learner} ${id}`).toBe(false);
        expect(misconception, `${learner} ${id}`).toBe(id);
        expect(hint).toContain(formatNumber(typed));
      }
      // The numbers quoted are the variant's, computed here without the engine.
      expect(hintOf('neuron-dL-dw', variant, 'bce', -ref.dLdw).hint).toContain(`a = ${formatNumber(ref.a)}`);
      expect(hintOf('neuron-dL-dw', variant, 'bce', ref.a - variant.y).hint).toContain(
        `x = ${formatNumber(variant.x)}`,
      );
      expect(hintOf('neuron-dL-dw', variant, 'bce', ref.dLda * variant.x).hint).toContain('a(1 − a)');
      expect(hintOf('neuron-dL-dw', variant, 'bce', squaredError(variant).dLdw).hint).toContain(
        'This question uses binary cross-entropy',
      );
    }
  });

  it('dL/da: the sign hint is true for the label at hand (y = 0 and y = 1), for both losses', () => {
    const seen = new Set<string>();
    for (const learner of learners) {
      for (const loss of ['bce', 'squared-error'] as const) {
        const { variant } = numericVariant(question('chain-factors'), learner, 0);
        const ref = neuronReference(variant, loss);
        const { misconception, hint } = hintOf('neuron-local-a-L', variant, loss, -ref.dLda);
        expect(misconception).toBe('sign-dL-da');
        // The true sign of dL/da, from the closed form: the hint must say it.
        const positive = ref.dLda > 0;
        expect(hint).toContain(positive ? 'positive' : 'negative');
        expect(hint).not.toContain(positive ? 'negative' : 'positive');
        if (loss === 'bce') {
          expect(hint).toContain(`y = ${variant.y}`);
          expect(hint).not.toContain(`y = ${1 - variant.y}`);
        }
        seen.add(`${loss}:${variant.y}`);
      }
    }
    // Both labels were exercised for both losses.
    expect([...seen].sort()).toEqual(['bce:0', 'bce:1', 'squared-error:0', 'squared-error:1']);
  });

  it('signReason never assumes y = 1: with y = 0 and cross-entropy, raising a raises the loss', () => {
    const a = sigmoid(0.3);
    expect(signReason('bce', { a, y: 0 })).toContain('positive');
    expect(signReason('bce', { a, y: 0 })).toContain('1/(1 − a)');
    expect(signReason('bce', { a, y: 1 })).toContain('negative');
  });

  it('local derivatives and paths: sigma for its slope, dL/dz for dL/da, missing x, w for x', () => {
    for (const learner of learners) {
      const { variant } = numericVariant(question('chain-factors'), learner, 0);
      const ref = neuronReference(variant, 'squared-error');
      const sigmaHint = hintOf('neuron-local-z-a', variant, 'squared-error', ref.a);
      expect(sigmaHint.misconception).toBe('sigmoid-for-derivative');
      expect(sigmaHint.hint).toContain(`a = ${formatNumber(ref.a)}`);
      expect(hintOf('neuron-local-a-L', variant, 'squared-error', ref.dLda * ref.dadz).misconception).toBe(
        'dL-dz-for-dL-da',
      );
      const missing = hintOf('neuron-path-w-z', variant, 'squared-error', 1);
      expect(missing.misconception).toBe('missing-x');
      expect(missing.hint).toContain(`x = ${formatNumber(variant.x)}`);
      expect(hintOf('neuron-path-w-z', variant, 'squared-error', variant.w).misconception).toBe('w-for-x');
    }
  });

  it('gradient step: uphill, no learning rate, wrong loss; each quotes eta', () => {
    const entry = question('gradient-step');
    for (const learner of learners) {
      const { variant } = numericVariant(entry, learner, 0);
      const ref = neuronReference(variant, 'bce');
      const cases: [MisconceptionId, number][] = [
        ['step-uphill', variant.w + variant.eta * ref.dLdw],
        ['no-learning-rate', variant.w - ref.dLdw],
        ['wrong-loss', variant.w - variant.eta * squaredError(variant).dLdw],
      ];
      for (const [id, typed] of cases) {
        const { misconception, hint } = hintOf('neuron-step-w', variant, 'bce', typed);
        expect(misconception, `${learner} ${id}`).toBe(id);
        if (id !== 'wrong-loss') expect(hint).toContain(`η = ${formatNumber(variant.eta)}`);
      }
    }
  });

  it('reused node: paths multiplied and one path only', () => {
    const entry = question('reused-node');
    for (const learner of learners) {
      const { variant } = numericVariant(entry, learner, 0);
      const p = variant.w * variant.x;
      const z = p + variant.b;
      // Two paths from p to L = p·z: directly (slope z) and through z (slope 1 · p).
      const multiplied = hintOf('reused-dL-dp', variant, 'bce', z * p);
      expect(multiplied.misconception).toBe('paths-multiplied');
      expect(multiplied.hint).toContain(`p = ${formatNumber(p)}`);
      expect(hintOf('reused-dL-dp', variant, 'bce', z).misconception).toBe('one-path-only');
      expect(hintOf('reused-dL-dp', variant, 'bce', p).misconception).toBe('one-path-only');
    }
  });

  it('an unrecognised wrong answer gets the next step in the learner’s numbers, never the answer', () => {
    for (const learner of learners.slice(0, 20)) {
      const { variant } = numericVariant(question('gradient-dl-dw'), learner, 0);
      const ref = neuronReference(variant, 'bce');
      const { misconception, hint } = hintOf('neuron-dL-dw', variant, 'bce', 123.4);
      expect(misconception).toBeNull();
      expect(hint).toContain(`z = w·x + b = ${formatNumber(variant.w * variant.x + variant.b)}`);
      expect(hint).toContain(`a = σ(z) = ${formatNumber(ref.a)}`);
      expect(hint).not.toContain(formatNumber(ref.dLdw));
    }
  });
});

describe('result views carry the hint for the stored attempt', () => {
  it('builds the hint from the variant the attempt was graded on', () => {
    const entry = question('gradient-dl-dw');
    const content = {
      slug: 'lesson',
      questions: [entry],
      choiceKeys: new Map(),
      solutions: new Map(),
      misconceptionFeedback: {} as LessonQuizContent['misconceptionFeedback'],
    } satisfies LessonQuizContent;
    const { variant } = numericVariant(entry, 'learner-x', 0);
    const ref = neuronReference(variant, 'bce');
    const grading = {
      score: 0,
      correct: false,
      parts: [{ id: 'value', score: 0, correct: false, misconception: 'sign-dL-da' as const }],
    };
    const view = resultView(
      content,
      entry,
      { attempt: 1, correct: false, answer: { parts: { value: -ref.dLdw } }, grading },
      { learnerId: 'learner-x', variantBase: 0 },
    );
    expect(view.parts[0]?.feedback).toContain(formatNumber(-ref.dLdw));
    expect(view.parts[0]?.feedback).toContain(`y = ${variant.y}`);
  });
});
