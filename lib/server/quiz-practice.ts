import 'server-only';

import { randomUUID } from 'node:crypto';

import { z } from 'zod';

import { attemptState, checkNewAttempt, variantIndexFor } from '@/lib/quiz/policy';
import type { PublicQuestion } from '@/lib/quiz/schema';
import { PRACTICE_VARIANT_BASE } from '@/lib/quiz/variants';
import type { MasteryView } from '@/lib/quiz/mastery';
import { questionView, resultView, type QuestionView, type ResultView, type StoredAttempt } from '@/lib/quiz/views';

import type { Db } from './db/client';
import { isUniqueViolation } from './db/errors';
import { Prisma } from './db/generated/sqlite/client';
import { HttpError } from './http';
import { withExtraAttempts } from './instructor/attempt-grants';
import { findQuestion } from './quiz-content';
import { grade, lessonMasteryFor, parseAnswer } from './quiz-service';
import type { LearnerSession } from './session';

/**
 * "Practice with new numbers" (issue 16, item 5). Once a learner has finished a generated
 * question (right, or out of attempts), each practice round deals a fresh seeded variant, graded
 * exactly as the graded question is (same grader, same attempt policy per round, same hints).
 * Practice attempts are stored in PracticeResponse, never in Response: the score, the gradebook,
 * the class overview and the item statistics read Response only, so practice cannot change a grade.
 *
 * Rounds are implicit, so dealing one writes nothing: the current round is the latest round
 * with attempts if it is still open, else the next one. A GET therefore deals (or resumes) a
 * round without side effects, and a learner returning later resumes an unfinished round.
 */

export const practiceQuerySchema = z.object({ questionId: z.string().min(1).max(100) }).strict();

export const practiceSubmissionSchema = z
  .object({
    questionId: z.string().min(1).max(100),
    round: z.number().int().min(1).max(100_000),
    attempt: z.number().int().min(1).max(100),
    answer: z.unknown(),
  })
  .strict();
export type PracticeSubmission = z.infer<typeof practiceSubmissionSchema>;

export interface PracticeView {
  round: number;
  question: QuestionView;
}

export interface PracticeOutcome extends PracticeView {
  result: ResultView;
  /** Practice is evidence of skill: the learner's mastery after this attempt (docs/decisions/014). */
  mastery: MasteryView[];
}

interface PracticeRow {
  round: number;
  attempt: number;
  correct: boolean;
  answer: string;
  grading: string;
}

function practicable(questionId: string): {
  question: PublicQuestion;
  content: NonNullable<ReturnType<typeof findQuestion>>['content'];
} {
  const found = findQuestion(questionId);
  if (!found) throw new HttpError(422, 'unknown-question', `Unknown question "${questionId.slice(0, 100)}".`);
  if (found.question.kind === 'single-choice') {
    throw new HttpError(422, 'no-practice', 'This question has no practice with new numbers: it has no numbers.');
  }
  return found;
}

/**
 * The learner's practice rows for the question, once its graded attempts are over. "Over" counts
 * the extra attempts an instructor granted this learner (issue 19): a question with granted
 * attempts left is still open, so practice waits until they are used or the question is solved
 * (docs/decisions/013, eighth session). Practice rounds from before a grant are kept and resume
 * once the question is finished again.
 */
async function readRows(db: Db, learnerId: string, question: PublicQuestion) {
  const [graded, practice, grant] = await Promise.all([
    db.$queryRaw<{ attempt: unknown; correct: unknown }[]>(Prisma.sql`
      SELECT "attempt", "correct" FROM "Response" WHERE "learnerId" = ${learnerId} AND "questionId" = ${question.id}`),
    db.$queryRaw<
      { round: unknown; attempt: unknown; correct: unknown; answer: unknown; grading: unknown }[]
    >(Prisma.sql`
      SELECT "round", "attempt", "correct", "answer", "grading" FROM "PracticeResponse"
      WHERE "learnerId" = ${learnerId} AND "questionId" = ${question.id}`),
    db.$queryRaw<{ extraAttempts: unknown }[]>(Prisma.sql`
      SELECT "extraAttempts" FROM "AttemptGrant" WHERE "learnerId" = ${learnerId} AND "questionId" = ${question.id}`),
  ]);
  const gradedState = attemptState(
    withExtraAttempts(question, Number(grant[0]?.extraAttempts ?? 0)).policy,
    graded.map((row) => ({ attempt: Number(row.attempt), correct: Boolean(row.correct) })),
  );
  if (!gradedState.closed) {
    throw new HttpError(409, 'question-open', 'Practice with new numbers opens once you have finished this question.');
  }
  const rows: PracticeRow[] = practice.map((row) => ({
    round: Number(row.round),
    attempt: Number(row.attempt),
    correct: Boolean(row.correct),
    answer: String(row.answer),
    grading: String(row.grading),
  }));
  return rows;
}

