import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createCohort } from '@/lib/server/learner-service';

import { getState, newLearner, updateLearner, type Learner } from './helpers/learner-client';
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

describe('POST /api/learner', () => {
  it('sets a display name and joins a class by its code, once', async () => {
    const cohort = await createCohort(database.db, { name: 'Period 3' });
    expect(cohort.joinCode).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
    const response = await updateLearner(database.db, learner.cookie, {
      displayName: '  Ada  ',
      joinCode: cohort.joinCode.toLowerCase(),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ learner: { displayName: 'Ada', cohorts: [{ name: 'Period 3' }] } });
    const twice = await Promise.all(
      [1, 2].map(() => updateLearner(database.db, learner.cookie, { joinCode: cohort.joinCode })),
    );
    expect(twice.map((r) => r.status)).toEqual([200, 200]);
    expect(await database.db.enrollment.count({ where: { learnerId: learner.learnerId } })).toBe(1);
    const state = (await (await getState(database.db, learner.cookie)).json()) as Learner['state'];
    expect(state.learner).toEqual({ displayName: 'Ada', cohorts: [{ name: 'Period 3' }] });
  });

  it('clears the display name with null', async () => {
    const response = await updateLearner(database.db, learner.cookie, { displayName: null });
    expect(((await response.json()) as Learner['state']).learner.displayName).toBeNull();
  });

  const bad: [string, unknown, number, RegExp][] = [
    [
      'an unknown join code',
      { displayName: 'Grace', joinCode: 'NOPE2345' },
      422,
      /No class uses the join code "NOPE2345"/,
    ],
    ['an empty object', {}, 400, /displayName, joinCode or both/],
    ['a blank name', { displayName: '   ' }, 400, /must not be empty/],
    ['a 41-character name', { displayName: 'x'.repeat(41) }, 400, /at most 40/],
    ['a control character', { displayName: 'a\u0007b' }, 400, /control characters/],
    ['a learner id', { displayName: 'x', learnerId: 'other' }, 400, /learnerId/],
    ['a numeric name', { displayName: 5 }, 400, /displayName/],
    ['a join code with symbols', { joinCode: 'DROP;TABLE' }, 400, /joinCode/],
  ];
  it.each(bad)('rejects %s with a 4xx and writes nothing', async (_name, body, status, message) => {
    const before = await database.db.learner.findUniqueOrThrow({ where: { id: learner.learnerId } });
    const enrollments = await database.db.enrollment.count();
    const response = await updateLearner(database.db, learner.cookie, body);
    expect(response.status).toBe(status);
    const json = (await response.json()) as { error: { message: string; issues?: string[] } };
    expect([json.error.message, ...(json.error.issues ?? [])].join('\n')).toMatch(message);
    expect(await database.db.learner.findUniqueOrThrow({ where: { id: learner.learnerId } })).toEqual(before);
    expect(await database.db.enrollment.count()).toBe(enrollments);
  });

  it('needs a session', async () => {
    expect((await updateLearner(database.db, undefined, { displayName: 'x' })).status).toBe(401);
  });
});
