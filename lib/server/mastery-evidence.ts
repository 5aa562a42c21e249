import 'server-only';

import type { Db } from './db/client';
import { Prisma } from './db/generated/sqlite/client';

/**
 * Practice rounds as mastery evidence (docs/decisions/014): a learner's practice gradings at a
 * lesson's questions. Practice never enters the score or the gradebook, but it is evidence of
 * skill, so the learner's panel (quiz service) and the class overview both count it.
 */

export interface PracticeGradingRow {
  questionId: string;
  /** Canonical JSON of the grading, as stored. */
  grading: string;
  createdAt: Date;
}

/** One indexed read (the unique key starts with the learner), portable SQL as in quiz-service. */
export async function practiceGradings(
  db: Db,
  learnerId: string,
  questionIds: readonly string[],
): Promise<PracticeGradingRow[]> {
  if (questionIds.length === 0) return [];
  const rows = await db.$queryRaw<{ questionId: unknown; grading: unknown; createdAt: unknown }[]>(Prisma.sql`
    SELECT "questionId", "grading", "createdAt" FROM "PracticeResponse"
    WHERE "learnerId" = ${learnerId} AND "questionId" IN (${Prisma.join(questionIds)})`);
  return rows.map((row) => ({
    questionId: String(row.questionId),
    grading: String(row.grading),
    createdAt: new Date(row.createdAt as Date | string | number),
  }));
}
