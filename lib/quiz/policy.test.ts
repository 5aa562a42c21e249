import { describe, expect, it } from 'vitest';

import { attemptState, checkNewAttempt, currentVariantIndex, mayReveal, variantIndexFor } from './policy';
import type { AttemptPolicy } from './schema';

const policy = (overrides: Partial<AttemptPolicy> = {}): AttemptPolicy => ({
  maxAttempts: 3,
  newVariantOnWrong: false,
  reveal: 'after-last-attempt',
  ...overrides,
});
const wrong = (attempt: number) => ({ attempt, correct: false });
const right = (attempt: number) => ({ attempt, correct: true });

describe('attempt policy', () => {
  it('tracks attempts left and closes on a correct answer or at the limit', () => {
    expect(attemptState(policy(), [])).toEqual({ used: 0, solved: false, closed: false, nextAttempt: 1, left: 3 });
    expect(attemptState(policy(), [wrong(1)])).toMatchObject({ nextAttempt: 2, left: 2, closed: false });
    expect(attemptState(policy(), [wrong(1), right(2)])).toMatchObject({
      solved: true,
      closed: true,
      nextAttempt: null,
      left: 0,
    });
    expect(attemptState(policy(), [wrong(1), wrong(2), wrong(3)])).toMatchObject({
      solved: false,
      closed: true,
      nextAttempt: null,
    });
  });

  it('accepts only the next attempt number, within the limit, before a correct answer', () => {
    expect(checkNewAttempt(policy(), [], 1)).toEqual({ ok: true });
    expect(checkNewAttempt(policy(), [wrong(1)], 2)).toEqual({ ok: true });
    expect(checkNewAttempt(policy(), [], 2)).toMatchObject({ ok: false, reason: 'out-of-order' });
    expect(checkNewAttempt(policy(), [wrong(1), wrong(2), wrong(3)], 4)).toMatchObject({ ok: false, reason: 'limit' });
    expect(checkNewAttempt(policy({ maxAttempts: 1 }), [], 2)).toMatchObject({ ok: false, reason: 'limit' });
    expect(checkNewAttempt(policy(), [right(1)], 2)).toMatchObject({ ok: false, reason: 'solved' });
  });

  it('uses a new variant per wrong attempt only when the policy says so', () => {
    expect([1, 2, 3].map((n) => variantIndexFor(policy(), n))).toEqual([0, 0, 0]);
    expect([1, 2, 3].map((n) => variantIndexFor(policy({ newVariantOnWrong: true }), n))).toEqual([0, 1, 2]);
    const fresh = policy({ newVariantOnWrong: true });
    expect(currentVariantIndex(fresh, attemptState(fresh, [wrong(1)]))).toBe(1);
    // Once closed, the learner keeps seeing the numbers of their last attempt.
    expect(currentVariantIndex(fresh, attemptState(fresh, [wrong(1), right(2)]))).toBe(1);
  });

  it('reveals answers only when the policy allows', () => {
    const cases: [AttemptPolicy['reveal'], { attempt: number; correct: boolean }[], boolean][] = [
      ['after-correct', [wrong(1)], false],
      ['after-correct', [wrong(1), right(2)], true],
      ['after-correct', [wrong(1), wrong(2), wrong(3)], false],
      ['after-last-attempt', [wrong(1), wrong(2)], false],
      ['after-last-attempt', [right(1)], true],
      ['after-last-attempt', [wrong(1), wrong(2), wrong(3)], true],
      ['never', [right(1)], false],
      ['never', [wrong(1), wrong(2), wrong(3)], false],
    ];
    for (const [reveal, attempts, expected] of cases) {
      const p = policy({ reveal });
      expect(mayReveal(p, attemptState(p, attempts)), `${reveal} after ${JSON.stringify(attempts)}`).toBe(expected);
    }
  });
});
