// Keeping the learner's state (issue 16) on a real SQLite file: the resume point with the widget
// settings, and resume codes that carry progress to another device (stored as hashes, one use,
// expiring, guesses limited).
import { createHash, randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { getResumePointHandler, widgetQuery } from '@/lib/server/progress-service';
import {
  createResumeCode,
  postResumeCodeHandler,
  postResumeHandler,
  redeemResumeCode,
  RESUME_CODE_ALPHABET,
  RESUME_RULES,
} from '@/lib/server/resume-codes';
import { sessionIdFrom } from '@/lib/server/session';

import {
  BASE,
  choiceLetters,
  cookieFrom,
  getState,
  LESSON,
  newLearner,
  post,
  sendProgress,
  submit,
  type Learner,
} from './helpers/learner-client';
import { createQuizDatabase } from './helpers/quiz-database';
import type { TestDatabase } from './helpers/test-database';

let database: TestDatabase;
let learner: Learner;
beforeAll(async () => {
  database = await createQuizDatabase();
  learner = await newLearner(database.db);
});
afterAll(async () => {
  await database?.cleanup();
});

async function resumePoint(cookie: string): Promise<{ status: number; body: unknown }> {
  const response = await getResumePointHandler(
    new Request(`${BASE}/api/progress?lessonSlug=${LESSON}`, { headers: { cookie } }),
    database.db,
  );
  return { status: response.status, body: await response.json() };
}

function redeemRequest(code: string, cookie?: string, headers: Record<string, string> = {}): Promise<Response> {
  return postResumeHandler(post('/api/session/resume', { code }, cookie, headers), database.db);
}

async function issue(cookie: string): Promise<string> {
  const response = await postResumeCodeHandler(post('/api/learner/resume-code', {}, cookie), database.db);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { code: string; expiresAt: string };
  expect(body.code).toMatch(new RegExp(`^[${RESUME_CODE_ALPHABET}]{5}-[${RESUME_CODE_ALPHABET}]{5}$`));
  expect(new Date(body.expiresAt).getTime() - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
  return body.code;
}

describe('resume point: reading position and widget settings', () => {
  it('keeps the widget part of the URL with the last section, and returns both', async () => {
    const now = Date.now();
    const response = await sendProgress(database.db, learner.cookie, {
      events: [{ id: randomUUID(), type: 'section-viewed', lessonSlug: LESSON, target: 'worked-example', at: now }],
      widgetState: { lessonSlug: LESSON, query: 'fp.w=0.8&utm_source=mail&bp.step=2&evil=<script>' },
    });
    expect(response.status).toBe(200);
    expect(await resumePoint(learner.cookie)).toEqual({
      status: 200,
      body: { lastSectionId: 'worked-example', widgetState: 'fp.w=0.8&bp.step=2' },
    });
    // The widget state alone (no events) updates it; the reading position stays.
    const alone = await sendProgress(database.db, learner.cookie, {
      events: [],
      widgetState: { lessonSlug: LESSON, query: 'fp.w=1.2' },
    });
    expect(alone.status).toBe(200);
    expect((await resumePoint(learner.cookie)).body).toEqual({
      lastSectionId: 'worked-example',
      widgetState: 'fp.w=1.2',
    });
  });

  it('refuses an empty batch, a huge widget state and an unknown lesson without writing', async () => {
    for (const body of [
      { events: [] },
      { events: [], widgetState: { lessonSlug: LESSON, query: 'fp.w=1&'.repeat(400) } },
      { events: [], widgetState: { lessonSlug: 'no-such-lesson', query: 'fp.w=1' } },
      { events: [], widgetState: { lessonSlug: LESSON, query: 'fp.w=1', extra: 1 } },
    ]) {
      expect((await sendProgress(database.db, learner.cookie, body)).status).toBe(400);
    }
    expect((await resumePoint(learner.cookie)).body).toMatchObject({ widgetState: 'fp.w=1.2' });
  });

  it('is empty for a learner who has not been here, 400 for a bad lesson, 401 without a session', async () => {
    const fresh = await newLearner(database.db);
    expect(await resumePoint(fresh.cookie)).toEqual({ status: 200, body: { lastSectionId: null, widgetState: '' } });
    const bad = await getResumePointHandler(
      new Request(`${BASE}/api/progress?lessonSlug=nope`, { headers: { cookie: fresh.cookie } }),
      database.db,
    );
    expect(bad.status).toBe(400);
    const anonymous = await getResumePointHandler(
      new Request(`${BASE}/api/progress?lessonSlug=${LESSON}`),
      database.db,
    );
    expect(anonymous.status).toBe(401);
  });

  it('widgetQuery keeps only <id>.<field> keys', () => {
    expect(widgetQuery('a=1&fp.w=0.5&gp.src=x%3D1&__proto__.x=1&fp.=2')).toBe('fp.w=0.5&gp.src=x%3D1');
  });
});

describe('resume codes', () => {
  it('carry answers, reading position and widget settings to another device, once', async () => {
    const home = await newLearner(database.db);
    const { correct } = choiceLetters(home.learnerId, 'why-chain-rule');
    expect(
      (
        await submit(database.db, home.cookie, {
          questionId: 'why-chain-rule',
          attempt: 1,
          answer: { choice: correct },
        })
      ).status,
    ).toBe(200);
    await sendProgress(database.db, home.cookie, {
      events: [{ id: randomUUID(), type: 'section-viewed', lessonSlug: LESSON, target: 'graphs', at: Date.now() }],
      widgetState: { lessonSlug: LESSON, query: 'fp.w=2' },
    });
    const code = await issue(home.cookie);

    // Only the hash is stored, never the code.
    const rows = await database.db.resumeCode.findMany({ where: { learnerId: home.learnerId } });
    expect(rows).toHaveLength(1);
    const plain = code.replace('-', '');
    expect(rows[0]?.codeHash).toBe(createHash('sha256').update(plain).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(plain);

    // The other device already has its own anonymous session; typed in lower case with spaces.
    const phone = await newLearner(database.db);
    const response = await redeemRequest(` ${code.toLowerCase().replace('-', ' ')} `, phone.cookie);
    expect(response.status).toBe(200);
    const cookie = cookieFrom(response);
    const newSession = await sessionIdFrom(new Request(BASE, { headers: { cookie } }));
    const session = await database.db.session.findUniqueOrThrow({ where: { id: newSession! } });
    expect(session.learnerId).toBe(home.learnerId);
    // The phone's old session is over; its anonymous learner's rows are left as they were.
    expect(await database.db.session.findUnique({ where: { id: phone.sessionId } })).toBeNull();

    const state = (await (await getState(database.db, cookie)).json()) as Learner['state'];
    expect(state.lastSectionId).toBe('graphs');
    expect(state.questions.find((question) => question.id === 'why-chain-rule')?.attemptsUsed).toBe(1);
    expect((await resumePoint(cookie)).body).toEqual({ lastSectionId: 'graphs', widgetState: 'fp.w=2' });

    // Used up: a second device cannot use it again.
    const again = await redeemRequest(code, undefined, { 'x-autodidact-peer': '10.0.0.9' });
    expect(again.status).toBe(422);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/does not work/);
  });

  it('a new code replaces the older one', async () => {
    const home = await newLearner(database.db);
    const first = await issue(home.cookie);
    const second = await issue(home.cookie);
    expect((await redeemRequest(first, undefined, { 'x-autodidact-peer': '10.0.0.10' })).status).toBe(422);
    expect((await redeemRequest(second, undefined, { 'x-autodidact-peer': '10.0.0.10' })).status).toBe(200);
  });

  it('expires after 24 hours', async () => {
    const home = await newLearner(database.db);
    const issuedAt = new Date(Date.now() - 25 * 3600 * 1000);
    const { code } = await createResumeCode(database.db, home.learnerId, issuedAt);
    await expect(redeemResumeCode(database.db, code, { ip: '10.0.0.11', sessionId: null })).rejects.toMatchObject({
      status: 422,
    });
  });

  it('refuses malformed codes with a plain 400 and needs a session to issue one', async () => {
    const response = await redeemRequest('ABC', undefined, { 'x-autodidact-peer': '10.0.0.12' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      'A resume code is 10 letters and digits',
    );
    expect((await redeemRequest('ABCDE-0OIL1', undefined, { 'x-autodidact-peer': '10.0.0.12' })).status).toBe(400);
    const anonymous = await postResumeCodeHandler(post('/api/learner/resume-code', {}), database.db);
    expect(anonymous.status).toBe(401);
  });

  it(`limits guesses: ${RESUME_RULES.ip.max} tries per address, then 429 with Retry-After, even for a right code`, async () => {
    const home = await newLearner(database.db);
    const code = await issue(home.cookie);
    const peer = { 'x-autodidact-peer': '10.0.0.13' };
    for (let k = 0; k < RESUME_RULES.ip.max; k++) {
      expect((await redeemRequest('ABCDE-FGHJK', undefined, peer)).status).toBe(422);
    }
    const refused = await redeemRequest(code, undefined, peer);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // From another address the right code still works (it was not used up by the refusal).
    expect((await redeemRequest(code, undefined, { 'x-autodidact-peer': '10.0.0.14' })).status).toBe(200);
  });

  it('limits guesses from one browser session whatever its address claims', async () => {
    const guesser = await newLearner(database.db);
    for (let k = 0; k < RESUME_RULES.session.max; k++) {
      const response = await redeemRequest('ABCDE-FGHJK', guesser.cookie, { 'x-autodidact-peer': `10.1.0.${k}` });
      expect(response.status).toBe(422);
    }
    expect((await redeemRequest('ABCDE-FGHJK', guesser.cookie, { 'x-autodidact-peer': '10.1.1.1' })).status).toBe(429);
  });

  it('limits wrong codes site-wide, whatever the addresses', async () => {
    await database.db.resumeThrottle.upsert({
      where: { key: 'all' },
      update: { failures: RESUME_RULES.all.max, windowStartMs: BigInt(Date.now()) },
      create: { key: 'all', failures: RESUME_RULES.all.max, windowStartMs: BigInt(Date.now()) },
    });
    expect((await redeemRequest('ABCDE-FGHJK', undefined, { 'x-autodidact-peer': '10.2.0.1' })).status).toBe(429);
    await database.db.resumeThrottle.delete({ where: { key: 'all' } });
  });

  it('goes with the learner (cascade)', async () => {
    const leaving = await newLearner(database.db);
    await issue(leaving.cookie);
    await database.db.learner.delete({ where: { id: leaving.learnerId } });
    expect(await database.db.resumeCode.count({ where: { learnerId: leaving.learnerId } })).toBe(0);
  });
});
