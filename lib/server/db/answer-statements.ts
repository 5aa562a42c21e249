import 'server-only';

import type { PracticeGradingRow } from '../mastery-evidence';

import type { Db } from './client';
import { Prisma } from './generated/sqlite/client';
import { asDate } from './learner-statements';
import { ltiOutboxInsert } from '../lti/outbox-sql';

/**
 * The two statements of the answer path (docs/decisions/009): the group read of sessions with
 * their learners' responses, and the group insert of answers. Plain functions of a client, so the
 * same code runs on the app's own client and on the answer worker's (db/answer-worker.ts,
 * docs/decisions/011). Portable SQL: the same text runs on SQLite and PostgreSQL.
 */

export interface StoredResponse {
  questionId: string;
  attempt: number;
  correct: boolean;
  answer: string;
  grading: string;
  createdAt: Date;
}

export interface SessionWithResponses {
  learnerId: string;
  expiresAt: Date;
  /** This caller's own array (callers may append to it). */
  responses: StoredResponse[];
  /** The learner's practice gradings at the lesson's questions: mastery evidence (decision 014). */
  practice: PracticeGradingRow[];
  /** Extra attempts an instructor granted, per question id (only granted questions appear). */
  extraAttempts: Record<string, number>;
}

export interface AnswerRow {
  id: string;
  learnerId: string;
  questionId: string;
  attempt: number;
  variant: number;
  answer: string;
  score: number;
  correct: boolean;
  grading: string;
  selectedOptionId: string | null;
  createdAt: Date;
}

type RawRow = {
  sessionId: string;
  learnerId: string;
  expiresAt: Date | string | number;
  /** 'r' a graded response, 'p' a practice grading, 'g' an attempt grant (attempt = extra attempts). */
  kind: string;
  questionId: string | null;
  attempt: number | bigint | null;
  correct: boolean | number | null;
  answer: string | null;
  grading: string | null;
  createdAt: Date | string | number | null;
};

/**
 * The sessions `sessionIds` that exist, each with its learner's responses to `questionIds`, the
 * learner's practice gradings at them and the instructor's attempt grants. One statement for the
 * three (UNION ALL), so that an answer costs the event loop no statement of its own: practice
 * evidence and grants used to be two more reads per answer on the app's thread (eighth session,
 * docs/decisions/011).
 */
export async function readSessionsWithResponses(
  db: Db,
  questionIds: readonly string[],
  sessionIds: readonly string[],
): Promise<Map<string, SessionWithResponses>> {
  const questions = Prisma.join(questionIds);
  const sessions = Prisma.join(sessionIds);
  // The LEFT JOIN gives a session without responses one row with null response columns.
  const rows = await db.$queryRaw<RawRow[]>(Prisma.sql`
    SELECT s."id" AS "sessionId", s."learnerId", s."expiresAt", 'r' AS "kind",
           r."questionId", r."attempt", r."correct", r."answer", r."grading", r."createdAt"
    FROM "Session" s
    LEFT JOIN "Response" r ON r."learnerId" = s."learnerId" AND r."questionId" IN (${questions})
    WHERE s."id" IN (${sessions})
    UNION ALL
    SELECT s."id", s."learnerId", s."expiresAt", 'p',
           p."questionId", NULL, NULL, NULL, p."grading", p."createdAt"
    FROM "Session" s
    JOIN "PracticeResponse" p ON p."learnerId" = s."learnerId" AND p."questionId" IN (${questions})
    WHERE s."id" IN (${sessions})
    UNION ALL
    SELECT s."id", s."learnerId", s."expiresAt", 'g',
           g."questionId", g."extraAttempts", NULL, NULL, NULL, NULL
    FROM "Session" s
    JOIN "AttemptGrant" g ON g."learnerId" = s."learnerId" AND g."questionId" IN (${questions})
    WHERE s."id" IN (${sessions})`);
  const found = new Map<string, SessionWithResponses>();
  for (const row of rows) {
    let session = found.get(row.sessionId);
    if (!session) {
      session = {
        learnerId: row.learnerId,
        expiresAt: asDate(row.expiresAt),
        responses: [],
        practice: [],
        extraAttempts: {},
      };
      found.set(row.sessionId, session);
    }
    if (row.questionId === null) continue; // the LEFT JOIN's row for a learner without responses
    if (row.kind === 'p') {
      session.practice.push({ questionId: row.questionId, grading: row.grading!, createdAt: asDate(row.createdAt!) });
    } else if (row.kind === 'g') {
      session.extraAttempts[row.questionId] = Number(row.attempt);
    } else {
      session.responses.push({
        questionId: row.questionId,
        attempt: Number(row.attempt),
        correct: Boolean(row.correct),
        answer: row.answer!,
        grading: row.grading!,
        createdAt: asDate(row.createdAt!),
      });
    }
  }
  return found;
}

/**
 * Inserts `rows` in one statement, one transaction (with their LTI outbox rows); returns the ids that were stored. A row whose
 * unique key (learner, question, attempt) already held a row is left out, and so is its id.
 */
export async function insertAnswerRows(db: Db, rows: readonly AnswerRow[]): Promise<Set<string>> {
  const values = rows.map(
    (row) =>
      Prisma.sql`(${row.id}, ${row.learnerId}, ${row.questionId}, ${row.attempt}, ${row.variant}, ${row.answer}, ${row.score}, ${row.correct}, ${row.grading}, ${row.selectedOptionId}, ${row.createdAt})`,
  );
  const [inserted] = await db.$transaction([
    db.$queryRaw<{ id: string }[]>(Prisma.sql`
    INSERT INTO "Response" ("id", "learnerId", "questionId", "attempt", "variant", "answer", "score", "correct", "grading", "selectedOptionId", "createdAt")
    VALUES ${Prisma.join(values)}
    ON CONFLICT ("learnerId", "questionId", "attempt") DO NOTHING
    RETURNING "id"`),
    // Issue 18: LMS grade passback rows for learners who came through LTI, in the answer's own
    // transaction (an indexed lookup that inserts nothing for everyone else; lib/server/lti/outbox.ts).
    db.$executeRaw(ltiOutboxInsert(rows.map((row) => row.id))),
  ]);
  return new Set(inserted.map((row) => row.id));
}
