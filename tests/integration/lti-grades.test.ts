// LTI grade passback and roster (issue 18): the outbox row is written with the answer, the worker
// posts the knowledge-check score to the platform double's line item with a Bearer token, backs
// off while the platform answers 503 and then delivers once and in order; NRPS fills the roster.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { knowledgeCheck } from '@/content/lessons/chain-rule-computational-graphs/questions';
import { publicJwks } from '@/lib/server/lti/keys';
import { classSyncStatus, deliverDueScores, ltiOutboxDepth, retryClassDeliveries } from '@/lib/server/lti/outbox';
import { forgetAccessTokens } from '@/lib/server/lti/platform-client';
import { addPlatform } from '@/lib/server/lti/platforms';
import { syncClassRoster } from '@/lib/server/lti/roster';
import { lessonQuiz } from '@/lib/server/quiz-content';
import { sessionIdFrom } from '@/lib/server/session';
import { TestPlatform } from '@/tests/lti-platform/platform';
import { cookiesOf, fullLaunch, TOOL } from '@/tests/lti-platform/tool-client';

import { choiceLetters, newLearner, submit } from './helpers/learner-client';
import { createQuizDatabase } from './helpers/quiz-database';
import type { TestDatabase } from './helpers/test-database';

let database: TestDatabase;
let platform: TestPlatform;
const db = () => database.db;
const LESSON = 'chain-rule-computational-graphs';
const settings = { pollMs: 10, retryBaseMs: 40, retryMaxMs: 160, maxAttempts: 50, leaseMs: 60_000 };
const choiceIds = knowledgeCheck.filter((question) => question.kind === 'single-choice').map((question) => question.id);

beforeAll(async () => {
  database = await createQuizDatabase();
  platform = await new TestPlatform({ toolJwks: () => publicJwks(database.db) }).start();
  await addPlatform(database.db, platform.registration());
});

afterAll(async () => {
  await platform?.stop();
  await database?.cleanup();
});

beforeEach(() => {
  platform.failing = false;
  platform.scores.length = 0;
});

async function launchedLearner(sub: string, options: Parameters<TestPlatform['resourceLinkClaims']>[1] = {}) {
  const response = await fullLaunch(db(), platform, platform.resourceLinkClaims(sub, options));
  expect(response.status).toBe(302);
  const cookie = cookiesOf(response);
  const sessionId = await sessionIdFrom(new Request(TOOL, { headers: { cookie } }));
  const session = await db().session.findUniqueOrThrow({ where: { id: sessionId! } });
  return { cookie, learnerId: session.learnerId };
}

async function answer(cookie: string, learnerId: string, questionId: string, right: boolean, attempt = 1) {
  const letters = choiceLetters(learnerId, questionId);
  const response = await submit(db(), cookie, {
    questionId,
    attempt,
    answer: { choice: right ? letters.correct : letters.wrong },
  });
  expect(response.status).toBe(200);
}

