import { describe, expect, it } from 'vitest';

import { graphPractice, knowledgeCheck } from '@/content/lessons/chain-rule-computational-graphs/questions';

import { gradeChoice } from './grading';
import type { ChoiceAnswerKey, MisconceptionId, NumericSolution } from './schema';
import { choiceVariant, type ChoiceKey } from './variants';
import { questionView, type LessonQuizContent, type StoredAttempt } from './views';

const question = knowledgeCheck[0]!;
const key: ChoiceAnswerKey = {
  questionId: question.id,
  correctOptionId: 'indirect-dependence',
  explanations: Object.fromEntries(question.options.map((option) => [option.id, `Explanation of ${option.id}.`])),
  whyWrong: Object.fromEntries(question.options.map((option) => [option.id, `Why ${option.id} is wrong.`])),
  summary: 'What the question was about, pointing at no option.',
};
const solution: NumericSolution = { questionId: 'edge-sigmoid', explain: (v, f) => `a = ${f(v.a!)}` };
const content: LessonQuizContent = {
  slug: 'lesson',
  questions: [question, ...graphPractice],
  choiceKeys: new Map([[question.id, key]]),
  solutions: new Map(graphPractice.map((entry) => [entry.id, { ...solution, questionId: entry.id }])),
  misconceptionFeedback: new Proxy({} as Record<MisconceptionId, string>, {
    get: (_, id) => `Feedback for ${String(id)}.`,
  }),
};

function attemptWith(choice: ChoiceKey, attempt: number): StoredAttempt {
  const options = choiceVariant(question, 'learner', 0);
  const grading = gradeChoice(options, key.correctOptionId, { choice });
  return { attempt, correct: grading.correct, answer: { choice }, grading };
}

describe('question views', () => {
  const options = choiceVariant(question, 'learner', 0);
  const correctKey = options.find((option) => option.optionId === key.correctOptionId)!.key;
  const wrongKey = options.find((option) => option.optionId !== key.correctOptionId)!.key;

  it('never carries option ids, the key or explanations before the policy allows', () => {
    const before = JSON.stringify(questionView(content, question, 'learner', []));
    const afterWrong = JSON.stringify(questionView(content, question, 'learner', [attemptWith(wrongKey, 1)]));
    for (const text of [before, afterWrong]) {
      for (const option of question.options) expect(text).not.toContain(`"${option.id}"`);
      for (const explanation of Object.values(key.explanations)) expect(text).not.toContain(explanation);
      expect(text).toContain('"reveal":null');
    }
  });

  it('after the last wrong attempt reveals only the summary: no letter, no option explanations (issue 19)', () => {
    const view = questionView(content, question, 'learner', [attemptWith(wrongKey, 1), attemptWith(wrongKey, 2)]);
    expect(view.closed).toBe(true);
    expect(view.reveal).toEqual({ kind: 'single-choice-summary', summary: key.summary });
    const text = JSON.stringify(view);
    for (const explanation of Object.values(key.explanations)) expect(text).not.toContain(explanation);
    expect(text).not.toContain(`"correctKey"`);
  });

  it('after a right answer reveals the correct letter and every explanation', () => {
    const view = questionView(content, question, 'learner', [attemptWith(correctKey, 1)]);
    expect(view.reveal).toMatchObject({ kind: 'single-choice', correctKey });
    expect(view.reveal?.kind === 'single-choice' && view.reveal.explanations).toHaveLength(3);
  });

  it("tells a wrong choice why that option is wrong, without the key's explanations", () => {
    const view = questionView(content, question, 'learner', [attemptWith(wrongKey, 1)]);
    const chosen = options.find((option) => option.key === wrongKey)!;
    expect(view.last?.parts[0]?.feedback).toBe(`Not quite. Why ${chosen.optionId} is wrong.`);
  });

  it('shows a generated question with its givens and tolerance, and no expected value', () => {
    const view = questionView(content, graphPractice[0]!, 'learner', []);
    expect(view.kind).toBe('numeric');
    if (view.kind !== 'numeric') throw new Error('unexpected kind');
    expect(view.givens.map((given) => given.name)).toEqual(['x', 'w', 'b', 'y']);
    expect(view.tolerance).toEqual({ relative: 0.01, absolute: 0.001 });
    expect(view.reveal).toBeNull();
  });
});
