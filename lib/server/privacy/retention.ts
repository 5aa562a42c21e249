import 'server-only';

import { serverEnv } from '@/lib/env';

import { databaseProvider, type Db } from '../db/client';
import { Prisma } from '../db/generated/sqlite/client';
import { timeParam } from '../instructor/sql';
import { log } from '../log';

/**
 * AUTODIDACT_RETENTION_DAYS (default 365; 0 keeps everything): anonymous learners inactive that
 * long are deleted, with everything they left (the Learner row cascades). "Anonymous" means in no
 * class and not linked to an LMS account: nobody else keeps a record of them, and the learner
 * cannot come back to an old session after 180 days anyway (the cookie's lifetime). Class members
 * are the class's instructors' to remove or delete (docs/privacy.md). "Inactive" means no
 * session, answer, practice answer, progress event or resume point newer than the cutoff.
 *
 * Runs once a day in every server process (startRetentionJob, from instrumentation.ts; several
 * instances deleting the same rows is harmless) and on demand with `npm run privacy:purge`.
 */

const BATCH = 500;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PurgeResult {
  days: number;
  cutoff: Date;
  learners: number;
}

/** The ids of up to `limit` anonymous learners with no activity since `cutoff`. */
async function staleLearners(db: Db, cutoff: Date, limit: number): Promise<string[]> {
  const at = timeParam(databaseProvider(), cutoff);
  const rows = await db.$queryRaw<{ id: string }[]>(Prisma.sql`
    SELECT l."id" FROM "Learner" l
    WHERE l."createdAt" < ${at}
      AND NOT EXISTS (SELECT 1 FROM "Enrollment" e WHERE e."learnerId" = l."id")
      AND NOT EXISTS (SELECT 1 FROM "LtiUser" u WHERE u."learnerId" = l."id")
      AND NOT EXISTS (SELECT 1 FROM "Session" s WHERE s."learnerId" = l."id" AND s."createdAt" >= ${at})
      AND NOT EXISTS (SELECT 1 FROM "Response" r WHERE r."learnerId" = l."id" AND r."createdAt" >= ${at})
      AND NOT EXISTS (SELECT 1 FROM "PracticeResponse" p WHERE p."learnerId" = l."id" AND p."createdAt" >= ${at})
      AND NOT EXISTS (SELECT 1 FROM "ProgressEvent" v WHERE v."learnerId" = l."id" AND v."receivedAt" >= ${at})
      AND NOT EXISTS (SELECT 1 FROM "LessonProgress" g WHERE g."learnerId" = l."id" AND g."updatedAt" >= ${at})
    LIMIT ${limit}`);
  return rows.map((row) => row.id);
}

/**
 * Deletes anonymous learners inactive for `days` days, in batches of 500 (each its own short
 * transaction, so answers keep flowing on SQLite). `onProgress` hears the running count.
 */
export async function purgeInactiveLearners(
  db: Db,
  days: number = serverEnv().AUTODIDACT_RETENTION_DAYS,
  now = new Date(),
  onProgress?: (deleted: number) => void,
): Promise<PurgeResult> {
  const cutoff = new Date(now.getTime() - days * DAY_MS);
  if (days <= 0) return { days, cutoff, learners: 0 };
  let learners = 0;
  for (;;) {
    const ids = await staleLearners(db, cutoff, BATCH);
    if (ids.length === 0) break;
    const { count } = await db.learner.deleteMany({ where: { id: { in: ids } } });
    learners += count;
    onProgress?.(learners);
    if (ids.length < BATCH || count === 0) break;
  }
  return { days, cutoff, learners };
}

const STARTED = Symbol.for('autodidact.retentionJob');

/** The daily purge: first a minute after start (not during start-up's own work), then every 24 hours. */
export function startRetentionJob(getDb: () => Promise<Db>): void {
  const holder = globalThis as typeof globalThis & { [STARTED]?: true };
  if (holder[STARTED]) return;
  holder[STARTED] = true;
  const days = serverEnv().AUTODIDACT_RETENTION_DAYS;
  if (days <= 0) {
    log.info('retention purge off (AUTODIDACT_RETENTION_DAYS=0)');
    return;
  }
  const run = async () => {
    try {
      const result = await purgeInactiveLearners(await getDb(), days);
      log.info(
        { learners: result.learners, days: result.days, cutoff: result.cutoff.toISOString() },
        `retention purge: deleted ${result.learners} anonymous learner(s) inactive for ${days} days`,
      );
    } catch (error) {
      log.error({ err: error }, 'retention purge failed; it runs again in 24 hours');
    }
  };
  setTimeout(() => void run(), 60_000).unref();
  setInterval(() => void run(), DAY_MS).unref();
}
