import 'server-only';

import { SCOPES } from '@/lib/lti/claims';
import { knowledgeCheckScore as scoreOf } from '@/lib/quiz/score';
import { backoffMs, isRetryable, retryAfterMs, scoreBody } from '@/lib/lti/services';

import { getDb, type Db } from '../db/client';
import { log } from '../log';
import { lessonQuiz } from '../quiz-content';
import { accessToken, findOrCreateLineItem, PlatformError, postScore } from './platform-client';

/**
 * Grade passback through a durable outbox (decision 017).
 *
 * - The answer path writes one LtiScoreOutbox row per stored answer of a learner who launched the
 *   answer's lesson from an LMS, in the same transaction as the answer (`ltiOutboxInsert`, run by
 *   db/answer-statements.ts, outbox-sql.ts). For everyone else that statement inserts nothing: one indexed
 *   lookup on LtiGradeLink.
 * - A worker (one per server process) delivers due rows. Rows are grouped by (learner, resource
 *   link): one delivery posts the learner's CURRENT knowledge-check score, timestamped with the
 *   newest answer it covers, and marks every row it covers sent. A group is delivered by one
 *   process at a time (a lease) and one delivery at a time, so scores reach the platform in order
 *   and a late retry can never overwrite a newer score.
 * - Network errors, 5xx and 429 back off exponentially (Retry-After respected) and stay pending;
 *   other refusals, or too many attempts, mark the rows failed with the platform's text, which the
 *   class dashboard shows with a "retry now" action.
 */

function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Settings (environment, so tests can make the backoff short). */
export function outboxSettings() {
  return {
    pollMs: envNumber('AUTODIDACT_LTI_POLL_MS', 500),
    retryBaseMs: envNumber('AUTODIDACT_LTI_RETRY_BASE_MS', 5_000),
    retryMaxMs: envNumber('AUTODIDACT_LTI_RETRY_MAX_MS', 5 * 60_000),
    maxAttempts: envNumber('AUTODIDACT_LTI_MAX_ATTEMPTS', 30),
    leaseMs: 60_000,
  };
}

/** Pending deliveries (all classes): the metric H5's /metrics exports. */
export async function ltiOutboxDepth(db?: Db): Promise<number> {
  const client = db ?? (await getDb());
  return client.ltiScoreOutbox.count({ where: { status: 'pending' } });
}

/**
 * The knowledge-check score of one learner in one lesson, by the one rule the class overview and
 * the quiz service use (lib/quiz/score.ts: latest graded attempt per question, partial credit,
 * unanswered questions 0; practice rounds are in another table and never count), as points out
 * of the question count for the gradebook.
 */
export async function knowledgeCheckScore(
  db: Db,
  learnerId: string,
  lessonSlug: string,
): Promise<{ points: number; answered: number; total: number }> {
  const questionIds = lessonQuiz(lessonSlug)?.questions.map((question) => question.id) ?? [];
  const responses = await db.response.findMany({
    where: { learnerId, questionId: { in: questionIds } },
    select: { questionId: true, attempt: true, score: true },
  });
  const fraction = scoreOf(questionIds, responses) ?? 0;
  const answered = new Set(responses.map((response) => response.questionId)).size;
  return { points: fraction * questionIds.length, answered, total: questionIds.length };
}

type Settings = ReturnType<typeof outboxSettings>;

