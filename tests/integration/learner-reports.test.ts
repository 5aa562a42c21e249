// "Report a problem" (issue 16 item 8) on a real SQLite file: the report is stored with the
// question, the variant and the learner's answer the server holds, and listed only for the
// staff of the learner's classes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createInstructor, signIn } from '@/lib/server/auth/accounts';
import { HttpError } from '@/lib/server/http';
import { createClass } from '@/lib/server/instructor/classes';
import {
  classProblemReports,
  describeAnswer,
  postProblemReportHandler,
  REPORTS_PER_DAY,
} from '@/lib/server/problem-reports';

import { choiceLetters, newLearner, post, submit, updateLearner, type Learner } from './helpers/learner-client';
import { createQuizDatabase } from './helpers/quiz-database';
import type { TestDatabase } from './helpers/test-database';

let database: TestDatabase;
let owner: Headers;
let stranger: Headers;
let cohortId: string;
let learner: Learner;

async function signedIn(email: string, password: string): Promise<Headers> {
  const result = await signIn(database.db, new Headers(), { email, password });
  return new Headers({ cookie: result.setCookies.map((value) => value.split(';')[0]).join('; ') });
}

function report(cookie: string | undefined, body: unknown): Promise<Response> {
  return postProblemReportHandler(post('/api/learner/reports', body, cookie), database.db);
}

beforeAll(async () => {
  database = await createQuizDatabase();
  await createInstructor(database.db, {
    name: 'Ada',
    email: 'ada@example.org',
    password: 'correct horse battery staple',
  });
  await createInstructor(database.db, {
    name: 'Bea',
    email: 'bea@example.org',
    password: 'another long passphrase 42',
  });
  owner = await signedIn('ada@example.org', 'correct horse battery staple');
  stranger = await signedIn('bea@example.org', 'another long passphrase 42');
  const cohort = await createClass(database.db, owner, { name: 'Period 3' });
  cohortId = cohort.id;
  learner = await newLearner(database.db);
  const joined = await updateLearner(database.db, learner.cookie, { joinCode: cohort.joinCode, displayName: 'Rosa' });
  expect(joined.status).toBe(200);
});
afterAll(async () => {
  await database?.cleanup();
});

describe('POST /api/learner/reports', () => {
  it('stores the text with the question, the variant and the answer the server holds', async () => {
    const { wrong } = choiceLetters(learner.learnerId, 'why-chain-rule');
    const answered = await submit(database.db, learner.cookie, {
      questionId: 'why-chain-rule',
      attempt: 1,
      answer: { choice: wrong },
    });
    expect(answered.status).toBe(200);
    const response = await report(learner.cookie, {
      questionId: 'why-chain-rule',
      mode: 'graded',
      text: '  Option B reads as right too.  ',
    });
    expect(response.status).toBe(200);
    const stored = await database.db.problemReport.findMany({ where: { learnerId: learner.learnerId } });
    expect(stored).toHaveLength(1);
    const response1 = await database.db.response.findFirstOrThrow({
      where: { learnerId: learner.learnerId, questionId: 'why-chain-rule' },
    });
    expect(stored[0]).toMatchObject({
      questionId: 'why-chain-rule',
      mode: 'graded',
      variant: response1.variant,
      answer: JSON.stringify({ choice: wrong }),
      text: 'Option B reads as right too.',
    });
  });

  it('before any answer stores no answer and the first variant', async () => {
    const response = await report(learner.cookie, {
      questionId: 'edge-sigmoid',
      mode: 'graded',
      text: 'Which loss is this?\nIt does not say.',
    });
    expect(response.status).toBe(200);
    const row = await database.db.problemReport.findFirstOrThrow({ where: { questionId: 'edge-sigmoid' } });
    expect(row).toMatchObject({ answer: null, variant: 0, text: 'Which loss is this?\nIt does not say.' });
  });

  it('without a mode, takes whichever the learner answered last: a practice round after the graded answer', async () => {
    const { wrong } = choiceLetters(learner.learnerId, 'graph-purpose');
    expect(
      (
        await submit(database.db, learner.cookie, {
          questionId: 'graph-purpose',
          attempt: 1,
          answer: { choice: wrong },
        })
      ).status,
    ).toBe(200);
    const practiceAnswer = JSON.stringify({ choice: 'A' });
    await database.db.practiceResponse.create({
      data: {
        learnerId: learner.learnerId,
        questionId: 'graph-purpose',
        round: 1,
        attempt: 1,
        variant: 1001,
        answer: practiceAnswer,
        score: 0,
        correct: false,
        grading: '{"score":0,"correct":false,"parts":[]}',
        createdAt: new Date(Date.now() + 1000),
      },
    });
    expect(
      (await report(learner.cookie, { questionId: 'graph-purpose', text: 'Practice numbers look odd' })).status,
    ).toBe(200);
    const row = await database.db.problemReport.findFirstOrThrow({ where: { text: 'Practice numbers look odd' } });
    expect(row).toMatchObject({ mode: 'practice', variant: 1001, answer: practiceAnswer });
    // Asked for explicitly, the graded answer is what is stored.
    await report(learner.cookie, { questionId: 'graph-purpose', mode: 'graded', text: 'The graded one' });
    const graded = await database.db.problemReport.findFirstOrThrow({ where: { text: 'The graded one' } });
    expect(graded).toMatchObject({ mode: 'graded', variant: 0, answer: JSON.stringify({ choice: wrong }) });
    await database.db.problemReport.deleteMany({ where: { questionId: 'graph-purpose' } });
  });

  it.each([
    ['no session', undefined, { questionId: 'why-chain-rule', mode: 'graded', text: 'Broken.' }, 401],
    ['an unknown question', 'cookie', { questionId: 'nope', mode: 'graded', text: 'Broken.' }, 422],
    ['text too short', 'cookie', { questionId: 'why-chain-rule', mode: 'graded', text: ' a ' }, 400],
    ['text too long', 'cookie', { questionId: 'why-chain-rule', mode: 'graded', text: 'x'.repeat(1001) }, 400],
    ['control characters', 'cookie', { questionId: 'why-chain-rule', mode: 'graded', text: 'bad \u0007 bell' }, 400],
    ['an unknown mode', 'cookie', { questionId: 'why-chain-rule', mode: 'exam', text: 'Broken.' }, 400],
    ['an extra field', 'cookie', { questionId: 'why-chain-rule', mode: 'graded', text: 'Broken.', variant: 3 }, 400],
  ])('refuses %s with a 4xx and stores nothing', async (_name, cookie, body, status) => {
    const before = await database.db.problemReport.count();
    const response = await report(cookie === 'cookie' ? learner.cookie : undefined, body);
    expect(response.status).toBe(status);
    const json = (await response.json()) as { error: { message: string } };
    expect(json.error.message.length).toBeGreaterThan(5);
    expect(await database.db.problemReport.count()).toBe(before);
  });

  it(`takes at most ${REPORTS_PER_DAY} reports per learner per day (429)`, async () => {
    const busy = await newLearner(database.db);
    for (let k = 0; k < REPORTS_PER_DAY; k++) {
      const response = await report(busy.cookie, { questionId: 'edge-sigmoid', mode: 'graded', text: `Report ${k}` });
      expect(response.status).toBe(200);
    }
    const refused = await report(busy.cookie, { questionId: 'edge-sigmoid', mode: 'graded', text: 'One more' });
    expect(refused.status).toBe(429);
    expect(await database.db.problemReport.count({ where: { learnerId: busy.learnerId } })).toBe(REPORTS_PER_DAY);
  });
});

