import 'server-only';

import type { AttemptPolicy, PublicQuestion } from '@/lib/quiz/schema';
import type { LessonQuizContent } from '@/lib/quiz/views';

import type { Db } from '../db/client';
import { Prisma } from '../db/generated/sqlite/client';

/**
 * Extra attempts an instructor gave one learner on one question (issue 19). The quiz service
 * asks here and grades with the question's policy plus the extra attempts, for this learner only;
 * nothing else about the policy changes. Kept off the hot path: the lesson state reads a
 * learner's grants with one indexed statement, and an answer's grants come with its session in the
 * answer path's group read (db/answer-statements.ts).
 */

/** The question with `extra` more attempts for one learner (the same object when there are none). */
export function withExtraAttempts<Q extends PublicQuestion>(question: Q, extra: number): Q {
  if (extra <= 0) return question;
  const policy: AttemptPolicy = { ...question.policy, maxAttempts: question.policy.maxAttempts + extra };
  return { ...question, policy };
}

/** The learner's extra attempts per question id (only questions with a grant appear). */
export async function extraAttemptsOf(db: Db, learnerId: string): Promise<Map<string, number>> {
  const rows = await db.$queryRaw<{ questionId: string; extraAttempts: number | bigint }[]>(Prisma.sql`
    SELECT "questionId", "extraAttempts" FROM "AttemptGrant" WHERE "learnerId" = ${learnerId}`);
  return new Map(rows.map((row) => [row.questionId, Number(row.extraAttempts)]));
}

/**
 * The lesson content as this learner's grants make it: the same object when they have none (so
 * caches keyed on it still hit), else a copy whose granted questions allow more attempts.
 */
export async function contentWithGrants(
  db: Db,
  learnerId: string,
  content: LessonQuizContent,
): Promise<LessonQuizContent> {
  const grants = await extraAttemptsOf(db, learnerId);
  if (grants.size === 0 || !content.questions.some((question) => grants.has(question.id))) return content;
  return {
    ...content,
    questions: content.questions.map((question) => withExtraAttempts(question, grants.get(question.id) ?? 0)),
  };
}