/** Delivers one (learner, resource link) group; returns whether it did anything. */
async function deliverGroup(db: Db, learnerId: string, resourceLinkId: string, settings: Settings): Promise<boolean> {
  const now = new Date();
  const rows = await db.ltiScoreOutbox.findMany({
    where: { learnerId, resourceLinkId, status: 'pending' },
    select: { id: true, createdAt: true, attempts: true, nextAttemptAt: true, leaseUntil: true },
    orderBy: { createdAt: 'asc' },
  });
  if (rows.length === 0) return false;
  // Still backing off after a failure: newer rows wait too, so order holds.
  if (rows.some((row) => row.attempts > 0 && row.nextAttemptAt > now)) return false;
  if (rows.some((row) => row.leaseUntil && row.leaseUntil > now)) return false;
  const ids = rows.map((row) => row.id);
  const leaseUntil = new Date(now.getTime() + settings.leaseMs);
  const claimed = await db.ltiScoreOutbox.updateMany({
    where: { id: { in: ids }, status: 'pending', OR: [{ leaseUntil: null }, { leaseUntil: { lte: now } }] },
    data: { leaseUntil },
  });
  if (claimed.count !== ids.length) {
    // Another instance got part of it first: give back what we took; it delivers the group.
    await db.ltiScoreOutbox.updateMany({ where: { id: { in: ids }, leaseUntil }, data: { leaseUntil: null } });
    return false;
  }
  const attempts = Math.max(...rows.map((row) => row.attempts)) + 1;
  const newest = rows.reduce((latest, row) => (row.createdAt > latest ? row.createdAt : latest), rows[0]!.createdAt);
  try {
    const link = await db.ltiResourceLink.findUnique({
      where: { id: resourceLinkId },
      include: { context: { include: { platform: true } } },
    });
    const grade = await db.ltiGradeLink.findUnique({
      where: { learnerId_resourceLinkId: { learnerId, resourceLinkId } },
    });
    if (!link || !grade) throw new PlatformError(400, 'the LMS activity or the learner link no longer exists');
    const platform = link.context.platform;
    const score = await knowledgeCheckScore(db, learnerId, link.lessonSlug);
    let lineItemUrl = link.lineItemUrl;
    const scopes: string[] = [SCOPES.score];
    if (!lineItemUrl && link.context.lineItemsUrl) scopes.push(SCOPES.lineItem);
    if (!lineItemUrl && !link.context.lineItemsUrl) {
      throw new PlatformError(400, 'the LMS gave no gradebook column (no AGS line item in the launch)');
    }
    const token = await accessToken(db, platform, scopes);
    if (!lineItemUrl) {
      lineItemUrl = await findOrCreateLineItem(token, link.context.lineItemsUrl!, {
        resourceLinkId: link.resourceLinkId,
        resourceId: link.lessonSlug,
        label: link.title ?? link.lessonSlug,
        scoreMaximum: score.total,
      });
      await db.ltiResourceLink.update({ where: { id: link.id }, data: { lineItemUrl }, select: { id: true } });
    }
    const body = scoreBody(grade.sub, score.points, score.answered, score.total, newest);
    await postScore(token, lineItemUrl, body);
    const sentAt = new Date();
    await db.ltiScoreOutbox.updateMany({
      where: { id: { in: ids } },
      data: {
        status: 'sent',
        sentAt,
        leaseUntil: null,
        lastError: null,
        attempts,
        scoreGiven: body.scoreGiven,
        scoreMaximum: body.scoreMaximum,
      },
    });
    // Older failures of this group are superseded by the score just delivered.
    await db.ltiScoreOutbox.updateMany({
      where: { learnerId, resourceLinkId, status: 'failed', createdAt: { lte: newest } },
      data: { status: 'sent', sentAt, lastError: null },
    });
  } catch (error) {
    const status = error instanceof PlatformError ? error.status : null;
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    const retry = error instanceof PlatformError ? isRetryable(status) : true;
    const failed = !retry || attempts >= settings.maxAttempts;
    const wait = Math.max(
      backoffMs(attempts, settings.retryBaseMs, settings.retryMaxMs),
      (error instanceof PlatformError ? retryAfterMs(error.retryAfter) : null) ?? 0,
    );
    await db.ltiScoreOutbox.updateMany({
      where: { id: { in: ids } },
      data: {
        status: failed ? 'failed' : 'pending',
        attempts,
        lastError: message,
        leaseUntil: null,
        nextAttemptAt: new Date(Date.now() + Math.min(wait, settings.retryMaxMs)),
      },
    });
    if (!(error instanceof PlatformError)) log.error({ err: error }, 'lti score delivery failed');
  }
  return true;
}

/** One pass over due groups; returns how many groups it worked on. */
export async function deliverDueScores(db: Db, settings: Settings = outboxSettings()): Promise<number> {
  const now = new Date();
  const due = await db.ltiScoreOutbox.findMany({
    where: { status: 'pending', nextAttemptAt: { lte: now } },
    select: { learnerId: true, resourceLinkId: true },
    distinct: ['learnerId', 'resourceLinkId'],
    orderBy: { createdAt: 'asc' },
    take: 100,
  });
  let worked = 0;
  // A few groups at a time; each group's own deliveries stay strictly one after another.
  for (let index = 0; index < due.length; index += 8) {
    const batch = due.slice(index, index + 8);
    const results = await Promise.all(
      batch.map((group) => deliverGroup(db, group.learnerId, group.resourceLinkId, settings)),
    );
    worked += results.filter(Boolean).length;
  }
  return worked;
}

// --- the worker loop (one per process) -------------------------------------------------------

const globalForOutbox = globalThis as unknown as {
  autodidactLtiOutbox?: {
    timer: NodeJS.Timeout | null;
    running: boolean;
    again: boolean;
    stopped: boolean;
    lastCleanup: number;
  };
};

const CLEANUP_EVERY_MS = 10 * 60_000;

/**
 * Login states and registration links past their use: a day after expiry (a used state stays
 * that long too, so a replay within its lifetime still meets its spent row), they go.
 */
export async function deleteExpiredLoginState(db: Db, now = new Date()): Promise<void> {
  const dayAgo = new Date(now.getTime() - 24 * 60 * 60_000);
  await db.ltiLoginState.deleteMany({ where: { expiresAt: { lt: dayAgo } } });
  await db.ltiRegistrationToken.deleteMany({ where: { expiresAt: { lt: dayAgo } } });
}