describe('the class reports page data', () => {
  it("lists the class's reports newest first, with the learner's name and a readable answer", async () => {
    const outsider = await newLearner(database.db);
    expect(
      (await report(outsider.cookie, { questionId: 'edge-sigmoid', mode: 'graded', text: 'Not in the class' })).status,
    ).toBe(200);
    const data = await classProblemReports(database.db, owner, cohortId);
    expect(data.total).toBe(2);
    expect(data.rows.map((row) => row.text)).toEqual([
      'Which loss is this?\nIt does not say.',
      'Option B reads as right too.',
    ]);
    expect(data.rows[1]).toMatchObject({ learnerName: 'Rosa', questionId: 'why-chain-rule', mode: 'graded' });
    expect(data.rows[1]?.answer).toMatch(/^choice [A-Z]$/);
    expect(data.rows.some((row) => row.text === 'Not in the class')).toBe(false);
  });

  it('is refused to nobody, to a learner and to another instructor', async () => {
    const status = async (headers: Headers) => {
      try {
        await classProblemReports(database.db, headers, cohortId);
        return 200;
      } catch (error) {
        if (error instanceof HttpError) return error.status;
        throw error;
      }
    };
    expect(await status(new Headers())).toBe(401);
    expect(await status(new Headers({ cookie: learner.cookie }))).toBe(403);
    expect(await status(stranger)).toBe(403);
  });

  it('goes when the learner is deleted (cascade)', async () => {
    const leaving = await newLearner(database.db);
    await report(leaving.cookie, { questionId: 'edge-sigmoid', mode: 'graded', text: 'Bye' });
    await database.db.learner.delete({ where: { id: leaving.learnerId } });
    expect(await database.db.problemReport.count({ where: { learnerId: leaving.learnerId } })).toBe(0);
  });
});

describe('describeAnswer', () => {
  it('words stored answers for people', () => {
    expect(describeAnswer(null)).toBeNull();
    expect(describeAnswer('{"choice":"C"}')).toBe('choice C');
    expect(describeAnswer('{"parts":{"dLda":1.5,"dadz":0.25}}')).toBe('dLda = 1.5, dadz = 0.25');
    expect(describeAnswer('{"expression":"(a - y) * x"}')).toBe('(a - y) * x');
    expect(describeAnswer('not json')).toBe('not json');
  });
});
