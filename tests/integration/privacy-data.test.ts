// Learner data rights (issue 19; docs/privacy.md): a learner downloads everything stored about
// them and deletes it; an instructor deletes a learner; deletion reaches every learner table, and
// exports and dashboards no longer show the learner; anonymous learners inactive for the retention
// period are purged, class members and active learners are not.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { getMyDataHandler, postDeleteMyDataHandler } from '@/lib/server/api/my-data';
import { createInstructor, signIn } from '@/lib/server/auth/accounts';
import { createClass } from '@/lib/server/instructor/classes';
import { gradebookCsv, overviewCsv, responsesCsv } from '@/lib/server/instructor/exports';
import { classAuditLog, deleteLearnerData, grantExtraAttempts } from '@/lib/server/instructor/manage';
import { classOverview } from '@/lib/server/instructor/overview';
import { LEARNER_TABLES } from '@/lib/server/privacy/learner-data';
import { purgeInactiveLearners } from '@/lib/server/privacy/retention';

import {
  BASE,
  choiceLetters,
  getState,
  LESSON,
  newLearner,
  sendProgress,
  submit,
  updateLearner,
} from './helpers/learner-client';
import { createQuizDatabase } from './helpers/quiz-database';
import type { TestDatabase } from './helpers/test-database';

const root = path.resolve(import.meta.dirname, '..', '..');
const PASSWORD = 'correct horse battery staple';
let database: TestDatabase;
let owner: Headers;
let cohortId: string;
let joinCode: string;

async function signedIn(email: string): Promise<Headers> {
  const result = await signIn(database.db, new Headers(), { email, password: PASSWORD });
  return new Headers({ cookie: result.setCookies.map((value) => value.split(';')[0]).join('; ') });
}

async function text(download: Promise<{ body: ReadableStream<Uint8Array> }>): Promise<string> {
  return new Response((await download).body).text();
}

/** A learner with a name, a class, a right answer, a progress event and a grant. */
async function busyLearner(name: string) {
  const learner = await newLearner(database.db);
  expect((await updateLearner(database.db, learner.cookie, { displayName: name, joinCode })).status).toBe(200);
  const { correct } = choiceLetters(learner.learnerId, 'why-chain-rule');
  expect(
    (
      await submit(database.db, learner.cookie, {
        questionId: 'why-chain-rule',
        attempt: 1,
        answer: { choice: correct },
      })
    ).status,
  ).toBe(200);
  const event = {
    id: randomUUID(),
    type: 'section-viewed',
    lessonSlug: LESSON,
    target: 'worked-example',
    at: Date.now(),
  };
  expect((await sendProgress(database.db, learner.cookie, { events: [event] })).status).toBe(200);
  await grantExtraAttempts(database.db, owner, cohortId, learner.learnerId, {
    questionId: 'graph-purpose',
    extraAttempts: 2,
  });
  return learner;
}

async function rowsOf(learnerId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of LEARNER_TABLES) {
    const [row] = await database.db.$queryRawUnsafe<{ n: number | bigint }[]>(
      `SELECT COUNT(*) AS n FROM "${table}" WHERE "learnerId" = ${database.kind === 'sqlite' ? '?' : '$1'}`,
      learnerId,
    );
    counts[table] = Number(row?.n ?? 0);
  }
  return counts;
}

function request(pathname: string, cookie: string, init: RequestInit = {}): Request {
  return new Request(`${BASE}${pathname}`, { ...init, headers: { cookie, ...(init.headers ?? {}) } });
}

beforeAll(async () => {
  database = await createQuizDatabase();
  await createInstructor(database.db, { name: 'Ada', email: 'ada@example.org', password: PASSWORD });
  owner = await signedIn('ada@example.org');
  ({ id: cohortId, joinCode } = await createClass(database.db, owner, { name: 'Period 2' }));
});
afterAll(async () => {
  await database?.cleanup();
});