/** The round to show: the latest one while it is open, else a fresh one. */
function currentRound(question: PublicQuestion, rows: readonly PracticeRow[]): number {
  const latest = rows.reduce((max, row) => Math.max(max, row.round), 0);
  if (latest === 0) return 1;
  const state = attemptState(
    question.policy,
    rows.filter((row) => row.round === latest),
  );
  return state.closed ? latest + 1 : latest;
}

function stored(row: PracticeRow): StoredAttempt {
  return {
    attempt: row.attempt,
    correct: row.correct,
    answer: JSON.parse(row.answer) as unknown,
    grading: JSON.parse(row.grading) as StoredAttempt['grading'],
  };
}

function viewOf(
  content: ReturnType<typeof practicable>['content'],
  question: PublicQuestion,
  learnerId: string,
  rows: readonly PracticeRow[],
  round: number,
): QuestionView {
  return questionView(content, question, learnerId, rows.filter((row) => row.round === round).map(stored), round);
}

export async function practiceState(db: Db, session: LearnerSession, questionId: string): Promise<PracticeView> {
  const { question, content } = practicable(questionId);
  const rows = await readRows(db, session.learnerId, question);
  const round = currentRound(question, rows);
  return { round, question: viewOf(content, question, session.learnerId, rows, round) };
}

export async function submitPractice(
  db: Db,
  session: LearnerSession,
  submission: PracticeSubmission,
): Promise<{ outcome: PracticeOutcome; replayed: boolean }> {
  const { question, content } = practicable(submission.questionId);
  const { canonical, parsed } = parseAnswer(question, submission.answer);
  const { learnerId } = session;
  const rows = await readRows(db, learnerId, question);
  const { round, attempt } = submission;
  const inRound = rows.filter((row) => row.round === round);
  const existing = inRound.find((row) => row.attempt === attempt);
  const conflict = () =>
    new HttpError(
      409,
      'attempt-taken',
      `Practice attempt ${attempt} was already submitted with a different answer. Reload to see it.`,
    );
  let replayed = false;
  if (existing) {
    if (existing.answer !== canonical) throw conflict();
    replayed = true;
  } else {
    if (round !== currentRound(question, rows)) {
      throw new HttpError(409, 'round-closed', 'That practice round is over. Ask for new numbers to practise again.');
    }
    const check = checkNewAttempt(question.policy, inRound, attempt);
    if (!check.ok) throw new HttpError(409, `attempt-${check.reason}`, check.message);
    const variantBase = PRACTICE_VARIANT_BASE * round;
    const { grading } = grade(question, content, learnerId, attempt, parsed, variantBase);
    const row: PracticeRow = {
      round,
      attempt,
      correct: grading.correct,
      answer: canonical,
      grading: JSON.stringify(grading),
    };
    try {
      await db.practiceResponse.create({
        data: {
          id: randomUUID(),
          learnerId,
          questionId: question.id,
          round,
          attempt,
          variant: variantBase + variantIndexFor(question.policy, attempt),
          answer: row.answer,
          score: grading.score,
          correct: grading.correct,
          grading: row.grading,
        },
      });
      rows.push(row);
    } catch (error) {
      // A twin of this request (double click, second tab) stored the same attempt first.
      if (!isUniqueViolation(error)) throw error;
      const twin = await db.practiceResponse.findUnique({
        where: { learnerId_questionId_round_attempt: { learnerId, questionId: question.id, round, attempt } },
        select: { round: true, attempt: true, correct: true, answer: true, grading: true },
      });
      if (!twin) throw error;
      if (twin.answer !== canonical) throw conflict();
      rows.push(twin);
      replayed = true;
    }
  }
  const mine = rows.find((row) => row.round === round && row.attempt === attempt);
  if (!mine) throw new Error('practice attempt missing after insert');
  return {
    replayed,
    outcome: {
      round,
      question: viewOf(content, question, learnerId, rows, round),
      result: resultView(content, question, stored(mine), { learnerId, variantBase: PRACTICE_VARIANT_BASE * round }),
      mastery: await lessonMasteryFor(db, learnerId, content),
    },
  };
}
