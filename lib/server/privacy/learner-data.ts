import 'server-only';

import type { Db } from '../db/client';
import { Prisma } from '../db/generated/sqlite/client';
import { recordAudit } from '../instructor/audit';

/**
 * A learner's rights over their data (issue 19; docs/privacy.md): download everything stored
 * about them as JSON, and delete it.
 *
 * Every table that holds a learner's rows has a `learnerId` column that cascades from Learner,
 * so deleting the Learner row deletes all of it in one statement. LEARNER_TABLES names those
 * tables for the download; tests/integration/privacy-data.test.ts fails when a model with a
 * learnerId column is missing here, so a new table cannot be left out of downloads.
 */

export const LEARNER_TABLES = [
  'Session',
  'Enrollment',
  'Response',
  'PracticeResponse',
  'ProgressEvent',
  'LessonProgress',
  'AttemptGrant',
  'ProblemReport',
  'ResumeCode',
  'LtiUser',
  'LtiGradeLink',
  'LtiScoreOutbox',
] as const;

/**
 * Columns left out of the download because they are secrets, not information about the learner:
 * a session id is a bearer credential; a resume code's hash would let its holder test guesses.
 */
const WITHHELD: Partial<Record<(typeof LEARNER_TABLES)[number], readonly string[]>> = {
  Session: ['id'],
  ResumeCode: ['codeHash'],
};

/** Text columns that hold JSON, shown as JSON in the download. */
const JSON_COLUMNS = new Set(['answer', 'grading', 'data', 'widgetState']);

function plain(column: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' && JSON_COLUMNS.has(column)) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

export interface LearnerDataExport {
  about: string;
  exportedAt: string;
  learner: { id: string; displayName: string | null; createdAt: string };
  classes: { name: string; joinedAt: string }[];
  tables: Record<string, Record<string, unknown>[]>;
}

/** Everything stored about one learner, or null when there is no such learner. */
export async function exportLearnerData(
  db: Db,
  learnerId: string,
  now = new Date(),
): Promise<LearnerDataExport | null> {
  const learner = await db.learner.findUnique({
    where: { id: learnerId },
    select: {
      id: true,
      displayName: true,
      createdAt: true,
      enrollments: { select: { joinedAt: true, cohort: { select: { name: true } } } },
    },
  });
  if (!learner) return null;
  const tables: Record<string, Record<string, unknown>[]> = {};
  for (const table of LEARNER_TABLES) {
    const rows = await db.$queryRaw<Record<string, unknown>[]>(
      Prisma.sql`SELECT * FROM ${Prisma.raw(`"${table}"`)} WHERE "learnerId" = ${learnerId}`,
    );
    const withheld = new Set(WITHHELD[table] ?? []);
    tables[table] = rows.map((row) =>
      Object.fromEntries(
        Object.entries(row)
          .filter(([column]) => !withheld.has(column))
          .map(([column, value]) => [column, plain(column, value)]),
      ),
    );
  }
  return {
    about:
      'Everything Autodidact stores about you: your answers, reading progress, widget use, classes and sessions. See the privacy notice for what each part is for.',
    exportedAt: now.toISOString(),
    learner: { id: learner.id, displayName: learner.displayName, createdAt: learner.createdAt.toISOString() },
    classes: learner.enrollments.map(({ joinedAt, cohort }) => ({
      name: cohort.name,
      joinedAt: joinedAt.toISOString(),
    })),
    tables,
  };
}

/**
 * Deletes the learner and, by cascade, every row of theirs (LEARNER_TABLES). Their classes' audit
 * logs note that a learner (by id) deleted their data, so an instructor is not left wondering where
 * they went. Returns false when there was no such learner.
 */
export async function deleteOwnLearnerData(db: Db, learnerId: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const memberships = await tx.enrollment.findMany({ where: { learnerId }, select: { cohortId: true } });
    for (const { cohortId } of memberships) {
      await recordAudit(tx, cohortId, { id: null, name: 'The learner' }, 'learner-deleted-self', { learnerId });
    }
    const { count } = await tx.learner.deleteMany({ where: { id: learnerId } });
    return count > 0;
  });
}