describe('the learner tables', () => {
  it('are every model with a learnerId column, and each cascades from Learner', () => {
    const schema = readFileSync(path.join(root, 'prisma', 'schema.prisma'), 'utf8');
    const models = [...schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)];
    const withLearner = models
      .filter(([, , body]) => /^\s+learnerId\s+String/m.test(body ?? ''))
      .map(([, name]) => name);
    expect([...withLearner].sort()).toEqual([...LEARNER_TABLES].sort());
    for (const [, name, body] of models) {
      if (!withLearner.includes(name)) continue;
      expect([name, /learner\s+Learner\s+@relation\([^)]*onDelete: Cascade/.test(body ?? '')]).toEqual([name, true]);
    }
  });
});

describe('a learner’s own data', () => {
  it('downloads as JSON with their answers, progress and classes, without session secrets', async () => {
    const learner = await busyLearner('Grace');
    const response = await getMyDataHandler(request('/api/me/data', learner.cookie), database.db);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="autodidact-my-data-/);
    const data = (await response.json()) as {
      learner: { id: string; displayName: string };
      classes: { name: string }[];
      tables: Record<string, Record<string, unknown>[]>;
    };
    expect(data.learner).toMatchObject({ id: learner.learnerId, displayName: 'Grace' });
    expect(data.classes.map((c) => c.name)).toEqual(['Period 2']);
    expect(data.tables.Response).toHaveLength(1);
    expect(data.tables.Response?.[0]?.questionId).toBe('why-chain-rule');
    expect(data.tables.Response?.[0]?.score).toBe(1);
    expect(typeof data.tables.Response?.[0]?.grading).toBe('object');
    expect(data.tables.ProgressEvent?.[0]).toMatchObject({ target: 'worked-example' });
    expect(data.tables.AttemptGrant?.[0]).toMatchObject({ questionId: 'graph-purpose', extraAttempts: 2 });
    expect(data.tables.Session).toHaveLength(1);
    expect(data.tables.Session?.[0]).not.toHaveProperty('id');
    expect(JSON.stringify(data)).not.toContain(learner.sessionId);
  });

  it('is deleted only with the confirmation, everywhere, and the session starts afresh', async () => {
    const learner = await busyLearner('Hedy');
    const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
      postDeleteMyDataHandler(
        request('/api/me/delete', learner.cookie, { method: 'POST', body, headers }),
        database.db,
      );
    expect((await post('{}')).status).toBe(400);
    expect((await post('{"confirm":"yes"}')).status).toBe(400);
    expect((await post('{"confirm":"DELETE"}', { 'content-type': 'text/plain' })).status).toBe(415);
    expect(Object.values(await rowsOf(learner.learnerId)).some((n) => n > 0)).toBe(true);

    const deleted = await post('{"confirm":"DELETE"}');
    expect(deleted.status).toBe(200);
    expect(deleted.headers.get('set-cookie')).toMatch(/autodidact_session=;.*Max-Age=0/);
    expect(Object.values(await rowsOf(learner.learnerId)).every((n) => n === 0)).toBe(true);
    expect(await database.db.learner.count({ where: { id: learner.learnerId } })).toBe(0);

    // Dashboards and exports no longer show them; the class's audit log says a learner left.
    const overview = await classOverview(database.db, owner, cohortId, { pageSize: '500' });
    expect(overview.rows.map((row) => row.learnerId)).not.toContain(learner.learnerId);
    for (const csv of [
      await text(overviewCsv(database.db, owner, cohortId)),
      await text(responsesCsv(database.db, owner, cohortId)),
      await text(gradebookCsv(database.db, owner, cohortId)),
    ]) {
      expect(csv).not.toContain(learner.learnerId);
      expect(csv).not.toContain('Hedy');
    }
    const log = await classAuditLog(database.db, owner, cohortId);
    expect(
      log.entries.some((e) => e.action === 'learner-deleted-self' && e.detail.learnerId === learner.learnerId),
    ).toBe(true);
    expect(JSON.stringify(log.entries)).not.toContain('Hedy');

    // The old cookie now names nothing: the next lesson load is a new, empty learner.
    const again = await getState(database.db, learner.cookie);
    expect(again.status).toBe(200);
    const fresh = await database.db.session.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
    expect(fresh.learnerId).not.toBe(learner.learnerId);
  });
});

