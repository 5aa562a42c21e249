import 'server-only';

import {
  graphPracticeSolutions,
  knowledgeCheckKeys,
  misconceptionFeedback,
  networkPracticeSolutions,
} from '@/content/lessons/chain-rule-computational-graphs/answers.server';
import {
  formulaPractice,
  graphPractice,
  knowledgeCheck,
  networkPractice,
} from '@/content/lessons/chain-rule-computational-graphs/questions';
import type { PublicQuestion } from '@/lib/quiz/schema';
import { TARGET_GRAPH } from '@/lib/quiz/targets';
import type { LessonQuizContent } from '@/lib/quiz/views';

/** Every lesson's quiz with its server-only keys. A new lesson with a quiz adds one entry. */
const quizzes: readonly LessonQuizContent[] = [
  {
    slug: 'chain-rule-computational-graphs',
    questions: [...knowledgeCheck, ...graphPractice, ...formulaPractice, ...networkPractice],
    choiceKeys: new Map(knowledgeCheckKeys.map((key) => [key.questionId, key])),
    solutions: new Map(
      [...graphPracticeSolutions, ...networkPracticeSolutions].map((solution) => [solution.questionId, solution]),
    ),
    misconceptionFeedback,
  },
];

/** Fails at import (so at server start and in tests) when content and keys disagree. */
function checkContent(content: LessonQuizContent): void {
  for (const question of content.questions) {
    if (question.kind === 'single-choice') {
      const key = content.choiceKeys.get(question.id);
      if (!key) throw new Error(`${content.slug}: no answer key for '${question.id}'`);
      const optionIds = question.options.map((option) => option.id);
      if (!optionIds.includes(key.correctOptionId)) {
        throw new Error(`${content.slug}: key for '${question.id}' names unknown option '${key.correctOptionId}'`);
      }
      const missing = optionIds.filter((id) => !key.explanations[id]);
      if (missing.length > 0)
        throw new Error(`${content.slug}: '${question.id}' has no explanation for ${missing.join(', ')}`);
      const noFeedback = optionIds.filter((id) => id !== key.correctOptionId && !key.whyWrong[id]);
      if (noFeedback.length > 0)
        throw new Error(`${content.slug}: '${question.id}' has no why-wrong feedback for ${noFeedback.join(', ')}`);
    } else if (!content.solutions.has(question.id)) {
      throw new Error(`${content.slug}: no worked solution for '${question.id}'`);
    } else if (question.kind !== 'formula' && !question.loss) {
      // Every question on the neuron states its loss (issue 16): dL/da depends on it.
      const onNeuron = question.parts.some((part) => TARGET_GRAPH[part.target] === 'neuron');
      if (onNeuron) throw new Error(`${content.slug}: '${question.id}' is on the neuron but names no loss`);
    }
  }
}

const questionIndex = new Map<string, { content: LessonQuizContent; question: PublicQuestion }>();
for (const content of quizzes) {
  checkContent(content);
  for (const question of content.questions) {
    if (questionIndex.has(question.id)) throw new Error(`question id '${question.id}' is used twice`);
    questionIndex.set(question.id, { content, question });
  }
}

export function lessonQuiz(slug: string): LessonQuizContent | undefined {
  return quizzes.find((quiz) => quiz.slug === slug);
}

export function findQuestion(questionId: string): { content: LessonQuizContent; question: PublicQuestion } | undefined {
  return questionIndex.get(questionId);
}

export function allQuizzes(): readonly LessonQuizContent[] {
  return quizzes;
}
