import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { getState, LESSON, newLearner, sendProgress, type Learner } from './helpers/learner-client';
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

const section = (target: string, at: number) => ({
  id: randomUUID(),
  type: 'section-viewed',
  lessonSlug: LESSON,
  target,
  at,
});

describe('POST /api/progress', () => {
  it('stores a batch once, however often it is sent, and remembers the last section for resuming', async () => {
    const now = Date.now();
    const batch = {
      events: [
        section('aha', now - 3000),
        {
          id: randomUUID(),
          type: 'widget-used',
          lessonSlug: LESSON,
          target: 'forward-pass:fp',
          data: { control: 'w' },
          at: now - 2000,
        },
        {
          id: randomUUID(),
          type: 'prediction-made',
          lessonSlug: LESSON,
          target: 'nudge-test:nt',
          data: { target: 'dL/dw', predicted: { kind: 'sign', sign: -1 }, actual: -0.49, correct: true },
          at: now - 1500,
        },
        section('worked-example', now - 1000),
      ],
    };
    const first = await sendProgress(database.db, learner.cookie, batch);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ stored: 4 });
    // A beacon and its retry, concurrently: still four rows.
    const again = await Promise.all([
      sendProgress(database.db, learner.cookie, batch),
      sendProgress(database.db, learner.cookie, batch),
    ]);
    expect(again.map((response) => response.status)).toEqual([200, 200]);
    expect(await database.db.progressEvent.count({ where: { learnerId: learner.learnerId } })).toBe(4);

    const state = (await (await getState(database.db, learner.cookie)).json()) as Learner['state'];
    expect(state.lastSectionId).toBe('worked-example');
    const timeline = await database.db.progressEvent.findMany({
      where: { learnerId: learner.learnerId },
      orderBy: { occurredAt: 'asc' },
    });
    expect(timeline.map((event) => event.type)).toEqual([
      'section-viewed',
      'widget-used',
      'prediction-made',
      'section-viewed',
    ]);
  });

  it('never stores a time from the future', async () => {
    const event = section('graphs', Date.now() + 86_400_000);
    expect((await sendProgress(database.db, learner.cookie, { events: [event] })).status).toBe(200);
    const row = await database.db.progressEvent.findFirstOrThrow({ where: { clientEventId: event.id } });
    expect(row.occurredAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  const bad: [string, unknown, number][] = [
    ['no events', { events: [] }, 400],
    ['an unknown event type', { events: [{ ...section('aha', 1), type: 'answer-submitted' }] }, 400],
    ['an unknown lesson', { events: [{ ...section('aha', 1), lessonSlug: 'nope' }] }, 400],
    ['a non-UUID id', { events: [{ ...section('aha', 1), id: '1' }] }, 400],
    ['an extra field', { events: [{ ...section('aha', 1), learnerId: 'someone-else' }] }, 400],
    ['a section id with markup', { events: [section('<script>', 1)] }, 400],
    [
      'the same id twice',
      (() => {
        const e = section('aha', 1);
        return { events: [e, e] };
      })(),
      400,
    ],
    ['51 events', { events: Array.from({ length: 51 }, () => section('aha', 1)) }, 400],
    ['a body over 64 KiB', { events: [section('aha', 1)], pad: 'x'.repeat(70_000) }, 413],
  ];
  it.each(bad)('rejects %s with a 4xx and writes nothing', async (_name, body, status) => {
    const before = await database.db.progressEvent.count();
    const response = await sendProgress(database.db, learner.cookie, body);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { message: string } }).error.message.length).toBeGreaterThan(10);
    expect(await database.db.progressEvent.count()).toBe(before);
  });

  it('needs a session', async () => {
    const response = await sendProgress(database.db, undefined, { events: [section('aha', 1)] });
    expect(response.status).toBe(401);
  });
});
