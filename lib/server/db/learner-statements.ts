import 'server-only';

import { practiceGradings, type PracticeGradingRow } from '../mastery-evidence';

import type { StoredResponse } from './answer-statements';
import type { Db } from './client';
import { Prisma } from './generated/sqlite/client';

/**
 * The statements of a learner's everyday requests besides answering (docs/decisions/018, eighth
 * session): the session lookup every request makes, a new learner's session, a progress batch, and
 * the reads of the lesson state. Plain functions of a client, taking and returning plain data, so
 * that the app's client runs them on its database worker thread (db/answer-offload.ts) and every
 * other client (tests, scripts) in place. A class's load is mostly these: through Prisma each
 * statement costs the event loop far more than the database's own work (query compiler, row
 * mapping, the adapter's prepare, SQLite's synchronous execution), and the worker has a core of
 * its own. Portable SQL: the same text runs on SQLite and PostgreSQL.
 */

/** Both adapters return Dates for DateTime columns; anything else (text, epoch ms) is converted. */
export function asDate(value: Date | string | number): Date {
  return value instanceof Date ? value : new Date(value);
}

export interface SessionRow {
  id: string;
  learnerId: string;
  expiresAt: Date;
}

/** The session row with this id, expired or not (the caller decides), or null. */
export async function findSessionRow(db: Db, id: string): Promise<SessionRow | null> {
  const [row] = await db.$queryRaw<{ id: string; learnerId: string; expiresAt: Date | string | number }[]>`
    SELECT "id", "learnerId", "expiresAt" FROM "Session" WHERE "id" = ${id}`;
  return row ? { id: row.id, learnerId: row.learnerId, expiresAt: asDate(row.expiresAt) } : null;
}

