import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FORMULA_REFERENCES } from '@/content/lessons/chain-rule-computational-graphs/answers.server';
import {
  formulaPractice,
  graphPractice,
  knowledgeCheck,
} from '@/content/lessons/chain-rule-computational-graphs/questions';
import { formulaPoints, gradeFormula, parseFormula } from '@/lib/quiz/formula';
import type { FormulaWrt, Loss } from '@/lib/quiz/schema';
import { neuronReference } from '@/lib/quiz/test-helpers';
import { numericVariant, PRACTICE_VARIANT_BASE } from '@/lib/quiz/variants';
import type { NumericQuestionView } from '@/lib/quiz/views';
import { getFormulaPreviewHandler, getPracticeHandler, postPracticeHandler } from '@/lib/server/api/practice-handlers';
import type { PracticeOutcome, PracticeView } from '@/lib/server/quiz-practice';
import { lessonQuiz } from '@/lib/server/quiz-content';
import { learnerKnowledgeCheckScore } from '@/lib/server/quiz-service';

import { BASE, getState, LESSON, newLearner, outcome, post, submit, type Learner } from './helpers/learner-client';
import { createQuizDatabase } from './helpers/quiz-database';
import type { TestDatabase } from './helpers/test-database';

/**
 * Practice with new numbers (issue 16, item 5), formula answers (item 7) and unoffered choice
 * letters (issue 19), through the real handlers on a real SQLite file. Expected values come from
 * closed forms (lib/quiz/test-helpers), not from the engine that grades.
 */

let database: TestDatabase;
beforeAll(async () => {
  database = await createQuizDatabase();
});
afterAll(async () => {
  await database?.cleanup();
});

const edge = graphPractice.find((question) => question.id === 'edge-sigmoid')!;
const dLdw = graphPractice.find((question) => question.id === 'gradient-dl-dw')!;
const formula = formulaPractice[0]!;

function getPractice(cookie: string | undefined, questionId: string): Promise<Response> {
  return getPracticeHandler(
    new Request(`${BASE}/api/quiz/practice?questionId=${encodeURIComponent(questionId)}`, {
      headers: cookie ? { cookie } : {},
    }),
    database.db,
  );
}

function postPractice(cookie: string | undefined, body: unknown): Promise<Response> {
  return postPracticeHandler(post('/api/quiz/practice', body, cookie), database.db);
}

/** Answers the graded edge-sigmoid question right on the first attempt (closed form a(1 - a)). */
async function finishEdge(learner: Learner): Promise<void> {
  const { variant } = numericVariant(edge, learner.learnerId, 0);
  const { dadz } = neuronReference(variant);
  const response = await submit(database.db, learner.cookie, {
    questionId: edge.id,
    attempt: 1,
    answer: { parts: { value: dadz } },
  });
  expect(response.status).toBe(200);
  expect((await outcome(response)).result.correct).toBe(true);
}

function givens(view: PracticeView['question']): Record<string, number> {
  return Object.fromEntries((view as NumericQuestionView).givens.map((given) => [given.name, given.value]));
}

