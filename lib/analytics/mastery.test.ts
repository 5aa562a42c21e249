import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { computeMastery, skillMasteryOf, type MasteryAttempt } from './mastery';
import { SKILLS } from './skills';

describe('skillMasteryOf (3 right in a row, newest back, is mastered)', () => {
  it('is not started with no answers', () => {
    expect(skillMasteryOf([], null)).toEqual({
      level: 'not started',
      value: null,
      attempts: 0,
      correct: 0,
      streak: 0,
      progress: 0,
      lastAttemptAt: null,
    });
  });

  it('one right answer is practising, with a third of the bar, never 100%', () => {
    expect(skillMasteryOf([1], 5)).toMatchObject({ level: 'practising', value: 1, correct: 1, streak: 1 });
    expect(skillMasteryOf([1], 5).progress).toBeCloseTo(1 / 3, 12);
  });

  it('a failed first answer then one right answer is practising (the bug in issue 16)', () => {
    expect(skillMasteryOf([0, 1], 5)).toMatchObject({ level: 'practising', correct: 1, attempts: 2, streak: 1 });
  });

  it('wrong, right, right, right is mastered: 3 of 4 right, the last 3 in a row', () => {
    expect(skillMasteryOf([0, 1, 1, 1], 9)).toEqual({
      level: 'mastered',
      value: 0.75,
      attempts: 4,
      correct: 3,
      streak: 3,
      progress: 1,
      lastAttemptAt: 9,
    });
  });

  it('a wrong answer after mastery takes it back to practising with an empty bar', () => {
    expect(skillMasteryOf([1, 1, 1, 0], 9)).toMatchObject({ level: 'practising', streak: 0, progress: 0, correct: 3 });
  });

  it('partial credit is not a right answer', () => {
    expect(skillMasteryOf([1, 1, 0.99], 9)).toMatchObject({ level: 'practising', correct: 2, streak: 0 });
  });

  it('the bar is full exactly when the skill is mastered, and the counts agree with the scores', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0, 0.5, 1), { maxLength: 12 }), (scores) => {
        const mastery = skillMasteryOf(scores, scores.length === 0 ? null : 1);
        expect(mastery.progress === 1).toBe(mastery.level === 'mastered');
        expect(mastery.correct).toBe(scores.filter((score) => score === 1).length);
        expect(mastery.attempts).toBe(scores.length);
        // Mastered by a direct reading of the rule: the last three scores exist and are all 1.
        const lastThree = scores.slice(-3);
        expect(mastery.level === 'mastered').toBe(lastThree.length === 3 && lastThree.every((score) => score === 1));
      }),
    );
  });
});

describe('computeMastery', () => {
  const day = 86_400_000;

  it('returns every skill, unanswered ones as not started', () => {
    const mastery = computeMastery([]);
    expect(Object.keys(mastery).sort()).toEqual([...SKILLS].sort());
    expect(mastery['chain-product'].level).toBe('not started');
  });

  it('orders by time, not by input order, and keeps skills apart', () => {
    // chain-product oldest→newest: wrong, right, right, right → mastered
    const attempts: MasteryAttempt[] = [
      { skill: 'chain-product', score: 1, at: 4 * day },
      { skill: 'chain-product', score: 0, at: 1 * day },
      { skill: 'sum-over-paths', score: 0, at: 2 * day },
      { skill: 'chain-product', score: 1, at: new Date(3 * day) },
      { skill: 'chain-product', score: 1, at: 2 * day },
    ];
    const mastery = computeMastery(attempts);
    expect(mastery['chain-product']).toMatchObject({
      level: 'mastered',
      attempts: 4,
      correct: 3,
      lastAttemptAt: 4 * day,
    });
    expect(mastery['sum-over-paths']).toMatchObject({
      level: 'practising',
      value: 0,
      attempts: 1,
      lastAttemptAt: 2 * day,
    });
    // Out of time order the same answers would read right, right, wrong, right: not mastered.
    expect(computeMastery(attempts.map((attempt, k) => ({ ...attempt, at: k })))['chain-product'].level).toBe(
      'practising',
    );
  });

  it('honours a custom streak and rejects a meaningless one', () => {
    const attempts = [1, 1].map((score, k) => ({ skill: 'gradient-step' as const, score, at: k }));
    expect(computeMastery(attempts, { streakForMastery: 2 })['gradient-step'].level).toBe('mastered');
    expect(() => computeMastery([], { streakForMastery: 0 })).toThrow(RangeError);
  });
});
