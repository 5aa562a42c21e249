import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { AnswerWorkerClient } from '@/lib/server/db/answer-offload';
import type { AnswerWorkerData } from '@/lib/server/db/answer-protocol';
import { readSessionsWithResponses, type AnswerRow } from '@/lib/server/db/answer-statements';
import { readLessonStateRows } from '@/lib/server/db/learner-statements';
import { databaseUnavailable } from '@/lib/server/db/unavailable';

import { newLearner } from './helpers/learner-client';
import { createQuizDatabase } from './helpers/quiz-database';
import type { TestDatabase } from './helpers/test-database';

// The answer worker (docs/decisions/011) as the server runs it: a real thread with its own client
// on the test's database. Outside Next's bundle its TypeScript entry runs through tsx, with the
// react-server condition that the bundle gives `server-only`.
const ENTRY = new URL('../../lib/server/db/answer-worker.ts', import.meta.url);

function spawnThroughTsx(workerData: AnswerWorkerData): Worker {
  const bootstrap = `
    const { workerData } = require('node:worker_threads');
    import('tsx/esm/api').then(({ register }) => { register(); return import(workerData.entry); });`;
  return new Worker(bootstrap, {
    eval: true,
    workerData: { ...workerData, entry: ENTRY.href },
    execArgv: ['--conditions=react-server'],
  });
}

let database: TestDatabase;
let worker: AnswerWorkerClient;
beforeAll(async () => {
  database = await createQuizDatabase();
  worker = new AnswerWorkerClient(database.url, 2, spawnThroughTsx);
});
afterAll(async () => {
  await worker?.close();
  await database?.cleanup();
});

function row(learnerId: string, attempt: number): AnswerRow {
  return {
    id: randomUUID(),
    learnerId,
    questionId: 'chain-factors',
    attempt,
    variant: 0,
    answer: JSON.stringify({ parts: { a: attempt } }),
    score: 0.5,
    correct: attempt === 2,
    grading: JSON.stringify({ score: 0.5, correct: attempt === 2, parts: [] }),
    selectedOptionId: null,
    createdAt: new Date(Date.UTC(2026, 10, 26, 12, 0, attempt)),
  };
}

describe('answer statements on the worker thread', () => {
  it('stores rows, refuses a twin, and reads back what the app reads in place', async () => {
    const learner = await newLearner(database.db);
    const rows = [row(learner.learnerId, 1), row(learner.learnerId, 2)];
    const twin = { ...row(learner.learnerId, 1), id: randomUUID() };

    const inserted = await worker.insert([...rows, twin]);
    expect(inserted).toEqual(new Set(rows.map((entry) => entry.id)));
    expect(await database.db.response.count({ where: { learnerId: learner.learnerId } })).toBe(2);

    const questionIds = ['chain-factors', 'reused-node'];
    const viaWorker = await worker.read(questionIds, [learner.sessionId, 'no-such-session']);
    const inPlace = await readSessionsWithResponses(database.db, questionIds, [learner.sessionId, 'no-such-session']);
    expect(viaWorker).toEqual(inPlace);
    const session = viaWorker.get(learner.sessionId)!;
    expect(session.learnerId).toBe(learner.learnerId);
    expect(session.expiresAt).toBeInstanceOf(Date);
    expect(
      session.responses.map((response) => [response.attempt, response.correct, response.createdAt]).sort(),
    ).toEqual(rows.map((entry) => [entry.attempt, entry.correct, entry.createdAt]).sort());
    expect(viaWorker.has('no-such-session')).toBe(false);
  });

  it("runs the learner path's other statements as they run in place: a new session, its lookup, a progress batch, the lesson state", async () => {
    const learnerId = randomUUID();
    const sessionId = `worker-session-${randomUUID()}`;
    const createdAt = new Date(Date.UTC(2026, 11, 7, 9, 0, 0));
    const expiresAt = new Date(Date.UTC(2027, 5, 7, 9, 0, 0));
    await worker.run('insertLearnerSession', { sessionId, learnerId, createdAt, expiresAt });
    expect(await worker.run('findSessionRow', sessionId)).toEqual({ id: sessionId, learnerId, expiresAt });
    expect(await worker.run('findSessionRow', 'no-such-session')).toBeNull();
    expect(await worker.run('findCohortByJoinCode', 'NOSUCHCODE')).toBeNull();
    expect(await worker.run('updateLearnerRows', { learnerId, displayName: 'Ada', joinedAt: createdAt })).toEqual({
      displayName: 'Ada',
      cohorts: [],
    });

    const event = {
      id: randomUUID(),
      clientEventId: randomUUID(),
      lessonSlug: 'chain-rule-computational-graphs',
      type: 'section-viewed',
      target: 'worked-example',
      data: null,
      occurredAt: createdAt,
    };
    const batch = {
      learnerId,
      receivedAt: createdAt,
      events: [event],
      lastSections: [{ lessonSlug: event.lessonSlug, target: event.target }],
      widgetState: { lessonSlug: event.lessonSlug, query: 'fp.w=0.8' },
    };
    expect(await worker.run('insertProgressBatch', batch)).toBe(1);
    // The same batch again (a retried beacon): nothing new.
    expect(await worker.run('insertProgressBatch', { ...batch, events: [{ ...event, id: randomUUID() }] })).toBe(0);
    await worker.insert([row(learnerId, 1)]);

    const questionIds = ['chain-factors', 'reused-node'];
    const viaWorker = await worker.run('readLessonStateRows', learnerId, event.lessonSlug, questionIds);
    expect(viaWorker).toEqual(await readLessonStateRows(database.db, learnerId, event.lessonSlug, questionIds));
    expect(viaWorker).toMatchObject({
      learner: { displayName: 'Ada', lastSectionId: 'worked-example' },
      cohorts: [],
      practice: [],
      extraAttempts: {},
    });
    expect(viaWorker.responses.map((response) => [response.questionId, response.attempt])).toEqual([
      ['chain-factors', 1],
    ]);
    const stored = await database.db.lessonProgress.findUniqueOrThrow({
      where: { learnerId_lessonSlug: { learnerId, lessonSlug: event.lessonSlug } },
    });
    expect(stored).toMatchObject({ lastSectionId: 'worked-example', widgetState: 'fp.w=0.8' });
  });

  it('a failed statement reaches the app with its message, and is not mistaken for a busy database', async () => {
    const error = await worker.insert([row('no-such-learner', 1)]).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/foreign key/i);
    expect(databaseUnavailable(error)).toBeNull();
    expect(await database.db.response.count({ where: { learnerId: 'no-such-learner' } })).toBe(0);
  });

  it('requests in flight when the thread dies fail retryably, and the next request starts a new thread', async () => {
    const learner = await newLearner(database.db);
    // A client of its own: its thread is still starting (loading the client) when it is stopped,
    // so the request cannot have been answered.
    const starting = new AnswerWorkerClient(database.url, 2, spawnThroughTsx);
    const inFlight = starting.read(['chain-factors'], [learner.sessionId]);
    await starting.close();
    const error = await inFlight.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(databaseUnavailable(error)?.code).toBe('database-unavailable');
    const again = await starting.read(['chain-factors'], [learner.sessionId]);
    expect(again.get(learner.sessionId)?.learnerId).toBe(learner.learnerId);
    await starting.close();
  });
});
