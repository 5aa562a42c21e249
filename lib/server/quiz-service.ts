import 'server-only';

import { randomUUID } from 'node:crypto';

import { z } from 'zod';

import { parseFormula } from '@/lib/quiz/formula';
import {
  formulaAnswerSchema,
  gradeChoice,
  gradeFormulaAnswer,
  gradeNumeric,
  numericAnswerSchema,
  offeredChoiceSchema,
  type ChoiceAnswer,
  type Grading,
} from '@/lib/quiz/grading';
import { lessonMastery, type MasteryView } from '@/lib/quiz/mastery';
import { checkNewAttempt, variantIndexFor } from '@/lib/quiz/policy';
import { knowledgeCheckScore } from '@/lib/quiz/score';
import type { MisconceptionId, PublicQuestion } from '@/lib/quiz/schema';
import { choiceVariant, formulaVariant, numericVariant } from '@/lib/quiz/variants';
import {
  questionView,
  resultView,
  type LessonQuizContent,
  type QuestionView,
  type ResultView,
  type StoredAttempt,
} from '@/lib/quiz/views';

import { readSessionWithResponses, type StoredResponse } from './answer-reader';
import { insertAnswer } from './answer-writer';
import { answerStatementsFor } from './db/answer-offload';
import type { Db } from './db/client';
import { Prisma } from './db/generated/sqlite/client';
import { HttpError, parseOrThrow } from './http';
import { withExtraAttempts } from './instructor/attempt-grants';
import { practiceGradings, type PracticeGradingRow } from './mastery-evidence';
import { findQuestion, lessonQuiz as findLessonQuiz } from './quiz-content';
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

/** A stored response as the answer path reads it (the shape the group reader returns). */
type ResponseRow = StoredResponse;

const responseSelect = {
  questionId: true,
  attempt: true,
  correct: true,
  answer: true,
  grading: true,
  createdAt: true,
} as const;

/**
 * Parsed gradings by their stored text. A grading is a pure function of its text (and rows never
 * change once written), and its text names no learner: the distinct texts are the few outcomes a
 * lesson's questions can have, so this stays small; bounded anyway, oldest out first. Re-parsing
 * every earlier response's grading with zod on every submission was a large part of its cost
 * (docs/decisions/009). Entries are frozen: callers only read them.
 */
const GRADINGS_MAX = 4096;
const parsedGradings = new Map<string, Readonly<Grading>>();

function parseGrading(text: string): Readonly<Grading> {
  const known = parsedGradings.get(text);
  if (known) return known;
  const grading = gradingSchema.parse(JSON.parse(text)) as Grading & {
    parts: { misconception: MisconceptionId | null }[];
  };
  for (const part of grading.parts) Object.freeze(part);
  Object.freeze(grading.parts);
  Object.freeze(grading);
  if (parsedGradings.size >= GRADINGS_MAX) parsedGradings.delete(parsedGradings.keys().next().value!);
  parsedGradings.set(text, grading);
  return grading;
}

function storedAttempt(row: ResponseRow): StoredAttempt & { questionId: string; createdAt: Date } {
  const grading = parseGrading(row.grading);
  return {
    questionId: row.questionId,
    attempt: row.attempt,
    correct: row.correct,
    answer: JSON.parse(row.answer) as unknown,
    grading,
    createdAt: row.createdAt,
  };
}

/**
 * Mastery from stored rows: graded answers and practice rounds are both evidence of skill
 * (docs/decisions/014); only their gradings count, so their answers are not parsed.
 */
function masteryOf(
  content: LessonQuizContent,
  rows: readonly ResponseRow[],
  practice: readonly PracticeGradingRow[],
): MasteryView[] {
  return lessonMastery(content.questions, [
    ...rows.map((row) => ({
      questionId: row.questionId,
      grading: parseGrading(row.grading),
      at: row.createdAt,
      mode: 'graded' as const,
    })),
    ...practice.map((row) => ({
      questionId: row.questionId,
      grading: parseGrading(row.grading),
      at: row.createdAt,
      mode: 'practice' as const,
    })),
  ]);
}