async function deliverUntilQuiet(limit = 200) {
  for (let pass = 0; pass < limit; pass++) {
    const pending = await db().ltiScoreOutbox.count({ where: { status: 'pending' } });
    if (pending === 0) return;
    await deliverDueScores(db(), settings);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('deliveries still pending');
}

describe('grade passback (AGS)', () => {
  it('writes the outbox row with the answer and posts the knowledge-check score with a Bearer token', async () => {
    const total = await db().question.count({ where: { lessonSlug: LESSON } });
    // Every graded question of the lesson's knowledge check (the class overview's quiz score counts the same).
    expect(total).toBe(lessonQuiz(LESSON)!.questions.length);
    const { cookie, learnerId } = await launchedLearner('ags-1');
    await deliverUntilQuiet();
    // The first launch posts "Started" with 0.
    expect(platform.scores).toHaveLength(1);
    expect(platform.scores[0]!.body).toMatchObject({
      userId: 'ags-1',
      scoreGiven: 0,
      scoreMaximum: total,
      activityProgress: 'Started',
      gradingProgress: 'FullyGraded',
    });

    await answer(cookie, learnerId, choiceIds[0]!, true);
    // Written in the answer's transaction: there before any delivery runs.
    const rows = await db().ltiScoreOutbox.findMany({ where: { learnerId, status: 'pending' } });
    expect(rows).toHaveLength(1);
    const response = await db().response.findFirstOrThrow({ where: { learnerId } });
    expect(rows[0]!.responseId).toBe(response.id);

    await deliverUntilQuiet();
    expect(platform.scores).toHaveLength(2);
    const score = platform.scores[1]!;
    expect(score.contentType).toBe('application/vnd.ims.lis.v1.score+json');
    expect(score.lineItem).toBe(`${platform.lineItemsUrl}/item-1`);
    // One question right out of all of them, by hand.
    expect(score.body).toMatchObject({
      userId: 'ags-1',
      scoreGiven: 1,
      scoreMaximum: total,
      activityProgress: 'InProgress',
      gradingProgress: 'FullyGraded',
    });
    expect(new Date(score.body.timestamp).toISOString()).toBe(score.body.timestamp);
    expect(new Date(score.body.timestamp).getTime()).toBe(response.createdAt.getTime());
  });

  it('counts the latest attempt of every question, wrong ones as 0', async () => {
    const { cookie, learnerId } = await launchedLearner('ags-partial');
    await answer(cookie, learnerId, choiceIds[1]!, false);
    await answer(cookie, learnerId, choiceIds[2]!, true);
    await deliverUntilQuiet();
    const last = platform.scores.filter((score) => score.body.userId === 'ags-partial').at(-1)!.body;
    // By hand: one wrong (0) and one right (1) out of every question.
    expect(last).toMatchObject({
      scoreGiven: 1,
      scoreMaximum: lessonQuiz(LESSON)!.questions.length,
      activityProgress: 'InProgress',
    });
  });

  it('writes no outbox row for a learner who did not come from an LMS', async () => {
    const learner = await newLearner(db());
    const before = await db().ltiScoreOutbox.count();
    await answer(learner.cookie, learner.learnerId, choiceIds[0]!, true);
    expect(await db().ltiScoreOutbox.count()).toBe(before);
  });

  it('caches the access token', async () => {
    forgetAccessTokens();
    const { cookie, learnerId } = await launchedLearner('ags-token');
    const before = platform.tokenRequests;
    await deliverUntilQuiet();
    await answer(cookie, learnerId, choiceIds[0]!, true);
    await deliverUntilQuiet();
    expect(platform.tokenRequests - before).toBe(1);
  });

  it('rides out a 503 outage with backoff and then delivers once, in order, with the newest score', async () => {
    const { cookie, learnerId } = await launchedLearner('ags-outage');
    await deliverUntilQuiet();
    platform.scores.length = 0;
    forgetAccessTokens();
    platform.failing = true;
    for (const questionId of choiceIds.slice(0, 3)) {
      await answer(cookie, learnerId, questionId, true);
      await deliverDueScores(db(), settings);
    }
    for (let pass = 0; pass < 5; pass++) {
      await new Promise((resolve) => setTimeout(resolve, 60));
      await deliverDueScores(db(), settings);
    }
    const waiting = await db().ltiScoreOutbox.findMany({ where: { learnerId, status: 'pending' } });
    expect(waiting).toHaveLength(3);
    expect(waiting[0]!.lastError).toMatch(/503.*maintenance/);
    expect(Math.max(...waiting.map((row) => row.attempts))).toBeGreaterThan(1);
    expect(await ltiOutboxDepth(db())).toBeGreaterThanOrEqual(3);
    expect(platform.scores).toHaveLength(0);
    expect(platform.refusedWhileFailing).toBeGreaterThan(1);

    platform.failing = false;
    await deliverUntilQuiet();
    expect(platform.scores).toHaveLength(1);
    expect(platform.scores[0]!.body).toMatchObject({ userId: 'ags-outage', scoreGiven: 3 });
    const newest = await db().response.findFirstOrThrow({ where: { learnerId }, orderBy: { createdAt: 'desc' } });
    expect(platform.scores[0]!.body.timestamp).toBe(newest.createdAt.toISOString());
  });

  it('keeps scores in timestamp order across many answers and deliveries', async () => {
    const { cookie, learnerId } = await launchedLearner('ags-order');
    for (const questionId of choiceIds) {
      await answer(cookie, learnerId, questionId, true);
      if (Math.random() < 0.5) await deliverDueScores(db(), settings);
    }
    await deliverUntilQuiet();
    const mine = platform.scores.filter((score) => score.body.userId === 'ags-order');
    const times = mine.map((score) => Date.parse(score.body.timestamp));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const given = mine.map((score) => score.body.scoreGiven);
    expect([...given].sort((a, b) => a - b)).toEqual(given);
    expect(given.at(-1)).toBe(choiceIds.length);
  });

  it('creates a line item through the lineitems URL when the launch names none', async () => {
    const { cookie, learnerId } = await launchedLearner('ags-new-item', {
      lineItem: null,
      resourceLinkId: 'link-no-item',
      contextId: 'course-2',
    });
    await answer(cookie, learnerId, choiceIds[0]!, true);
    await deliverUntilQuiet();
    const mine = platform.scores.filter((score) => score.body.userId === 'ags-new-item');
    expect(mine.length).toBeGreaterThan(0);
    const item = platform.lineItems.get(mine[0]!.lineItem)!;
    expect(item).toMatchObject({ resourceLinkId: 'link-no-item', resourceId: LESSON });
  });

  it('marks a refused delivery failed with the platform text, shows it, and retries it on request', async () => {
    const { cookie, learnerId } = await launchedLearner('ags-gone', {
      lineItem: `${platform.lineItemsUrl}/item-gone`,
      resourceLinkId: 'link-gone',
      contextId: 'course-gone',
    });
    platform.lineItems.delete(`${platform.lineItemsUrl}/item-gone`);
    await answer(cookie, learnerId, choiceIds[0]!, true);
    await deliverUntilQuiet();
    const failed = await db().ltiScoreOutbox.findMany({ where: { learnerId, status: 'failed' } });
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]!.lastError).toMatch(/404.*no such line item/);
    const context = await db().ltiContext.findFirstOrThrow({ where: { contextId: 'course-gone' } });
    const status = await classSyncStatus(db(), context.cohortId);
    expect(status?.failed[0]?.error).toMatch(/no such line item/);
    platform.lineItems.set(`${platform.lineItemsUrl}/item-gone`, {
      id: `${platform.lineItemsUrl}/item-gone`,
      label: 'x',
      scoreMaximum: 6,
      resourceLinkId: 'link-gone',
    });
    expect(await retryClassDeliveries(db(), context.cohortId)).toBeGreaterThan(0);
    await deliverUntilQuiet();
    expect(await db().ltiScoreOutbox.count({ where: { learnerId, status: 'failed' } })).toBe(0);
    expect(platform.scores.some((score) => score.body.userId === 'ags-gone' && score.body.scoreGiven === 1)).toBe(true);
    expect((await classSyncStatus(db(), context.cohortId))?.lastSentAt).toBeInstanceOf(Date);
  });
});

