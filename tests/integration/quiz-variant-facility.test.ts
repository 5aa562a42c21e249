import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { graphPractice } from '@/content/lessons/chain-rule-computational-graphs/questions';
import { createInstructor, signIn } from '@/lib/server/auth/accounts';
import { variantFacility } from '@/lib/server/instructor/analysis';
import { createClass } from '@/lib/server/instructor/classes';
import { neuronReference } from '@/lib/quiz/test-helpers';
import { numericVariant } from '@/lib/quiz/variants';

import { newLearner, submit, updateLearner } from './helpers/learner-client';
import { createQuizDatabase } from './helpers/quiz-database';
import type { TestDatabase } from './helpers/test-database';

/**
 * Question analysis per variant parameter (issue 16, item 5): learners who answer right exactly
 * when their label is y = 1 must show 100% facility for y = 1 and 0% for y = 0.
 */

let database: TestDatabase;
beforeAll(async () => {
  database = await createQuizDatabase();
});
afterAll(async () => {
  await database?.cleanup();
});

describe('facility per variant parameter', () => {
  it('finds the label that makes dL/dw hard, from each attempt’s own numbers', async () => {
    const password = 'variant facility check 7319 quartz';
    await createInstructor(database.db, { name: 'Vera', email: 'vera@example.org', password });
    const signedIn = await signIn(database.db, new Headers(), { email: 'vera@example.org', password });
    const headers = new Headers({ cookie: signedIn.setCookies.map((cookie) => cookie.split(';')[0]).join('; ') });
    const { id, joinCode } = await createClass(database.db, headers, { name: 'Variants' });
    const question = graphPractice.find((entry) => entry.id === 'gradient-dl-dw')!;

    const labels: number[] = [];
    for (let i = 0; i < 12; i++) {
      const learner = await newLearner(database.db);
      expect((await updateLearner(database.db, learner.cookie, { joinCode })).status).toBe(200);
      const { variant } = numericVariant(question, learner.learnerId, 0);
      labels.push(variant.y);
      const right = neuronReference(variant).dLdw;
      const response = await submit(database.db, learner.cookie, {
        questionId: question.id,
        attempt: 1,
        answer: { parts: { value: variant.y === 1 ? right : right + 10 } },
      });
      expect(response.status).toBe(200);
    }
    expect(new Set(labels)).toEqual(new Set([0, 1]));

    const report = await variantFacility(database.db, headers, id);
    const entry = report.lessons.flatMap((lesson) => lesson.questions).find((q) => q.questionId === question.id)!;
    expect(entry.attempts).toBe(12);
    const label = (value: string) => entry.rows.find((row) => row.parameter === 'label' && row.value === value);
    expect(label('y = 1')).toMatchObject({ attempts: labels.filter((y) => y === 1).length, facility: 1 });
    expect(label('y = 0')).toMatchObject({ attempts: labels.filter((y) => y === 0).length, facility: 0 });

    // Without an instructor session: refused.
    await expect(variantFacility(database.db, new Headers(), id)).rejects.toMatchObject({ status: 401 });
  });
});
