import 'server-only';

import { z } from 'zod';

import { variantIndexFor } from '@/lib/quiz/policy';

import type { Db } from './db/client';
import { assertSameOrigin, handle, HttpError, json, parseOrThrow, readJson } from './http';
import { requireOwnedCohort, type OwnedCohort } from './instructor/access';
import { learnerLabel } from './instructor/overview';
import { findQuestion } from './quiz-content';
import { limitLearnerCall } from './resume-codes';
import { requireSession } from './session';

/**
 * "Report a problem" on a question (issue 16 item 8). The learner sends a few words; the server
 * adds what it knows for certain: the question, the mode (graded or practice), the seeded
 * variant of the learner's latest answer in that mode and that answer as stored. The instructors
 * of every class the learner is in see the report in the class's "Reported problems" page.
 */

export const REPORT_TEXT_MAX = 1000;
/** Reports one learner may send per day: enough for every question, not enough to flood a class. */
export const REPORTS_PER_DAY = 20;
export const MAX_REPORT_BYTES = 4 * 1024;

export const problemReportSchema = z
  .object({
    questionId: z.string().min(1).max(100),
    /** Omitted: whichever the learner answered last (the question's card does not need to know). */
    mode: z.enum(['graded', 'practice']).optional(),
    text: z
      .string()
      .trim()
      .min(3, 'Write a few words about the problem (at least 3 characters).')
      .max(REPORT_TEXT_MAX, `Keep it under ${REPORT_TEXT_MAX} characters.`)
      // Line breaks and tabs are fine; other control characters only garble the instructor's page.
      // eslint-disable-next-line no-control-regex
      .refine((text) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text), 'Remove the control characters.'),
  })
  .strict();
export type ProblemReportInput = z.infer<typeof problemReportSchema>;

export interface StoredReport {
  id: string;
  questionId: string;
  mode: 'graded' | 'practice';
  variant: number;
  answer: string | null;
  createdAt: Date;
}

/** Stores one report with the variant and answer the server holds for it. */
export async function createProblemReport(
  db: Db,
  learnerId: string,
  input: ProblemReportInput,
  now = new Date(),
): Promise<StoredReport> {
  const found = findQuestion(input.questionId);
  if (!found) throw new HttpError(422, 'unknown-question', `Unknown question "${input.questionId.slice(0, 100)}".`);
  const since = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  const recent = await db.problemReport.count({ where: { learnerId, createdAt: { gt: since } } });
  if (recent >= REPORTS_PER_DAY) {
    throw new HttpError(
      429,
      'too-many-reports',
      `You have sent ${REPORTS_PER_DAY} reports today, the most we take in a day. Thank you: please send more tomorrow.`,
    );
  }
  const where = { learnerId, questionId: input.questionId };
  const select = { variant: true, answer: true, createdAt: true } as const;
  const [graded, practice] = await Promise.all([
    db.response.findFirst({ where, orderBy: { attempt: 'desc' }, select }),
    db.practiceResponse.findFirst({ where, orderBy: [{ round: 'desc' }, { attempt: 'desc' }], select }),
  ]);
  const mode = input.mode ?? (practice && (!graded || practice.createdAt >= graded.createdAt) ? 'practice' : 'graded');
  const latest = mode === 'graded' ? graded : practice;
  // Before any answer in this mode the learner sees the first graded variant (practice rounds are
  // dealt only after the graded attempts, so a practice report finds a graded answer at least).
  const variant = latest?.variant ?? graded?.variant ?? variantIndexFor(found.question.policy, 1);
  return db.problemReport.create({
    data: {
      learnerId,
      questionId: input.questionId,
      mode,
      variant,
      answer: latest?.answer ?? null,
      text: input.text,
      createdAt: now,
    },
    select: { id: true, questionId: true, mode: true, variant: true, answer: true, createdAt: true },
  }) as Promise<StoredReport>;
}

/** POST /api/learner/reports  200 | 400 401 403 413 422 429 */
export function postProblemReportHandler(request: Request, db: Db): Promise<Response> {
  return handle(async () => {
    assertSameOrigin(request);
    await limitLearnerCall(request);
    const input = parseOrThrow(problemReportSchema, await readJson(request, MAX_REPORT_BYTES));
    const session = await requireSession(db, request);
    const report = await createProblemReport(db, session.learnerId, input);
    return json({ report: { id: report.id, createdAt: report.createdAt.toISOString() } });
  });
}

export interface ClassReportRow {
  id: string;
  learnerId: string;
  learnerName: string;
  questionId: string;
  /** The question's prompt as the dashboards store it (may contain $…$ math). */
  prompt: string | null;
  position: number | null;
  mode: 'graded' | 'practice';
  variant: number;
  /** The stored answer, made readable: "choice B", "value = 0.25", or null before any answer. */
  answer: string | null;
  text: string;
  createdAt: Date;
}

export interface ClassReports {
  cohort: OwnedCohort['cohort'];
  rows: ClassReportRow[];
  /** Reports in the class (the page shows the newest `limit`). */
  total: number;
}

const choiceAnswer = z.object({ choice: z.string() });
const partsAnswer = z.object({ parts: z.record(z.string(), z.union([z.number(), z.string(), z.null()])) });
const expressionAnswer = z.object({ expression: z.string() });

/** A stored answer (canonical JSON) in words an instructor reads at a glance. */
export function describeAnswer(answer: string | null): string | null {
  if (answer === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(answer);
  } catch {
    return answer.slice(0, 200);
  }
  const choice = choiceAnswer.safeParse(value);
  if (choice.success) return `choice ${choice.data.choice}`;
  const parts = partsAnswer.safeParse(value);
  if (parts.success) {
    return Object.entries(parts.data.parts)
      .map(([part, partValue]) => `${part} = ${String(partValue)}`)
      .join(', ');
  }
  const expression = expressionAnswer.safeParse(value);
  if (expression.success) return expression.data.expression;
  return answer.slice(0, 200);
}

/** The newest reports from this class's learners, for its staff (owner, instructor or TA). */
export async function classProblemReports(
  db: Db,
  headers: Headers,
  cohortId: unknown,
  limit = 200,
): Promise<ClassReports> {
  const { cohort } = await requireOwnedCohort(db, headers, cohortId);
  const where = { learner: { enrollments: { some: { cohortId: cohort.id } } } };
  const [reports, total] = await Promise.all([
    db.problemReport.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: limit,
      select: {
        id: true,
        learnerId: true,
        questionId: true,
        mode: true,
        variant: true,
        answer: true,
        text: true,
        createdAt: true,
        learner: { select: { id: true, displayName: true } },
        question: { select: { prompt: true, position: true } },
      },
    }),
    db.problemReport.count({ where }),
  ]);
  return {
    cohort,
    total,
    rows: reports.map((report) => ({
      id: report.id,
      learnerId: report.learnerId,
      learnerName: learnerLabel(report.learner),
      questionId: report.questionId,
      prompt: report.question.prompt,
      position: report.question.position,
      mode: report.mode === 'practice' ? 'practice' : 'graded',
      variant: report.variant,
      answer: describeAnswer(report.answer),
      text: report.text,
      createdAt: report.createdAt,
    })),
  };
}
