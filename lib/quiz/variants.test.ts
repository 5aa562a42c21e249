import { describe, expect, it } from 'vitest';

import { graphPractice, knowledgeCheck } from '@/content/lessons/chain-rule-computational-graphs/questions';

import { fnv1a32 } from './random';
import { choiceVariant, numericVariant } from './variants';

const learners = Array.from({ length: 200 }, (_, i) => `learner-${i}`);
const isTenth = (value: number) => Math.abs(value * 10 - Math.round(value * 10)) < 1e-9;

describe('seeded variants', () => {
  it('FNV-1a matches the published test vectors', () => {
    // From the FNV reference (draft-eastlake-fnv): "" -> 0x811c9dc5, "a" -> 0xe40c292c, "foobar" -> 0xbf9cf968.
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('gives the same numbers for the same learner, question and variant index', () => {
    for (const question of graphPractice) {
      for (const learner of learners.slice(0, 20)) {
        expect(numericVariant(question, learner, 0)).toEqual(numericVariant(question, learner, 0));
        expect(numericVariant(question, learner, 2)).toEqual(numericVariant(question, learner, 2));
      }
    }
  });

  it('gives different learners, questions and variant indexes different numbers', () => {
    const question = graphPractice[0]!;
    const distinct = new Set(learners.map((learner) => JSON.stringify(numericVariant(question, learner, 0).variant)));
    expect(distinct.size).toBeGreaterThan(150);
    const perIndex = new Set(
      [0, 1, 2, 3].map((index) => JSON.stringify(numericVariant(question, 'same', index).variant)),
    );
    expect(perIndex.size).toBe(4);
  });

  it('draws friendly one-decimal numbers in the stated ranges', () => {
    for (const question of graphPractice) {
      for (const learner of learners) {
        const { x, w, b, y, eta } = numericVariant(question, learner, 0).variant;
        for (const value of [x, w, b]) expect(isTenth(value)).toBe(true);
        expect(Math.abs(x)).toBeGreaterThanOrEqual(0.5);
        expect(Math.abs(x)).toBeLessThanOrEqual(2);
        expect(Math.abs(w)).toBeGreaterThanOrEqual(0.2);
        expect(Math.abs(w)).toBeLessThanOrEqual(1.5);
        expect(Math.abs(b)).toBeLessThanOrEqual(1);
        expect([0, 1]).toContain(y);
        expect([0.1, 0.5, 1]).toContain(eta);
      }
    }
  });

  it('shuffles options per learner, stably, as display letters', () => {
    for (const question of knowledgeCheck) {
      const first = choiceVariant(question, 'learner-a', 0);
      expect(choiceVariant(question, 'learner-a', 0)).toEqual(first);
      expect(first.map((option) => option.key)).toEqual(['A', 'B', 'C']);
      expect(first.map((option) => option.optionId).sort()).toEqual(question.options.map((option) => option.id).sort());
      // Every option shows up in first place for some learners: the order carries no hint.
      const firsts = new Set(learners.map((learner) => choiceVariant(question, learner, 0)[0]!.optionId));
      expect(firsts.size).toBe(question.options.length);
    }
  });
});
