import 'server-only';

import { z } from 'zod';

import { choiceAnswerSchema, gradeChoice, gradeNumeric, numericAnswerSchema, type Grading } from '@/lib/quiz/grading';
import { lessonMastery, type MasteryView } from '@/lib/quiz/mastery';
import { checkNewAttempt, variantIndexFor } from '@/lib/quiz/policy';
import type { MisconceptionId, PublicQuestion } from '@/lib/quiz/schema';
import { choiceVariant, numericVariant } from '@/lib/quiz/variants';
import {
  questionView,
  resultView,
  type LessonQuizContent,
  type QuestionView,
  type ResultView,
  type StoredAttempt,
} from '@/lib/quiz/views';

import type { Db } from './db/client';
import { isUniqueViolation } from './db/errors';
import { HttpError, parseOrThrow } from './http';
import { findQuestion } from './quiz-content';
import type { LearnerSession } from './session';

/** The body of POST /api/quiz/answers. The answer's shape depends on the question and is checked next. */
export const submissionSchema = z
  .object({
    questionId: z.string().min(1).max(100),
    attempt: z.number().int().min(1).max(100),
    answer: z.unknown(),
  })
  .strict();
export type Submission = z.infer<typeof submissionSchema>;

export interface LearnerView {
  displayName: string | null;
  cohorts: { name: string }[];
}

export interface LessonState {
  lessonSlug: string;
  learner: LearnerView;
  lastSectionId: string | null;
  questions: QuestionView[];
  mastery: MasteryView[];
}

export interface SubmissionOutcome {
  result: ResultView;
  question: QuestionView;
  mastery: MasteryView[];
}

const gradingSchema = z.object({
  score: z.number(),
  correct: z.boolean(),
  parts: z.array(
    z.object({
      id: z.string(),
      score: z.number(),
      correct: z.boolean(),
      misconception: z.string().nullable(),
    }),
  ),
});

interface ResponseRow {
  questionId: string;
  attempt: number;
  correct: boolean;
  answer: string;
  grading: string;
  createdAt: Date;
}

const responseSelect = {
  questionId: true,
  attempt: true,
  correct: true,
  answer: true,
  grading: true,
  createdAt: true,
} as const;

function storedAttempt(row: ResponseRow): StoredAttempt & { questionId: string; createdAt: Date } {
  const grading = gradingSchema.parse(JSON.parse(row.grading)) as Grading & {
    parts: { misconception: MisconceptionId | null }[];
  };
  return {
    questionId: row.questionId,
    attempt: row.attempt,
    correct: row.correct,
    answer: JSON.parse(row.answer) as unknown,
    grading,
    createdAt: row.createdAt,
  };
}

function masteryOf(content: LessonQuizContent, rows: readonly ReturnType<typeof storedAttempt>[]): MasteryView[] {
  return lessonMastery(
    content.questions,
    rows.map((row) => ({ questionId: row.questionId, grading: row.grading, at: row.createdAt })),
  );
}

function viewsOf(
  content: LessonQuizContent,
  learnerId: string,
  rows: readonly ReturnType<typeof storedAttempt>[],
): QuestionView[] {
  return content.questions.map((question) =>
    questionView(
      content,
      question,
      learnerId,
      rows.filter((row) => row.questionId === question.id),
    ),
  );
}

/** Everything the quiz component shows for a learner, in one query after the session lookup. */
export async function lessonState(db: Db, session: LearnerSession, content: LessonQuizContent): Promise<LessonState> {
  const learner = await db.learner.findUnique({
    where: { id: session.learnerId },
    select: {
      displayName: true,
      enrollments: { select: { cohort: { select: { name: true } } }, orderBy: { joinedAt: 'asc' } },
      responses: {
        where: { questionId: { in: content.questions.map((question) => question.id) } },
        select: responseSelect,
      },
      progress: { where: { lessonSlug: content.slug }, select: { lastSectionId: true } },
    },
  });
  if (!learner) throw new HttpError(401, 'no-session', 'No valid session: open the lesson page to start one.');
  const rows = learner.responses.map(storedAttempt);
  return {
    lessonSlug: content.slug,
    learner: {
      displayName: learner.displayName,
      cohorts: learner.enrollments.map(({ cohort }) => ({ name: cohort.name })),
    },
    lastSectionId: learner.progress[0]?.lastSectionId ?? null,
    questions: viewsOf(content, session.learnerId, rows),
    mastery: masteryOf(content, rows),
  };
}

