import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { computeMastery, masteryLevelFor, recencyWeightedAccuracy, type MasteryAttempt } from './mastery';
import { SKILLS } from './skills';

describe('recencyWeightedAccuracy (decay 0.6: newest weighs 1, then 0.6, 0.36, 0.216)', () => {
  it('is null with no attempts and the score itself with one', () => {
    expect(recencyWeightedAccuracy([], 0.6)).toBeNull();
    expect(recencyWeightedAccuracy([0.5], 0.6)).toBe(0.5);
  });

  it('weights recent attempts more', () => {
    // oldest→newest [1, 1, 0]: (0·1 + 1·0.6 + 1·0.36) / (1 + 0.6 + 0.36) = 0.96 / 1.96 ≈ 0.489796
    expect(recencyWeightedAccuracy([1, 1, 0], 0.6)).toBeCloseTo(0.96 / 1.96, 12);
    // oldest→newest [0, 1, 1, 1]: (1 + 0.6 + 0.36 + 0) / (1 + 0.6 + 0.36 + 0.216) = 1.96 / 2.176 ≈ 0.900735
    expect(recencyWeightedAccuracy([0, 1, 1, 1], 0.6)).toBeCloseTo(1.96 / 2.176, 12);
  });

  it('with decay 1 is the plain mean', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }), (scores) => {
        const plainMean = scores.reduce((a, b) => a + b, 0) / scores.length;
        expect(recencyWeightedAccuracy(scores, 1)).toBeCloseTo(plainMean, 9);
      }),
    );
  });
});

describe('masteryLevelFor', () => {
  it('needs 3 attempts and 0.8 to call a skill mastered', () => {
    expect(masteryLevelFor(null, 0)).toBe('not started');
    expect(masteryLevelFor(1, 2)).toBe('practising');
    expect(masteryLevelFor(0.8, 3)).toBe('mastered');
    expect(masteryLevelFor(0.79, 10)).toBe('practising');
  });
});

describe('computeMastery', () => {
  const day = 86_400_000;

  it('returns every skill, unattempted ones as not started', () => {
    const mastery = computeMastery([]);
    expect(Object.keys(mastery).sort()).toEqual([...SKILLS].sort());
    expect(mastery['chain-product']).toEqual({ level: 'not started', value: null, attempts: 0, lastAttemptAt: null });
  });

  it('orders by time, not by input order, and keeps skills apart', () => {
    // chain-product oldest→newest: wrong, right, right, right → 1.96 / 2.176 ≈ 0.9007 → mastered
    const attempts: MasteryAttempt[] = [
      { skill: 'chain-product', score: 1, at: 4 * day },
      { skill: 'chain-product', score: 0, at: 1 * day },
      { skill: 'sum-over-paths', score: 0, at: 2 * day },
      { skill: 'chain-product', score: 1, at: new Date(3 * day) },
      { skill: 'chain-product', score: 1, at: 2 * day },
    ];
    const mastery = computeMastery(attempts);
    expect(mastery['chain-product'].value).toBeCloseTo(1.96 / 2.176, 12);
    expect(mastery['chain-product']).toMatchObject({ level: 'mastered', attempts: 4, lastAttemptAt: 4 * day });
    expect(mastery['sum-over-paths']).toEqual({ level: 'practising', value: 0, attempts: 1, lastAttemptAt: 2 * day });
  });

  it('a recent mistake pulls a mastered skill back to practising', () => {
    // oldest→newest [1, 1, 1, 0]: (0 + 0.6 + 0.36 + 0.216) / 2.176 = 1.176 / 2.176 ≈ 0.5404
    const attempts = [1, 1, 1, 0].map((score, k) => ({ skill: 'gradient-step' as const, score, at: k }));
    const mastery = computeMastery(attempts);
    expect(mastery['gradient-step'].value).toBeCloseTo(1.176 / 2.176, 12);
    expect(mastery['gradient-step'].level).toBe('practising');
  });

  it('rejects a decay outside (0, 1]', () => {
    expect(() => computeMastery([], { decay: 0, masteredThreshold: 0.8, minAttemptsForMastery: 3 })).toThrow(
      RangeError,
    );
  });
});
