// Issue 16 item 18: a join code is refused in plain words that say what a code looks like, and
// the spaces, dashes and lower case people type between groups are accepted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createCohort, JOIN_CODE_HELP } from '@/lib/server/learner-service';

import { newLearner, updateLearner, type Learner } from './helpers/learner-client';
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

describe('joining a class with a typed code', () => {
  it.each([
    ['symbols', 'AB#1'],
    ['too short', 'AB2'],
    ['too long', 'ABCDEFGHJKMNPQRST'],
    ['far too long', 'A'.repeat(41)],
    ['only spaces', '   '],
  ])('refuses a code with %s: 400, the plain help text, nothing joined', async (_name, joinCode) => {
    const response = await updateLearner(database.db, learner.cookie, { joinCode });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toContain(JOIN_CODE_HELP);
    expect(JOIN_CODE_HELP).toMatch(/letters and digits/);
    expect(await database.db.enrollment.count({ where: { learnerId: learner.learnerId } })).toBe(0);
  });

  it('accepts lower case, spaces and dashes between groups', async () => {
    const cohort = await createCohort(database.db, { name: 'Period 5' });
    const typed = ` ${cohort.joinCode.slice(0, 4).toLowerCase()} - ${cohort.joinCode.slice(4)} `;
    const response = await updateLearner(database.db, learner.cookie, { joinCode: typed });
    expect(response.status).toBe(200);
    expect(await database.db.enrollment.count({ where: { learnerId: learner.learnerId, cohortId: cohort.id } })).toBe(
      1,
    );
  });

  it('names the code when no class uses it (422), in words for learners', async () => {
    const response = await updateLearner(database.db, learner.cookie, { joinCode: 'zzzz-2222' });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toBe('No class uses the join code "ZZZZ2222". Check it with your teacher.');
  });
});
