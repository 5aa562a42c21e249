import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { insertAnswer, type AnswerRow } from '@/lib/server/answer-writer';

import { newLearner } from './helpers/learner-client';
import { createQuizDatabase } from './helpers/quiz-database';
import type { TestDatabase } from './helpers/test-database';

let database: TestDatabase;
beforeAll(async () => {
  database = await createQuizDatabase();
});
afterAll(async () => {
  await database?.cleanup();
});

function row(learnerId: string, attempt: number, questionId = 'chain-factors'): AnswerRow {
  return {
    id: randomUUID(),
    learnerId,
    questionId,
    attempt,
    variant: 0,
    answer: JSON.stringify({ parts: { a: attempt } }),
    score: 0,
    correct: false,
    grading: JSON.stringify({ score: 0, correct: false, parts: [] }),
    selectedOptionId: null,
    createdAt: new Date(),
  };
}

describe('group commit (answer-writer)', () => {
  it('stores rows that arrive together, each caller told whether its own row was stored', async () => {
    const learners = await Promise.all(Array.from({ length: 3 }, () => newLearner(database.db)));
    const rows = learners.flatMap((learner) => [1, 2, 3].map((attempt) => row(learner.learnerId, attempt)));
    const twin = { ...row(learners[0]!.learnerId, 1), id: randomUUID() }; // same key as rows[0]
    const results = await Promise.all([...rows, twin].map((entry) => insertAnswer(database.db, entry)));
    expect(results).toEqual([...rows.map(() => true), false]);
    const stored = await database.db.response.findMany({
      where: { learnerId: { in: learners.map((learner) => learner.learnerId) } },
      select: { id: true },
    });
    expect(new Set(stored.map((entry) => entry.id))).toEqual(new Set(rows.map((entry) => entry.id)));
  });

  it('a bad row fails alone: the others in its batch are stored', async () => {
    const learner = await newLearner(database.db);
    const good = [row(learner.learnerId, 1), row(learner.learnerId, 2)];
    const bad = row('no-such-learner', 1); // foreign key violation
    const settled = await Promise.allSettled(
      [good[0]!, bad, good[1]!].map((entry) => insertAnswer(database.db, entry)),
    );
    expect(settled.map((entry) => entry.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await database.db.response.count({ where: { learnerId: learner.learnerId } })).toBe(2);
  });
});