describe('practice with new numbers', () => {
  it('opens only once the graded question is finished, and only for questions with numbers', async () => {
    const learner = await newLearner(database.db);
    const open = await getPractice(learner.cookie, edge.id);
    expect(open.status).toBe(409);
    expect(((await open.json()) as { error: { message: string } }).error.message).toContain('once you have finished');
    expect((await getPractice(learner.cookie, knowledgeCheck[0]!.id)).status).toBe(422);
    expect((await getPractice(undefined, edge.id)).status).toBe(401);
    expect((await getPractice(learner.cookie, 'no-such-question')).status).toBe(422);
    const extra = await getPracticeHandler(
      new Request(`${BASE}/api/quiz/practice?questionId=${edge.id}&x=1`, { headers: { cookie: learner.cookie } }),
      database.db,
    );
    expect(extra.status).toBe(400);
  });

  it('deals fresh numbers, grades them the same way, and stores practice apart from graded answers', async () => {
    const learner = await newLearner(database.db);
    await finishEdge(learner);
    const gradedBefore = await (await getState(database.db, learner.cookie)).text();

    const dealt = (await (await getPractice(learner.cookie, edge.id)).json()) as PracticeView;
    expect(dealt.round).toBe(1);
    expect(dealt.question.practiceRound).toBe(1);
    const numbers = givens(dealt.question);
    const practiceVariant = numericVariant(edge, learner.learnerId, PRACTICE_VARIANT_BASE).variant;
    expect(numbers).toEqual({ x: practiceVariant.x, w: practiceVariant.w, b: practiceVariant.b, y: practiceVariant.y });
    // Dealing writes nothing: asking again resumes the same round.
    expect(((await (await getPractice(learner.cookie, edge.id)).json()) as PracticeView).round).toBe(1);

    // A wrong answer: sigma(z) where its slope belongs, named with the practice numbers.
    const ref = neuronReference(practiceVariant);
    const wrong = await postPractice(learner.cookie, {
      questionId: edge.id,
      round: 1,
      attempt: 1,
      answer: { parts: { value: ref.a } },
    });
    expect(wrong.status).toBe(200);
    const wrongBody = (await wrong.json()) as PracticeOutcome;
    expect(wrongBody.result.correct).toBe(false);
    expect(wrongBody.result.parts[0]?.misconception).toBe('sigmoid-for-derivative');
    expect(wrongBody.result.parts[0]?.feedback).toContain('a(1 − a)');

    const right = await postPractice(learner.cookie, {
      questionId: edge.id,
      round: 1,
      attempt: 2,
      answer: { parts: { value: ref.dadz } },
    });
    const rightBody = (await right.json()) as PracticeOutcome;
    expect(rightBody.result.correct).toBe(true);
    expect(rightBody.question.closed).toBe(true);

    // Stored as practice; the graded responses, the score and the lesson state are untouched.
    expect(await database.db.practiceResponse.count({ where: { learnerId: learner.learnerId } })).toBe(2);
    expect(await database.db.response.count({ where: { learnerId: learner.learnerId } })).toBe(1);
    // The score (for the gradebook and LTI passback) counts the one graded answer only.
    const questionCount = lessonQuiz(LESSON)!.questions.length;
    expect(await learnerKnowledgeCheckScore(database.db, learner.learnerId, LESSON)).toBeCloseTo(1 / questionCount, 12);
    const gradedAfter = JSON.parse(await (await getState(database.db, learner.cookie)).text()) as {
      questions: unknown[];
    };
    expect(gradedAfter.questions).toEqual((JSON.parse(gradedBefore) as { questions: unknown[] }).questions);

    // The round is over: the next request deals round 2 with other numbers; round 1 is closed.
    const next = (await (await getPractice(learner.cookie, edge.id)).json()) as PracticeView;
    expect(next.round).toBe(2);
    expect(givens(next.question)).not.toEqual(numbers);
    const stale = await postPractice(learner.cookie, {
      questionId: edge.id,
      round: 1,
      attempt: 3,
      answer: { parts: { value: 0.1 } },
    });
    expect(stale.status).toBe(409);
  });

  it('replays a practice attempt idempotently and refuses a different answer for it', async () => {
    const learner = await newLearner(database.db);
    await finishEdge(learner);
    const body = { questionId: edge.id, round: 1, attempt: 1, answer: { parts: { value: 0.123 } } };
    const [first, second] = await Promise.all([postPractice(learner.cookie, body), postPractice(learner.cookie, body)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await second.clone().json()).toEqual(await first.clone().json());
    const replayed = [first, second].filter((response) => response.headers.get('Idempotent-Replayed') === 'true');
    expect(replayed).toHaveLength(1);
    const conflict = await postPractice(learner.cookie, { ...body, answer: { parts: { value: 0.5 } } });
    expect(conflict.status).toBe(409);
    expect(await database.db.practiceResponse.count({ where: { learnerId: learner.learnerId } })).toBe(1);
  });

  it('refuses malformed practice submissions with a 400 that names the field, storing nothing', async () => {
    const learner = await newLearner(database.db);
    await finishEdge(learner);
    for (const body of [
      { questionId: edge.id, round: 0, attempt: 1, answer: { parts: { value: 1 } } },
      { questionId: edge.id, round: 1, attempt: 1, answer: { parts: { value: 'one' } } },
      { questionId: edge.id, round: 1, attempt: 1, answer: { parts: { value: 1 } }, extra: true },
    ]) {
      const response = await postPractice(learner.cookie, body);
      expect(response.status).toBe(400);
    }
    expect(await database.db.practiceResponse.count({ where: { learnerId: learner.learnerId } })).toBe(0);
  });

  it('waits while an instructor’s extra attempts are left, and opens again once they are used', async () => {
    const learner = await newLearner(database.db);
    const wrongAnswer = { parts: { value: 12.5 } };
    for (const attempt of [1, 2, 3]) {
      const response = await submit(database.db, learner.cookie, { questionId: edge.id, attempt, answer: wrongAnswer });
      expect(response.status).toBe(200);
    }
    const practise = (attempt: number) =>
      postPractice(learner.cookie, { questionId: edge.id, round: 1, attempt, answer: wrongAnswer });
    // Out of attempts: practice opens, and the learner starts a round.
    expect((await getPractice(learner.cookie, edge.id)).status).toBe(200);
    expect((await practise(1)).status).toBe(200);

    // The instructor grants one more attempt (the row lib/server/instructor/manage.ts writes): the
    // question is open again, so "Practice with new numbers" waits, for dealing and for answers.
    await database.db.attemptGrant.create({
      data: { learnerId: learner.learnerId, questionId: edge.id, extraAttempts: 1 },
    });
    const state = (await (await getState(database.db, learner.cookie)).json()) as {
      questions: { id: string; closed: boolean; nextAttempt: number | null }[];
    };
    expect(state.questions.find((question) => question.id === edge.id)).toMatchObject({
      closed: false,
      nextAttempt: 4,
    });
    const waiting = await getPractice(learner.cookie, edge.id);
    expect(waiting.status).toBe(409);
    expect(((await waiting.json()) as { error: { message: string } }).error.message).toContain(
      'once you have finished',
    );
    expect((await practise(2)).status).toBe(409);
    expect(await database.db.practiceResponse.count({ where: { learnerId: learner.learnerId } })).toBe(1);

    // The granted attempt is used: practice opens again and resumes the unfinished round.
    expect(
      (await submit(database.db, learner.cookie, { questionId: edge.id, attempt: 4, answer: wrongAnswer })).status,
    ).toBe(200);
    const resumed = (await (await getPractice(learner.cookie, edge.id)).json()) as PracticeView;
    expect(resumed.round).toBe(1);
    expect(resumed.question.nextAttempt).toBe(2);
  });

  it('deleting the learner deletes their practice', async () => {
    const learner = await newLearner(database.db);
    await finishEdge(learner);
    await postPractice(learner.cookie, { questionId: edge.id, round: 1, attempt: 1, answer: { parts: { value: 1 } } });
    expect(await database.db.practiceResponse.count({ where: { learnerId: learner.learnerId } })).toBe(1);
    await database.db.learner.delete({ where: { id: learner.learnerId } });
    expect(await database.db.practiceResponse.count({ where: { learnerId: learner.learnerId } })).toBe(0);
  });
});

describe('formula answers through the answer API', () => {
  it('grades the lesson’s reference formulas correct for their parameter and loss', () => {
    for (const [key, source] of Object.entries(FORMULA_REFERENCES)) {
      const [wrt, loss] = key.split(':') as [FormulaWrt, Loss];
      const parsed = parseFormula(source);
      if (!parsed.ok) throw new Error(parsed.error.message);
      expect(gradeFormula(parsed, { wrt, loss }, formulaPoints(formula.id)).correct, key).toBe(true);
    }
  });

  it('a formula that does not parse is a 400 with its position, and uses no attempt', async () => {
    const learner = await newLearner(database.db);
    const response = await submit(database.db, learner.cookie, {
      questionId: formula.id,
      attempt: 1,
      answer: { expression: '(a - y) * q' },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toContain('answer.expression: line 1, col 11');
    expect(await database.db.response.count({ where: { learnerId: learner.learnerId } })).toBe(0);
  });

  it('names a missing chain factor, then accepts an equivalent form', async () => {
    const learner = await newLearner(database.db);
    const missing = await outcome(
      await submit(database.db, learner.cookie, {
        questionId: formula.id,
        attempt: 1,
        answer: { expression: 'a - y' },
      }),
    );
    expect(missing.result.correct).toBe(false);
    expect(missing.result.parts[0]?.misconception).toBe('missing-x');
    expect(missing.result.parts[0]?.feedback).toContain('∂z/∂w = x');
    const right = await outcome(
      await submit(database.db, learner.cookie, {
        questionId: formula.id,
        attempt: 2,
        answer: { expression: 'x*(1/(1 + exp(-(w*x + b))) - y)' },
      }),
    );
    expect(right.result.correct).toBe(true);
  });

  it('previews a typed formula as KaTeX markup, or its error with a position', async () => {
    const learner = await newLearner(database.db);
    const preview = (expression: string, cookie: string | null = learner.cookie) =>
      getFormulaPreviewHandler(
        new Request(`${BASE}/api/quiz/formula-preview?expression=${encodeURIComponent(expression)}`, {
          headers: cookie ? { cookie } : {},
        }),
        database.db,
      );
    const ok = (await (await preview('(sigmoid(w*x + b) - y)*x')).json()) as { ok: boolean; html: string };
    expect(ok.ok).toBe(true);
    expect(ok.html).toContain('class="katex"');
    expect(ok.html).toContain('σ');
    const bad = (await (await preview('(a - y')).json()) as { ok: boolean; error: { column: number } };
    expect(bad.ok).toBe(false);
    expect(bad.error.column).toBeGreaterThan(0);
    expect((await preview('x', null)).status).toBe(401);
    expect((await preview('x+'.repeat(200))).status).toBe(400);
  });
});

describe('choice letters (issue 19)', () => {
  it('refuses a letter the question never offered: 400, nothing stored, no attempt used', async () => {
    const learner = await newLearner(database.db);
    const question = knowledgeCheck[0]!;
    expect(question.options).toHaveLength(3);
    for (const choice of ['D', 'H']) {
      const response = await submit(database.db, learner.cookie, {
        questionId: question.id,
        attempt: 1,
        answer: { choice },
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain('A, B, C');
    }
    expect(await database.db.response.count({ where: { learnerId: learner.learnerId } })).toBe(0);
    const valid = await submit(database.db, learner.cookie, {
      questionId: question.id,
      attempt: 1,
      answer: { choice: 'A' },
    });
    expect(valid.status).toBe(200);
  });
});

describe('hints in the learner’s numbers through the API', () => {
  it('a sign error on dL/dw gets a hint true for this learner’s label', async () => {
    const learner = await newLearner(database.db);
    const { variant } = numericVariant(dLdw, learner.learnerId, 0);
    const ref = neuronReference(variant);
    const result = await outcome(
      await submit(database.db, learner.cookie, {
        questionId: dLdw.id,
        attempt: 1,
        answer: { parts: { value: -ref.dLdw } },
      }),
    );
    expect(result.result.parts[0]?.misconception).toBe('sign-dL-da');
    const feedback = result.result.parts[0]!.feedback;
    expect(feedback).toContain(`With y = ${variant.y}`);
    expect(feedback).toContain(variant.y === 1 ? 'negative' : 'positive');
    // The hint did not close the question: attempts remain on the same numbers.
    expect(result.question).toMatchObject({ closed: false, nextAttempt: 2, reveal: null });
  });
});