/** Parses the answer for this question's kind; the canonical JSON is what is stored and compared on replay. */
function parseAnswer(question: PublicQuestion, answer: unknown): { canonical: string; parsed: unknown } {
  if (question.kind === 'single-choice') {
    const parsed = parseOrThrow(choiceAnswerSchema, answer, ['answer']);
    return { parsed, canonical: JSON.stringify({ choice: parsed.choice }) };
  }
  const parsed = parseOrThrow(numericAnswerSchema(question), answer, ['answer']);
  // Part order from the content, not from the request, so {a, b} and {b, a} store the same text.
  const parts = Object.fromEntries(question.parts.map((part) => [part.id, parsed.parts[part.id]]));
  return { parsed: { parts }, canonical: JSON.stringify({ parts }) };
}

function grade(
  question: PublicQuestion,
  content: LessonQuizContent,
  learnerId: string,
  attempt: number,
  parsed: unknown,
): { grading: Grading; selectedOptionId: string | null } {
  const variantIndex = variantIndexFor(question.policy, attempt);
  if (question.kind === 'single-choice') {
    const key = content.choiceKeys.get(question.id);
    if (!key) throw new Error(`no answer key for '${question.id}'`);
    const answer = parsed as z.infer<typeof choiceAnswerSchema>;
    const options = choiceVariant(question, learnerId, variantIndex);
    return {
      grading: gradeChoice(options, key.correctOptionId, answer),
      // Kept for the instructors' option counts; never sent to the browser.
      selectedOptionId: options.find((option) => option.key === answer.choice)?.optionId ?? null,
    };
  }
  const { solutions } = numericVariant(question, learnerId, variantIndex);
  return {
    grading: gradeNumeric(question, solutions, parsed as { parts: Record<string, number> }),
    selectedOptionId: null,
  };
}

function replayOrConflict(stored: ResponseRow, canonical: string, attempt: number): void {
  if (stored.answer !== canonical) {
    throw new HttpError(
      409,
      'attempt-taken',
      `Attempt ${attempt} was already submitted with a different answer (perhaps in another tab). Reload to see it.`,
    );
  }
}

/**
 * Grades and stores one answer. One read (the session with this learner's responses in the
 * lesson) and one insert; the unique key (learner, question, attempt) makes double clicks,
 * replays and second tabs land on the stored response, and they all get the same result back.
 */
export async function submitAnswer(
  db: Db,
  sessionId: string | null,
  submission: Submission,
): Promise<{ outcome: SubmissionOutcome; replayed: boolean }> {
  const found = findQuestion(submission.questionId);
  if (!found) throw new HttpError(422, 'unknown-question', `Unknown question "${submission.questionId}".`);
  const { content, question } = found;
  const { canonical, parsed } = parseAnswer(question, submission.answer);

  const session = sessionId
    ? await db.session.findUnique({
        where: { id: sessionId },
        select: {
          learnerId: true,
          expiresAt: true,
          learner: {
            select: {
              responses: {
                where: { questionId: { in: content.questions.map((entry) => entry.id) } },
                select: responseSelect,
              },
            },
          },
        },
      })
    : null;
  if (!session || session.expiresAt.getTime() <= Date.now()) {
    throw new HttpError(401, 'no-session', 'No valid session: open the lesson page to start one.');
  }
  const { learnerId } = session;
  const rows = session.learner.responses;
  const prior = rows.filter((row) => row.questionId === question.id);

  let replayed = false;
  const existing = prior.find((row) => row.attempt === submission.attempt);
  if (existing) {
    replayOrConflict(existing, canonical, submission.attempt);
    replayed = true;
  } else {
    const check = checkNewAttempt(question.policy, prior, submission.attempt);
    if (!check.ok) throw new HttpError(409, `attempt-${check.reason}`, check.message);
    const { grading, selectedOptionId } = grade(question, content, learnerId, submission.attempt, parsed);
    const row: ResponseRow = {
      questionId: question.id,
      attempt: submission.attempt,
      correct: grading.correct,
      answer: canonical,
      grading: JSON.stringify(grading),
      createdAt: new Date(),
    };
    try {
      await db.response.create({
        data: {
          ...row,
          learnerId,
          variant: variantIndexFor(question.policy, submission.attempt),
          score: grading.score,
          selectedOptionId,
        },
        select: { id: true },
      });
      rows.push(row);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another request stored this attempt between our read and our insert: answer with its row.
      const stored = await db.response.findUnique({
        where: { learnerId_questionId_attempt: { learnerId, questionId: question.id, attempt: submission.attempt } },
        select: responseSelect,
      });
      if (!stored) throw error;
      replayOrConflict(stored, canonical, submission.attempt);
      rows.push(stored);
      replayed = true;
    }
  }

  const attempts = rows.map(storedAttempt);
  const mine = attempts.filter((row) => row.questionId === question.id);
  const thisAttempt = mine.find((row) => row.attempt === submission.attempt);
  if (!thisAttempt) throw new Error('submitted attempt missing after insert');
  return {
    replayed,
    outcome: {
      result: resultView(content, question, thisAttempt),
      question: questionView(content, question, learnerId, mine),
      mastery: masteryOf(content, attempts),
    },
  };
}