describe('roster (NRPS)', () => {
  it('follows Link rel="next" pages and enrolls members who never launched', async () => {
    platform.members = [
      {
        user_id: 'roster-1',
        roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
        name: 'Rosa <script>alert(1)</script>',
        email: 'rosa@school.example',
      },
      {
        user_id: 'roster-2',
        roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
        name: '=HYPERLINK("x")',
      },
      {
        user_id: 'roster-3',
        roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
        given_name: 'Tom',
        family_name: 'Three',
      } as never,
      {
        user_id: 'roster-teacher',
        roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'],
        name: 'Teacher',
      },
      {
        user_id: 'roster-4',
        roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
        name: 'Gone',
        status: 'Inactive',
      },
    ];
    await launchedLearner('roster-1', { contextId: 'course-roster', resourceLinkId: 'link-roster' });
    const context = await db().ltiContext.findFirstOrThrow({ where: { contextId: 'course-roster' } });
    const result = await syncClassRoster(db(), context.cohortId);
    expect(result).toEqual({ members: 5, learners: 3 });
    const enrolled = await db().enrollment.findMany({
      where: { cohortId: context.cohortId },
      include: { learner: true },
    });
    expect(enrolled.map((row) => row.learner.displayName).sort()).toEqual([
      '=HYPERLINK("x")',
      'Rosa <script>alert(1)</script>',
      'Tom Three',
    ]);
    // The learner who launched is the same learner the roster names.
    const user = await db().ltiUser.findFirstOrThrow({ where: { sub: 'roster-1' } });
    expect(enrolled.some((row) => row.learnerId === user.learnerId)).toBe(true);
    expect(user.email).toBe('rosa@school.example');
    // Never launched: no responses, no events ("not started").
    const tom = await db().ltiUser.findFirstOrThrow({ where: { sub: 'roster-3' } });
    expect(await db().response.count({ where: { learnerId: tom.learnerId } })).toBe(0);
    expect((await db().ltiContext.findUniqueOrThrow({ where: { id: context.id } })).lastRosterSyncAt).toBeInstanceOf(
      Date,
    );
    // Syncing again changes nothing.
    expect(await syncClassRoster(db(), context.cohortId)).toEqual({ members: 5, learners: 3 });
    expect(await db().enrollment.count({ where: { cohortId: context.cohortId } })).toBe(3);
  });

  it('deleting a learner removes their LTI rows too', async () => {
    const { cookie, learnerId } = await launchedLearner('ags-delete');
    await answer(cookie, learnerId, choiceIds[0]!, true);
    await db().learner.delete({ where: { id: learnerId } });
    expect(await db().ltiUser.count({ where: { learnerId } })).toBe(0);
    expect(await db().ltiGradeLink.count({ where: { learnerId } })).toBe(0);
    expect(await db().ltiScoreOutbox.count({ where: { learnerId } })).toBe(0);
  });
});
