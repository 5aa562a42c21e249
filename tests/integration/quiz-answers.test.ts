import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { graphPractice } from '@/content/lessons/chain-rule-computational-graphs/questions';
import { numericVariant } from '@/lib/quiz/variants';

import {
  choiceLetters,
  cookieFrom,
  getState,
  newLearner,
  outcome,
  submit,
  type Learner,
} from './helpers/learner-client';
import { createQuizDatabase } from './helpers/quiz-database';
import type { TestDatabase } from './helpers/test-database';

let database: TestDatabase;
beforeAll(async () => {
  database = await createQuizDatabase();
});
afterAll(async () => {
  await database?.cleanup();
});

const responsesOf = (learner: Learner) => database.db.response.count({ where: { learnerId: learner.learnerId } });

describe('POST /api/quiz/answers', () => {
  it('grades a choice question on the server and stores one response', async () => {
    const learner = await newLearner(database.db);
    const { correct } = choiceLetters(learner.learnerId, 'why-chain-rule');
    const response = await submit(database.db, learner.cookie, {
      questionId: 'why-chain-rule',
      attempt: 1,
      answer: { choice: correct },
    });
    expect(response.status).toBe(200);
    const body = await outcome(response);
    expect(body.result).toMatchObject({ attempt: 1, score: 1, correct: true });
    expect(body.question).toMatchObject({ solved: true, closed: true, nextAttempt: null });
    // after-last-attempt: a correct answer ends the question, so the key may now be shown.
    expect(body.question.reveal).toMatchObject({ kind: 'single-choice', correctKey: correct });
    expect(await responsesOf(learner)).toBe(1);
  });

  it('stores one response for 50 concurrent identical submissions, and all get the same result', async () => {
    const learner = await newLearner(database.db);
    const question = graphPractice.find((entry) => entry.id === 'chain-factors')!;
    const { solutions } = numericVariant(question, learner.learnerId, 0);
    // dL/da right, da/dz given as sigma(z): partial credit and a named misconception.
    const answer = {
      parts: {
        dLda: solutions[0]!.expected,
        dadz: solutions[1]!.misconceptions[0]!.value,
        dzdw: solutions[2]!.expected,
      },
    };
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        submit(database.db, learner.cookie, { questionId: 'chain-factors', attempt: 1, answer }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
    const bodies = await Promise.all(responses.map(outcome));
    const results = new Set(bodies.map((body) => JSON.stringify(body.result)));
    expect(results.size).toBe(1);
    expect(bodies[0]!.result.score).toBeCloseTo(2 / 3, 10);
    expect(bodies[0]!.result.parts[1]).toMatchObject({ correct: false, misconception: 'sigmoid-for-derivative' });
    expect(responses.filter((response) => response.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    expect(await responsesOf(learner)).toBe(1);
  });

  it('lets only one of 50 concurrent different answers for the same attempt win', async () => {
    const learner = await newLearner(database.db);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        submit(database.db, learner.cookie, {
          questionId: 'edge-sigmoid',
          attempt: 1,
          answer: { parts: { value: 100 + i } },
        }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(49);
    expect(await responsesOf(learner)).toBe(1);
  });

  it('returns the stored result for a replay, even after later attempts', async () => {
    const learner = await newLearner(database.db);
    const first = { questionId: 'edge-sigmoid', attempt: 1, answer: { parts: { value: 42 } } };
    const original = await outcome(await submit(database.db, learner.cookie, first));
    await submit(database.db, learner.cookie, {
      questionId: 'edge-sigmoid',
      attempt: 2,
      answer: { parts: { value: 43 } },
    });
    const replay = await submit(database.db, learner.cookie, first);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await outcome(replay)).result).toEqual(original.result);
    expect(await responsesOf(learner)).toBe(2);
  });

  it('refuses an answer beyond the attempt limit with 409 and leaves the count unchanged', async () => {
    const learner = await newLearner(database.db);
    const { wrong } = choiceLetters(learner.learnerId, 'graph-purpose');
    for (const attempt of [1, 2]) {
      const response = await submit(database.db, learner.cookie, {
        questionId: 'graph-purpose',
        attempt,
        answer: { choice: wrong },
      });
      expect(response.status).toBe(200);
    }
    const before = await responsesOf(learner);
    const beyond = await submit(database.db, learner.cookie, {
      questionId: 'graph-purpose',
      attempt: 3,
      answer: { choice: wrong },
    });
    expect(beyond.status).toBe(409);
    expect(((await beyond.json()) as { error: { message: string } }).error.message).toMatch(
      /No attempts left: this question allows 2 attempts/,
    );
    expect(await responsesOf(learner)).toBe(before);
  });

  it('refuses attempts after a correct answer and attempts out of order with 409', async () => {
    const learner = await newLearner(database.db);
    const { correct } = choiceLetters(learner.learnerId, 'local-derivative-meaning');
    const skip = await submit(database.db, learner.cookie, {
      questionId: 'local-derivative-meaning',
      attempt: 2,
      answer: { choice: correct },
    });
    expect(skip.status).toBe(409);
    await submit(database.db, learner.cookie, {
      questionId: 'local-derivative-meaning',
      attempt: 1,
      answer: { choice: correct },
    });
    const after = await submit(database.db, learner.cookie, {
      questionId: 'local-derivative-meaning',
      attempt: 2,
      answer: { choice: correct },
    });
    expect(after.status).toBe(409);
    expect(await responsesOf(learner)).toBe(1);
  });

  it('gives a new variant after a wrong answer when the policy says so, and grades the new numbers', async () => {
    const learner = await newLearner(database.db);
    const question = graphPractice.find((entry) => entry.id === 'gradient-step')!;
    const firstNumbers = learner.state.questions.find((entry) => entry.id === 'gradient-step');
    const wrong = await outcome(
      await submit(database.db, learner.cookie, {
        questionId: 'gradient-step',
        attempt: 1,
        answer: { parts: { value: 999 } },
      }),
    );
    expect(wrong.result.correct).toBe(false);
    const second = numericVariant(question, learner.learnerId, 1);
    expect(wrong.question).toMatchObject({ nextAttempt: 2 });
    expect(wrong.question.kind === 'numeric' && wrong.question.givens.map((given) => given.value)).toEqual(
      ['x', 'w', 'b', 'y', 'eta'].map((name) => second.variant[name as keyof typeof second.variant]),
    );
    expect(JSON.stringify(wrong.question)).not.toEqual(JSON.stringify(firstNumbers));
    const right = await outcome(
      await submit(database.db, learner.cookie, {
        questionId: 'gradient-step',
        attempt: 2,
        answer: { parts: { value: second.solutions[0]!.expected } },
      }),
    );
    expect(right.result.correct).toBe(true);
    expect(right.mastery.find((skill) => skill.skill === 'gradient-step')).toMatchObject({ attempts: 2 });
  });

  it('resumes: a reload of the state shows the attempts, the feedback and the mastery', async () => {
    const learner = await newLearner(database.db);
    const { wrong } = choiceLetters(learner.learnerId, 'why-chain-rule');
    await submit(database.db, learner.cookie, { questionId: 'why-chain-rule', attempt: 1, answer: { choice: wrong } });
    const reload = await getState(database.db, learner.cookie);
    expect(reload.headers.get('set-cookie')).toBeNull();
    const state = (await reload.json()) as Learner['state'];
    const question = state.questions.find((entry) => entry.id === 'why-chain-rule')!;
    expect(question).toMatchObject({ attemptsUsed: 1, attemptsLeft: 1, nextAttempt: 2, reveal: null });
    expect(question.last).toMatchObject({ attempt: 1, correct: false, answer: { choice: wrong } });
    expect(state.mastery.find((skill) => skill.skill === 'chain-product')).toMatchObject({ attempts: 1, value: 0 });
  });
});

describe('bad input gets a clear 4xx and writes nothing', () => {
  let learner: Learner;
  beforeAll(async () => {
    learner = await newLearner(database.db);
  });

  const valid = { questionId: 'edge-sigmoid', attempt: 1, answer: { parts: { value: 0.2 } } };
  const cases: [string, unknown, number, RegExp][] = [
    ['not JSON', '{"questionId": ', 400, /not valid JSON/],
    ['an empty body', '', 400, /empty/],
    ['an array', '[1, 2]', 400, /expected object/],
    ['a string attempt', { ...valid, attempt: '1' }, 400, /attempt/],
    ['a fractional attempt', { ...valid, attempt: 1.5 }, 400, /attempt/],
    ['attempt 0', { ...valid, attempt: 0 }, 400, /attempt/],
    ['an unknown question', { ...valid, questionId: 'no-such-question' }, 422, /Unknown question "no-such-question"/],
    ['a huge question id', { ...valid, questionId: 'x'.repeat(5000) }, 400, /questionId/],
    ['an extra field', { ...valid, score: 1 }, 400, /Unrecognized key.*score/],
    ['a client-supplied correctness flag', { ...valid, correct: true }, 400, /correct/],
    ['an extra field in the answer', { ...valid, answer: { parts: { value: 0.2 }, variant: 3 } }, 400, /variant/],
    ['an unknown part', { ...valid, answer: { parts: { value: 0.2, other: 1 } } }, 400, /other/],
    ['a missing part', { ...valid, questionId: 'chain-factors', answer: { parts: { dLda: 1 } } }, 400, /dadz/],
    ['NaN as a string', { ...valid, answer: { parts: { value: 'NaN' } } }, 400, /answer\.parts\.value/],
    [
      'null for a number (JSON has no NaN)',
      '{"questionId":"edge-sigmoid","attempt":1,"answer":{"parts":{"value":NaN}}}',
      400,
      /not valid JSON/,
    ],
    ['null', { ...valid, answer: { parts: { value: null } } }, 400, /answer\.parts\.value/],
    ['an absurd number', { ...valid, answer: { parts: { value: 1e300 } } }, 400, /answer\.parts\.value/],
    ['a choice answer to a numeric question', { ...valid, answer: { choice: 'A' } }, 400, /answer/],
    [
      'an option letter that does not exist',
      { questionId: 'why-chain-rule', attempt: 1, answer: { choice: 'Z' } },
      400,
      /choice/,
    ],
    [
      'an option id instead of a letter',
      { questionId: 'why-chain-rule', attempt: 1, answer: { choice: 'indirect-dependence' } },
      400,
      /choice/,
    ],
    ['a body over 8 KiB', { ...valid, padding: 'x'.repeat(10_000) }, 413, /larger than 8192 bytes/],
  ];

  it.each(cases)('%s', async (_name, body, status, message) => {
    const before = await database.db.response.count();
    const response = await submit(database.db, learner.cookie, body);
    expect(response.status).toBe(status);
    const json = (await response.json()) as { error: { message: string; issues?: string[] } };
    expect([json.error.message, ...(json.error.issues ?? [])].join('\n')).toMatch(message);
    expect(await database.db.response.count()).toBe(before);
  });

  it('401 without a session, with a tampered cookie, and 403 from another site', async () => {
    const before = await database.db.response.count();
    expect((await submit(database.db, undefined, valid)).status).toBe(401);
    const [name, value] = learner.cookie.split('=') as [string, string];
    const tampered = `${name}=${value.slice(0, -4)}AAAA`;
    expect((await submit(database.db, tampered, valid)).status).toBe(401);
    expect((await submit(database.db, learner.cookie, valid, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await submit(database.db, learner.cookie, valid, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(await database.db.response.count()).toBe(before);
  });

  it('a forged session id sealed with another secret is not accepted', async () => {
    const { sealData } = await import('iron-session');
    const session = await database.db.session.findFirstOrThrow({ where: { learnerId: learner.learnerId } });
    const forged = await sealData({ sid: session.id }, { password: 'another-secret-that-is-long-enough-000000' });
    const response = await submit(database.db, `autodidact_session=${forged}`, valid);
    expect(response.status).toBe(401);
    expect(cookieFrom(await getState(database.db, `autodidact_session=${forged}`))).not.toContain(forged);
  });
});