/** A new anonymous learner and their first session, in one transaction. */
export async function insertLearnerSession(
  db: Db,
  row: { sessionId: string; learnerId: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db.$transaction([
    db.$executeRaw`INSERT INTO "Learner" ("id", "createdAt") VALUES (${row.learnerId}, ${row.createdAt})`,
    db.$executeRaw`
      INSERT INTO "Session" ("id", "learnerId", "createdAt", "expiresAt")
      VALUES (${row.sessionId}, ${row.learnerId}, ${row.createdAt}, ${row.expiresAt})`,
  ]);
}

export interface ProgressEventRow {
  id: string;
  clientEventId: string;
  lessonSlug: string;
  type: string;
  target: string;
  /** JSON text, or null for events without data. */
  data: string | null;
  occurredAt: Date;
}

export interface ProgressBatchRows {
  learnerId: string;
  receivedAt: Date;
  events: readonly ProgressEventRow[];
  /** The section read last in each lesson of the batch. */
  lastSections: readonly { lessonSlug: string; target: string }[];
  widgetState?: { lessonSlug: string; query: string };
}

/**
 * A progress batch in one transaction: its events (a client event id already stored is left out:
 * batches may be sent twice), the resume point per lesson, and the widget settings. Returns how
 * many events were new.
 */
export async function insertProgressBatch(db: Db, batch: ProgressBatchRows): Promise<number> {
  const { learnerId, receivedAt } = batch;
  const values = batch.events.map(
    (event) =>
      Prisma.sql`(${event.id}, ${learnerId}, ${event.clientEventId}, ${event.lessonSlug}, ${event.type}, ${event.target}, ${event.data}, ${event.occurredAt}, ${receivedAt})`,
  );
  const [inserted] = await db.$transaction([
    values.length > 0
      ? db.$queryRaw<{ id: string }[]>(Prisma.sql`
      INSERT INTO "ProgressEvent" ("id", "learnerId", "clientEventId", "lessonSlug", "type", "target", "data", "occurredAt", "receivedAt")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("learnerId", "clientEventId") DO NOTHING
      RETURNING "id"`)
      : db.$queryRaw<{ id: string }[]>`SELECT "id" FROM "ProgressEvent" WHERE 1 = 0`,
    ...batch.lastSections.map(
      ({ lessonSlug, target }) => db.$executeRaw`
        INSERT INTO "LessonProgress" ("learnerId", "lessonSlug", "lastSectionId", "updatedAt")
        VALUES (${learnerId}, ${lessonSlug}, ${target}, ${receivedAt})
        ON CONFLICT ("learnerId", "lessonSlug") DO UPDATE SET "lastSectionId" = excluded."lastSectionId", "updatedAt" = excluded."updatedAt"`,
    ),
    ...(batch.widgetState
      ? [
          db.$executeRaw`
        INSERT INTO "LessonProgress" ("learnerId", "lessonSlug", "widgetState", "updatedAt")
        VALUES (${learnerId}, ${batch.widgetState.lessonSlug}, ${batch.widgetState.query}, ${receivedAt})
        ON CONFLICT ("learnerId", "lessonSlug") DO UPDATE SET "widgetState" = excluded."widgetState", "updatedAt" = excluded."updatedAt"`,
        ]
      : []),
  ]);
  return inserted.length;
}

export interface LessonStateRows {
  /** Null when the learner row is gone (deleted since the session was read). */
  learner: { displayName: string | null; lastSectionId: string | null } | null;
  cohorts: string[];
  responses: StoredResponse[];
  practice: PracticeGradingRow[];
  /** Extra attempts an instructor granted, per question id (only granted questions appear). */
  extraAttempts: Record<string, number>;
}

type Raw<T> = { [K in keyof T]: T[K] | number | string | bigint | null };

/** What the lesson state shows a learner: their name, classes, responses, practice and grants. */
export async function readLessonStateRows(
  db: Db,
  learnerId: string,
  lessonSlug: string,
  questionIds: readonly string[],
): Promise<LessonStateRows> {
  const questions = Prisma.join(questionIds);
  const [learners, cohorts, responses, practice, grants] = await Promise.all([
    db.$queryRaw<{ displayName: string | null; lastSectionId: string | null }[]>(Prisma.sql`
      SELECT l."displayName", p."lastSectionId"
      FROM "Learner" l
      LEFT JOIN "LessonProgress" p ON p."learnerId" = l."id" AND p."lessonSlug" = ${lessonSlug}
      WHERE l."id" = ${learnerId}`),
    cohortNames(db, learnerId),
    db.$queryRaw<Raw<StoredResponse>[]>(Prisma.sql`
      SELECT "questionId", "attempt", "correct", "answer", "grading", "createdAt"
      FROM "Response"
      WHERE "learnerId" = ${learnerId} AND "questionId" IN (${questions})`),
    practiceGradings(db, learnerId, questionIds),
    db.$queryRaw<{ questionId: string; extraAttempts: number | bigint }[]>(Prisma.sql`
      SELECT "questionId", "extraAttempts" FROM "AttemptGrant"
      WHERE "learnerId" = ${learnerId} AND "questionId" IN (${questions})`),
  ]);
  const learner = learners[0];
  return {
    learner: learner ? { displayName: learner.displayName, lastSectionId: learner.lastSectionId ?? null } : null,
    cohorts,
    // SQLite returns integers for booleans, text or numbers for dates.
    responses: responses.map((row) => ({
      questionId: String(row.questionId),
      attempt: Number(row.attempt),
      correct: Boolean(row.correct),
      answer: String(row.answer),
      grading: String(row.grading),
      createdAt: asDate(row.createdAt as Date | string | number),
    })),
    practice,
    extraAttempts: Object.fromEntries(grants.map((row) => [row.questionId, Number(row.extraAttempts)])),
  };
}

/** The class that uses this join code, or null. */
export async function findCohortByJoinCode(
  db: Db,
  joinCode: string,
): Promise<{ id: string; archived: boolean } | null> {
  const [row] = await db.$queryRaw<{ id: string; archivedAt: unknown }[]>`
    SELECT "id", "archivedAt" FROM "Cohort" WHERE "joinCode" = ${joinCode}`;
  return row ? { id: row.id, archived: row.archivedAt !== null } : null;
}

/**
 * Sets a learner's display name (null clears it; undefined leaves it) and/or enrolls them in a
 * class (joining twice is not an error), in one transaction; then reads back what the learner
 * panel shows: the name and the class names in joining order. Null when the learner is gone.
 */
export async function updateLearnerRows(
  db: Db,
  update: { learnerId: string; displayName?: string | null; cohortId?: string; joinedAt: Date },
): Promise<{ displayName: string | null; cohorts: string[] } | null> {
  const { learnerId } = update;
  const writes = [
    ...(update.displayName !== undefined
      ? [db.$executeRaw`UPDATE "Learner" SET "displayName" = ${update.displayName} WHERE "id" = ${learnerId}`]
      : []),
    ...(update.cohortId
      ? [
          db.$executeRaw`
            INSERT INTO "Enrollment" ("cohortId", "learnerId", "joinedAt")
            VALUES (${update.cohortId}, ${learnerId}, ${update.joinedAt})
            ON CONFLICT ("cohortId", "learnerId") DO NOTHING`,
        ]
      : []),
  ];
  if (writes.length > 0) await db.$transaction(writes);
  const [learners, cohorts] = await Promise.all([
    db.$queryRaw<{ displayName: string | null }[]>`SELECT "displayName" FROM "Learner" WHERE "id" = ${learnerId}`,
    cohortNames(db, learnerId),
  ]);
  const learner = learners[0];
  return learner ? { displayName: learner.displayName, cohorts } : null;
}

/** The names of the learner's classes, in joining order. */
async function cohortNames(db: Db, learnerId: string): Promise<string[]> {
  const rows = await db.$queryRaw<{ name: string }[]>(Prisma.sql`
    SELECT c."name"
    FROM "Enrollment" e JOIN "Cohort" c ON c."id" = e."cohortId"
    WHERE e."learnerId" = ${learnerId}
    ORDER BY e."joinedAt" ASC, c."id" ASC`);
  return rows.map(({ name }) => name);
}
