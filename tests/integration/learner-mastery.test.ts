// Issue 16 item 6 on a real SQLite file: the learner's panel (lesson state) and the instructor's
// class overview show the same mastery, from graded answers and practice rounds alike, and both
// match the rule computed here by hand (a skill is mastered after 3 right answers in a row).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createInstructor, signIn } from '@/lib/server/auth/accounts';
import { createClass } from '@/lib/server/instructor/classes';
import { classOverview } from '@/lib/server/instructor/overview';

import { choiceLetters, getState, newLearner, submit, updateLearner, type Learner } from './helpers/learner-client';
import { createQuizDatabase } from './helpers/quiz-database';
import type { TestDatabase } from './helpers/test-database';

let database: TestDatabase;
let owner: Headers;
let cohortId: string;
let learner: Learner;

beforeAll(async () => {
  database = await createQuizDatabase();
  await createInstructor(database.db, {
    name: 'Ada',
    email: 'ada@example.org',
    password: 'correct horse battery staple',
  });
  const result = await signIn(database.db, new Headers(), {
    email: 'ada@example.org',
    password: 'correct horse battery staple',
  });
  owner = new Headers({ cookie: result.setCookies.map((value) => value.split(';')[0]).join('; ') });
  const cohort = await createClass(database.db, owner, { name: 'Period 6' });
  cohortId = cohort.id;
  learner = await newLearner(database.db);
  expect((await updateLearner(database.db, learner.cookie, { joinCode: cohort.joinCode })).status).toBe(200);
});
afterAll(async () => {
  await database?.cleanup();
});

/** A right practice round on a one-part numeric question, stored as the practice service stores it. */
async function practiceRight(questionId: string, round: number, at: Date) {
  await database.db.practiceResponse.create({
    data: {
      learnerId: learner.learnerId,
      questionId,
      round,
      attempt: 1,
      variant: 1000 * round,
      answer: '{"parts":{"value":0.1}}',
      score: 1,
      correct: true,
      grading: JSON.stringify({
        score: 1,
        correct: true,
        parts: [{ id: 'value', score: 1, correct: true, misconception: null }],
      }),
      createdAt: at,
    },
  });
}

describe('one mastery for the panel and the dashboard', () => {
  it('agree skill by skill, practice included, and match the rule', async () => {
    // concepts: wrong, then right → 1 of 2, one in a row: practising.
    const purpose = choiceLetters(learner.learnerId, 'graph-purpose');
    expect(
      (
        await submit(database.db, learner.cookie, {
          questionId: 'graph-purpose',
          attempt: 1,
          answer: { choice: purpose.wrong },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await submit(database.db, learner.cookie, {
          questionId: 'graph-purpose',
          attempt: 2,
          answer: { choice: purpose.correct },
        })
      ).status,
    ).toBe(200);
    // sum-over-paths: a wrong graded answer, then two right practice rounds... still 2 in a row.
    expect(
      (
        await submit(database.db, learner.cookie, {
          questionId: 'reused-node',
          attempt: 1,
          answer: { parts: { value: 123456 } },
        })
      ).status,
    ).toBe(200);
    const view = (await (await getState(database.db, learner.cookie)).json()) as Learner['state'];
    const reused = view.questions.find((question) => question.id === 'reused-node')!;
    let attempt = 2;
    while (reused.closed === false && attempt <= 5) {
      const response = await submit(database.db, learner.cookie, {
        questionId: 'reused-node',
        attempt,
        answer: { parts: { value: 123456 } },
      });
      if (response.status !== 200) break;
      const body = (await response.json()) as { question: { closed: boolean } };
      attempt++;
      if (body.question.closed) break;
    }
    const wrongs = attempt - 1;
    const later = Date.now() + 60_000;
    await practiceRight('reused-node', 1, new Date(later));
    await practiceRight('reused-node', 2, new Date(later + 1000));

    const state = (await (await getState(database.db, learner.cookie)).json()) as Learner['state'];
    const panel = new Map(state.mastery.map((skill) => [skill.skill, skill]));
    expect(panel.get('concepts')).toMatchObject({ level: 'practising', correct: 1, attempts: 2, streak: 1 });
    expect(panel.get('concepts')?.evidence).toBe('1 of 2 correct on concepts');
    expect(panel.get('sum-over-paths')).toMatchObject({
      level: 'practising',
      correct: 2,
      attempts: wrongs + 2,
      streak: 2,
    });

    // A third right practice round: 3 in a row → mastered, in both views.
    await practiceRight('reused-node', 3, new Date(later + 2000));
    const after = (await (await getState(database.db, learner.cookie)).json()) as Learner['state'];
    const overview = await classOverview(database.db, owner, cohortId, {});
    const row = overview.rows.find((entry) => entry.learnerId === learner.learnerId)!;
    for (const skill of after.mastery) {
      const { level, correct, attempts, streak, progress, value } = row.mastery[skill.skill];
      expect({ skill: skill.skill, level, correct, attempts, streak, progress, value }).toEqual({
        skill: skill.skill,
        level: skill.level,
        correct: skill.correct,
        attempts: skill.attempts,
        streak: skill.streak,
        progress: skill.progress,
        value: skill.value,
      });
    }
    expect(row.mastery['sum-over-paths']).toMatchObject({ level: 'mastered', streak: 3, progress: 1 });
    // Practice never changes the score: graph-purpose right (1), reused-node wrong (0) despite three
    // right practice rounds, every other question unanswered (0).
    expect(row.quizScore).toBeCloseTo(1 / after.questions.length, 12);
  });
});