describe('an instructor deleting a learner', () => {
  it('deletes everything, and refuses when the learner is also in another instructor’s class', async () => {
    const learner = await busyLearner('Katherine');
    await createInstructor(database.db, { name: 'Bea', email: 'bea@example.org', password: PASSWORD });
    const other = await signedIn('bea@example.org');
    const { joinCode: otherCode } = await createClass(database.db, other, { name: 'Bea’s class' });
    expect((await updateLearner(database.db, learner.cookie, { joinCode: otherCode })).status).toBe(200);
    await expect(deleteLearnerData(database.db, owner, cohortId, learner.learnerId, 'DELETE')).rejects.toMatchObject({
      status: 409,
      code: 'learner-in-other-classes',
    });
    expect(await database.db.learner.count({ where: { id: learner.learnerId } })).toBe(1);

    await database.db.enrollment.deleteMany({ where: { learnerId: learner.learnerId, cohortId: { not: cohortId } } });
    await expect(deleteLearnerData(database.db, owner, cohortId, learner.learnerId, 'delete')).rejects.toMatchObject({
      status: 400,
    });
    await deleteLearnerData(database.db, owner, cohortId, learner.learnerId, 'DELETE');
    expect(Object.values(await rowsOf(learner.learnerId)).every((n) => n === 0)).toBe(true);
    const csv = await text(gradebookCsv(database.db, owner, cohortId));
    expect(csv).not.toContain(learner.learnerId);
    const log = await classAuditLog(database.db, owner, cohortId);
    expect(
      log.entries.some(
        (e) => e.action === 'learner-deleted' && e.actorName === 'Ada' && e.detail.learnerId === learner.learnerId,
      ),
    ).toBe(true);
  });
});

describe('the retention purge', () => {
  const DAY = 24 * 60 * 60 * 1000;

  async function age(learnerId: string, days: number) {
    const then = new Date(Date.now() - days * DAY);
    await database.db.learner.update({ where: { id: learnerId }, data: { createdAt: then } });
    await database.db.session.updateMany({ where: { learnerId }, data: { createdAt: then } });
    await database.db.progressEvent.updateMany({ where: { learnerId }, data: { receivedAt: then } });
    await database.db.response.updateMany({ where: { learnerId }, data: { createdAt: then } });
    await database.db.$executeRawUnsafe(
      database.kind === 'sqlite'
        ? `UPDATE "LessonProgress" SET "updatedAt" = ? WHERE "learnerId" = ?`
        : `UPDATE "LessonProgress" SET "updatedAt" = $1 WHERE "learnerId" = $2`,
      database.kind === 'sqlite' ? then.toISOString().replace('Z', '+00:00') : then,
      learnerId,
    );
  }

  it('deletes anonymous learners inactive for the period, and keeps class members and active learners', async () => {
    const stale = await newLearner(database.db);
    const event = {
      id: randomUUID(),
      type: 'section-viewed',
      lessonSlug: LESSON,
      target: 'why-it-matters',
      at: Date.now(),
    };
    expect((await sendProgress(database.db, stale.cookie, { events: [event] })).status).toBe(200);
    await age(stale.learnerId, 400);

    const member = await busyLearner('Mary');
    await age(member.learnerId, 400);

    const active = await newLearner(database.db);
    await age(active.learnerId, 400);
    const recent = {
      id: randomUUID(),
      type: 'section-viewed',
      lessonSlug: LESSON,
      target: 'why-it-matters',
      at: Date.now(),
    };
    expect((await sendProgress(database.db, active.cookie, { events: [recent] })).status).toBe(200);

    const young = await newLearner(database.db);
    await age(young.learnerId, 300);

    const counts: number[] = [];
    const result = await purgeInactiveLearners(database.db, 365, new Date(), (n) => counts.push(n));
    expect(result.learners).toBeGreaterThanOrEqual(1);
    const alive = async (id: string) => (await database.db.learner.count({ where: { id } })) === 1;
    expect(await alive(stale.learnerId)).toBe(false);
    expect(Object.values(await rowsOf(stale.learnerId)).every((n) => n === 0)).toBe(true);
    expect(await alive(member.learnerId)).toBe(true);
    expect(await alive(active.learnerId)).toBe(true);
    expect(await alive(young.learnerId)).toBe(true);
    expect(counts.at(-1)).toBe(result.learners);
    // 0 days means "keep forever".
    expect((await purgeInactiveLearners(database.db, 0)).learners).toBe(0);
  });
});
