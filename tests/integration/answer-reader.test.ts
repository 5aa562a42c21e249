import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { graphPractice } from '@/content/lessons/chain-rule-computational-graphs/questions';
import { readSessionWithResponses } from '@/lib/server/answer-reader';
import { insertAnswer } from '@/lib/server/answer-writer';
import { sessionIdFrom } from '@/lib/server/session';

import { BASE, newLearner, type Learner } from './helpers/learner-client';
import { createQuizDatabase } from './helpers/quiz-database';
import type { TestDatabase } from './helpers/test-database';

let database: TestDatabase;
beforeAll(async () => {
  database = await createQuizDatabase();
});
afterAll(async () => {
  await database?.cleanup();
});

const questionIds = graphPractice.map((question) => question.id);

async function sessionIdOf(learner: Learner): Promise<string> {
  return (await sessionIdFrom(new Request(BASE, { headers: { cookie: learner.cookie } })))!;
}

async function answer(learnerId: string, questionId: string, attempt: number): Promise<void> {
  const stored = await insertAnswer(database.db, {
    id: randomUUID(),
    learnerId,
    questionId,
    attempt,
    variant: 0,
    answer: JSON.stringify({ parts: { value: attempt } }),
    score: 0,
    correct: false,
    grading: JSON.stringify({ score: 0, correct: false, parts: [] }),
    selectedOptionId: null,
    createdAt: new Date(),
  });
  expect(stored).toBe(true);
}

describe('group reads (answer-reader)', () => {
  it('reads sessions that arrive together in one batch, each caller getting its own rows', async () => {
    const learners = await Promise.all(Array.from({ length: 4 }, () => newLearner(database.db)));
    // Learner i has i responses; learner 0 has none (the LEFT JOIN's empty row).
    for (const [index, learner] of learners.entries()) {
      for (let attempt = 1; attempt <= index; attempt++) await answer(learner.learnerId, questionIds[0]!, attempt);
    }
    const ids = await Promise.all(learners.map(sessionIdOf));
    const missing = 'no-such-session-0123456789';
    // The same session twice, an unknown one, and a question list that leaves the rows out.
    const [found, again, unknown, otherLesson] = await Promise.all([
      Promise.all(ids.map((id) => readSessionWithResponses(database.db, id, questionIds))),
      readSessionWithResponses(database.db, ids[3]!, questionIds),
      readSessionWithResponses(database.db, missing, questionIds),
      readSessionWithResponses(database.db, ids[3]!, ['no-such-question']),
    ]);
    for (const [index, learner] of learners.entries()) {
      const session = found[index]!;
      expect(session.learnerId).toBe(learner.learnerId);
      expect(session.expiresAt).toBeInstanceOf(Date);
      expect(session.expiresAt.getTime()).toBeGreaterThan(Date.now());
      expect(session.responses.map((row) => row.attempt).sort()).toEqual(
        Array.from({ length: index }, (_, i) => i + 1),
      );
      for (const row of session.responses) {
        expect(row).toMatchObject({ questionId: questionIds[0], correct: false });
        expect(row.createdAt).toBeInstanceOf(Date);
        expect(JSON.parse(row.grading)).toEqual({ score: 0, correct: false, parts: [] });
      }
    }
    expect(again).toEqual(found[3]);
    expect(again!.responses).not.toBe(found[3]!.responses); // callers may append to their own copy
    expect(unknown).toBeNull();
    expect(otherLesson).toMatchObject({ learnerId: learners[3]!.learnerId, responses: [] });
  });

  it("brings the learner's practice gradings and attempt grants with the session, for these questions only", async () => {
    const [learner, other] = await Promise.all([newLearner(database.db), newLearner(database.db)]);
    await answer(learner.learnerId, questionIds[0]!, 1);
    const practiceAt = new Date('2026-12-01T10:00:00Z');
    for (const [round, questionId] of [questionIds[0]!, questionIds[1]!].entries()) {
      await database.db.practiceResponse.create({
        data: {
          learnerId: learner.learnerId,
          questionId,
          round: round + 1,
          attempt: 1,
          variant: 1000 + round,
          answer: '{}',
          score: 1,
          correct: true,
          grading: JSON.stringify({ score: 1, correct: true, parts: [], round }),
          createdAt: practiceAt,
        },
      });
    }
    await database.db.attemptGrant.create({
      data: { learnerId: learner.learnerId, questionId: questionIds[1]!, extraAttempts: 2 },
    });
    const [mine, theirs, narrowed] = await Promise.all([
      readSessionWithResponses(database.db, await sessionIdOf(learner), questionIds),
      readSessionWithResponses(database.db, await sessionIdOf(other), questionIds),
      readSessionWithResponses(database.db, await sessionIdOf(learner), [questionIds[0]!]),
    ]);
    expect(mine!.responses.map((row) => [row.questionId, row.attempt])).toEqual([[questionIds[0], 1]]);
    const byQuestion = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(
      mine!.practice
        .map((row) => [row.questionId, (JSON.parse(row.grading) as { round: number }).round])
        .sort(byQuestion),
    ).toEqual(
      [
        [questionIds[0], 0],
        [questionIds[1], 1],
      ].sort(byQuestion),
    );
    for (const row of mine!.practice) expect(row.createdAt.getTime()).toBe(practiceAt.getTime());
    expect(mine!.extraAttempts).toEqual({ [questionIds[1]!]: 2 });
    expect(theirs).toMatchObject({ learnerId: other.learnerId, responses: [], practice: [], extraAttempts: {} });
    expect(narrowed!.practice.map((row) => row.questionId)).toEqual([questionIds[0]]);
    expect(narrowed!.extraAttempts).toEqual({});
  });

  it('sees a session deleted between two reads: nothing is cached', async () => {
    const learner = await newLearner(database.db);
    const id = await sessionIdOf(learner);
    expect(await readSessionWithResponses(database.db, id, questionIds)).not.toBeNull();
    await database.db.session.delete({ where: { id } });
    expect(await readSessionWithResponses(database.db, id, questionIds)).toBeNull();
  });
});
