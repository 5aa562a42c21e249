import 'server-only';

import type { AttemptPolicy, PublicQuestion } from '@/lib/quiz/schema';

/**
 * Extra attempts an instructor gave one learner on one question (issue 19). The quiz service
 * asks here and grades with the question's policy plus the extra attempts, for this learner only;
 * nothing else about the policy changes. Kept off the hot path: the lesson state reads a
 * learner's grants with its other reads (db/learner-statements.ts), and an answer's grants come
 * with its session in the answer path's group read (db/answer-statements.ts).
 */

/** The question with `extra` more attempts for one learner (the same object when there are none). */
export function withExtraAttempts<Q extends PublicQuestion>(question: Q, extra: number): Q {
  if (extra <= 0) return question;
  const policy: AttemptPolicy = { ...question.policy, maxAttempts: question.policy.maxAttempts + extra };
  return { ...question, policy };
}