export function wakeOutbox(): void {
  const state = globalForOutbox.autodidactLtiOutbox;
  if (!state || state.stopped) return;
  if (state.running) {
    state.again = true;
    return;
  }
  if (state.timer) clearTimeout(state.timer);
  state.timer = setTimeout(() => void runOutbox(), 0);
  state.timer.unref();
}

async function runOutbox(): Promise<void> {
  const state = globalForOutbox.autodidactLtiOutbox;
  if (!state || state.stopped) return;
  state.running = true;
  state.again = false;
  try {
    const db = await getDb();
    await deliverDueScores(db);
    if (Date.now() - state.lastCleanup > CLEANUP_EVERY_MS) {
      state.lastCleanup = Date.now();
      await deleteExpiredLoginState(db);
    }
  } catch (error) {
    log.error({ err: error }, 'lti outbox pass failed');
  } finally {
    state.running = false;
    if (!state.stopped) {
      state.timer = setTimeout(() => void runOutbox(), state.again ? 0 : outboxSettings().pollMs);
      state.timer.unref();
    }
  }
}

/** Starts the delivery worker (server start, instrumentation.ts); rows left pending by a previous run are delivered. */
export function startLtiOutboxWorker(): void {
  if (globalForOutbox.autodidactLtiOutbox && !globalForOutbox.autodidactLtiOutbox.stopped) return;
  globalForOutbox.autodidactLtiOutbox = { timer: null, running: false, again: false, stopped: false, lastCleanup: 0 };
  wakeOutbox();
}

export function stopLtiOutboxWorker(): void {
  const state = globalForOutbox.autodidactLtiOutbox;
  if (!state) return;
  state.stopped = true;
  if (state.timer) clearTimeout(state.timer);
}

// --- the dashboard's view and actions --------------------------------------------------------

export interface ClassSyncStatus {
  platformName: string;
  issuer: string;
  contextTitle: string;
  lastRosterSyncAt: Date | null;
  rosterError: string | null;
  lastSentAt: Date | null;
  pending: number;
  failed: { learner: string | null; error: string | null; at: Date }[];
  links: { title: string | null; lessonSlug: string; lineItemUrl: string | null }[];
}

/** The LMS section of a class dashboard; null when the class did not come from an LMS. The caller checks access. */
export async function classSyncStatus(db: Db, cohortId: string): Promise<ClassSyncStatus | null> {
  const context = await db.ltiContext.findUnique({
    where: { cohortId },
    include: {
      platform: { select: { name: true, issuer: true } },
      resourceLinks: { select: { id: true, title: true, lessonSlug: true, lineItemUrl: true } },
    },
  });
  if (!context) return null;
  const linkIds = context.resourceLinks.map((link) => link.id);
  const [pending, failed, last] = await Promise.all([
    db.ltiScoreOutbox.count({ where: { resourceLinkId: { in: linkIds }, status: 'pending' } }),
    db.ltiScoreOutbox.findMany({
      where: { resourceLinkId: { in: linkIds }, status: 'failed' },
      orderBy: { createdAt: 'desc' },
      take: 20,
      select: { lastError: true, createdAt: true, learner: { select: { displayName: true } } },
    }),
    db.ltiScoreOutbox.findFirst({
      where: { resourceLinkId: { in: linkIds }, status: 'sent' },
      orderBy: { sentAt: 'desc' },
      select: { sentAt: true },
    }),
  ]);
  return {
    platformName: context.platform.name,
    issuer: context.platform.issuer,
    contextTitle: context.title,
    lastRosterSyncAt: context.lastRosterSyncAt,
    rosterError: context.rosterError,
    lastSentAt: last?.sentAt ?? null,
    pending,
    failed: failed.map((row) => ({ learner: row.learner.displayName, error: row.lastError, at: row.createdAt })),
    links: context.resourceLinks.map(({ title, lessonSlug, lineItemUrl }) => ({ title, lessonSlug, lineItemUrl })),
  };
}

/** "Retry now": failed and backing-off deliveries of the class become due at once. */
export async function retryClassDeliveries(db: Db, cohortId: string): Promise<number> {
  const context = await db.ltiContext.findUnique({
    where: { cohortId },
    select: { resourceLinks: { select: { id: true } } },
  });
  if (!context) return 0;
  const result = await db.ltiScoreOutbox.updateMany({
    where: {
      resourceLinkId: { in: context.resourceLinks.map((link) => link.id) },
      status: { in: ['pending', 'failed'] },
    },
    data: { status: 'pending', attempts: 0, nextAttemptAt: new Date(), leaseUntil: null },
  });
  wakeOutbox();
  return result.count;
}
