import type { AttemptPolicy } from './schema';

/**
 * Attempt policies as pure functions over a learner's recorded attempts at one question. The
 * server calls these before writing; the unique key (learner, question, attempt) in the
 * database is what keeps concurrent duplicates out.
 */

export interface AttemptRecord {
  attempt: number;
  correct: boolean;
}

export interface AttemptState {
  used: number;
  solved: boolean;
  /** No more attempts: solved, or the limit is reached. */
  closed: boolean;
  /** The attempt number the next submission must carry, or null when closed. */
  nextAttempt: number | null;
  left: number;
}

export function attemptState(policy: AttemptPolicy, attempts: readonly AttemptRecord[]): AttemptState {
  const used = attempts.length;
  const solved = attempts.some((attempt) => attempt.correct);
  const closed = solved || used >= policy.maxAttempts;
  return { used, solved, closed, nextAttempt: closed ? null : used + 1, left: closed ? 0 : policy.maxAttempts - used };
}

/**
 * Which seeded variant attempt n is graded on. Every attempt before n was wrong (a correct one
 * closes the question), so with newVariantOnWrong the index is simply n - 1.
 */
export function variantIndexFor(policy: AttemptPolicy, attempt: number): number {
  return policy.newVariantOnWrong ? attempt - 1 : 0;
}

/** The variant the learner currently sees: the next attempt's, or the last one's once closed. */
export function currentVariantIndex(policy: AttemptPolicy, state: AttemptState): number {
  return variantIndexFor(policy, state.nextAttempt ?? Math.max(1, state.used));
}

export function mayReveal(policy: AttemptPolicy, state: AttemptState): boolean {
  switch (policy.reveal) {
    case 'after-correct':
      return state.solved;
    case 'after-last-attempt':
      return state.closed;
    case 'never':
      return false;
  }
}

export type AttemptCheck = { ok: true } | { ok: false; reason: 'limit' | 'solved' | 'out-of-order'; message: string };

/**
 * Whether attempt number `attempt` may be recorded now, given the attempts already stored.
 * A replay of an attempt that is already stored is not decided here: the insert collides on
 * the unique key and the caller returns the stored result.
 */
export function checkNewAttempt(policy: AttemptPolicy, prior: readonly AttemptRecord[], attempt: number): AttemptCheck {
  if (attempt > policy.maxAttempts) {
    return {
      ok: false,
      reason: 'limit',
      message: `No attempts left: this question allows ${policy.maxAttempts} attempt${policy.maxAttempts === 1 ? '' : 's'}.`,
    };
  }
  const earlier = prior.filter((record) => record.attempt < attempt);
  if (earlier.some((record) => record.correct)) {
    return { ok: false, reason: 'solved', message: 'This question is already answered correctly.' };
  }
  if (earlier.length !== attempt - 1) {
    return {
      ok: false,
      reason: 'out-of-order',
      message: `Attempt ${attempt} cannot be recorded before attempt ${earlier.length + 1}. Reload to see your latest attempts.`,
    };
  }
  return { ok: true };
}