/** A learner's mastery in a lesson, read afresh (after a practice attempt, quiz-practice.ts). */
export async function lessonMasteryFor(db: Db, learnerId: string, content: LessonQuizContent): Promise<MasteryView[]> {
  const [responses, practice] = await Promise.all([
    db.$queryRaw<RawResponseRow[]>(Prisma.sql`
      SELECT "questionId", "attempt", "correct", "answer", "grading", "createdAt"
      FROM "Response"
      WHERE "learnerId" = ${learnerId} AND "questionId" IN (${Prisma.join(questionIdsOf(content))})`),
    practiceGradings(db, learnerId, questionIdsOf(content)),
  ]);
  return masteryOf(content, responses.map(responseRow), practice);
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

/** A raw Response row as both databases return it (SQLite: integers for booleans, text or numbers for dates). */
type RawResponseRow = { [K in keyof ResponseRow]: ResponseRow[K] | number | string | null };

function responseRow(row: RawResponseRow): ResponseRow {
  return {
    questionId: String(row.questionId),
    attempt: Number(row.attempt),
    correct: Boolean(row.correct),
    answer: String(row.answer),
    grading: String(row.grading),
    createdAt: new Date(row.createdAt as Date | string | number),
  };
}

const questionIds = new WeakMap<LessonQuizContent, readonly string[]>();

/** The lesson's question ids, one array per (immutable) content object. */
function questionIdsOf(content: LessonQuizContent): readonly string[] {
  let ids = questionIds.get(content);
  if (!ids) {
    ids = Object.freeze(content.questions.map((question) => question.id));
    questionIds.set(content, ids);
  }
  return ids;
}

/**
 * Everything the quiz component shows for a learner. Five raw reads (the learner with the
 * lesson's resume point, their classes, their responses, practice rounds and attempt grants in the
 * lesson), portable SQL instead of the ORM's nested read (Prisma 6.19 compiles every ORM query,
 * docs/decisions/009), run on the database worker (db/learner-statements.ts, docs/decisions/018).
 */
export async function lessonState(db: Db, session: LearnerSession, content: LessonQuizContent): Promise<LessonState> {
  const { learnerId } = session;
  const rows = await answerStatementsFor(db).run(
    'readLessonStateRows',
    learnerId,
    content.slug,
    questionIdsOf(content),
  );
  if (!rows.learner) throw new HttpError(401, 'no-session', 'No valid session: open the lesson page to start one.');
  // Extra attempts an instructor gave this learner (issue 19; lib/server/instructor/attempt-grants.ts).
  const granted = content.questions.some((question) => (rows.extraAttempts[question.id] ?? 0) > 0)
    ? {
        ...content,
        questions: content.questions.map((question) =>
          withExtraAttempts(question, rows.extraAttempts[question.id] ?? 0),
        ),
      }
    : content;
  return {
    lessonSlug: content.slug,
    learner: { displayName: rows.learner.displayName, cohorts: rows.cohorts.map((name) => ({ name })) },
    lastSectionId: rows.learner.lastSectionId,
    questions: viewsOf(granted, learnerId, rows.responses.map(storedAttempt)),
    mastery: masteryOf(content, rows.responses, rows.practice),
  };
}

/**
 * Parses the answer for this question's kind; the canonical JSON is what is stored and compared
 * on replay. A choice letter the question never offered, or a formula that does not parse, is a
 * 400 that names what is wrong (with the formula's line and column) and uses no attempt.
 */
export function parseAnswer(question: PublicQuestion, answer: unknown): { canonical: string; parsed: unknown } {
  if (question.kind === 'single-choice') {
    const parsed = parseOrThrow(offeredChoiceSchema(question), answer, ['answer']);
    return { parsed, canonical: JSON.stringify({ choice: parsed.choice }) };
  }
  if (question.kind === 'formula') {
    const { expression } = parseOrThrow(formulaAnswerSchema, answer, ['answer']);
    const formula = parseFormula(expression);
    if (!formula.ok) throw new HttpError(400, 'bad-formula', `answer.expression: ${formula.error.message}`);
    return { parsed: formula, canonical: JSON.stringify({ expression: formula.source }) };
  }
  const parsed = parseOrThrow(numericAnswerSchema(question), answer, ['answer']);
  // Part order from the content, not from the request, so {a, b} and {b, a} store the same text.
  const parts = Object.fromEntries(question.parts.map((part) => [part.id, parsed.parts[part.id]]));
  return { parsed: { parts }, canonical: JSON.stringify({ parts }) };
}

/** Grades one parsed answer on the variant of this attempt (`variantBase`: 0 graded, else a practice round's). */
export function grade(
  question: PublicQuestion,
  content: LessonQuizContent,
  learnerId: string,
  attempt: number,
  parsed: unknown,
  variantBase = 0,
): { grading: Grading; selectedOptionId: string | null } {
  const variantIndex = variantBase + variantIndexFor(question.policy, attempt);
  if (question.kind === 'formula') {
    const formula = parsed as Extract<ReturnType<typeof parseFormula>, { ok: true }>;
    return {
      grading: gradeFormulaAnswer(question, formulaVariant(question, learnerId, variantIndex), formula),
      selectedOptionId: null,
    };
  }
  if (question.kind === 'single-choice') {
    const key = content.choiceKeys.get(question.id);
    if (!key) throw new Error(`no answer key for '${question.id}'`);
    const answer = parsed as ChoiceAnswer;
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
  const { content } = found;
  let { question } = found;
  const { canonical, parsed } = parseAnswer(question, submission.answer);

  // Shared with the submissions that arrive together (group reads, answer-reader.ts); this
  // request's own session row, read after the request arrived.
  const session = sessionId ? await readSessionWithResponses(db, sessionId, questionIdsOf(content)) : null;
  if (!session || session.expiresAt.getTime() <= Date.now()) {
    throw new HttpError(401, 'no-session', 'No valid session: open the lesson page to start one.');
  }
  const { learnerId } = session;
  // Extra attempts an instructor gave this learner on this question (issue 19) and the practice
  // rounds that count for mastery came with the session, in the same group read.
  question = withExtraAttempts(question, session.extraAttempts[question.id] ?? 0);
  const rows = session.responses;
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
    // One statement, shared with the submissions that arrive together (group commit,
    // answer-writer.ts): the unique key (learner, question, attempt) decides, and a twin that got
    // there first leaves this row out. Resolves only after the commit.
    const inserted = await insertAnswer(db, {
      id: randomUUID(),
      learnerId,
      questionId: row.questionId,
      attempt: row.attempt,
      variant: variantIndexFor(question.policy, submission.attempt),
      answer: row.answer,
      score: grading.score,
      correct: row.correct,
      grading: row.grading,
      selectedOptionId,
      createdAt: row.createdAt,
    });
    if (inserted) {
      rows.push(row);
    } else {
      // Another request stored this attempt between our read and our insert: answer with its row.
      const stored = await db.response.findUnique({
        where: { learnerId_questionId_attempt: { learnerId, questionId: question.id, attempt: submission.attempt } },
        select: responseSelect,
      });
      if (!stored) throw new Error('insert skipped by a conflict, but no stored row was found');
      replayOrConflict(stored, canonical, submission.attempt);
      rows.push(stored);
      replayed = true;
    }
  }

  // Answers are parsed for this question's rows only: the other rows count for mastery alone.
  const mine = rows.filter((row) => row.questionId === question.id).map(storedAttempt);
  const thisAttempt = mine.find((row) => row.attempt === submission.attempt);
  if (!thisAttempt) throw new Error('submitted attempt missing after insert');
  return {
    replayed,
    outcome: {
      result: resultView(content, question, thisAttempt, { learnerId, variantBase: 0 }),
      question: questionView(content, question, learnerId, mine),
      mastery: masteryOf(content, rows, session.practice),
    },
  };
}

/**
 * A learner's knowledge-check score for a lesson, 0..1 (null before the first answer), from
 * graded attempts only: practice rounds live in PracticeResponse and never count. For grade
 * passback (LTI) and anything else that reports a grade.
 */
export async function learnerKnowledgeCheckScore(
  db: Db,
  learnerId: string,
  lessonSlug: string,
): Promise<number | null> {
  const content = findLessonQuiz(lessonSlug);
  if (!content) return null;
  const ids = questionIdsOf(content);
  const rows = await db.$queryRaw<{ questionId: string; attempt: unknown; score: unknown }[]>(Prisma.sql`
    SELECT "questionId", "attempt", "score" FROM "Response"
    WHERE "learnerId" = ${learnerId} AND "questionId" IN (${Prisma.join(ids)})`);
  return knowledgeCheckScore(
    ids,
    rows.map((row) => ({ questionId: row.questionId, attempt: Number(row.attempt), score: Number(row.score) })),
  );
}
