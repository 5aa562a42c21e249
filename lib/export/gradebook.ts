/**
 * The gradebook download (issue 19): one row per learner with the score and how far they got, the
 * shape an LMS gradebook import or a spreadsheet expects. Pure: the server fills the rows.
 */
import type { CsvColumn } from './csv';

export type GradebookStatus = 'not started' | 'in progress' | 'complete';

export interface GradebookRow {
  learnerId: string;
  name: string;
  joinedAt: Date;
  /** 0..1: the knowledge-check score the class overview shows (latest attempt per question, unanswered 0), null before any answer. */
  score: number | null;
  questionsAnswered: number;
  questionsTotal: number;
  sectionsRead: number;
  sectionsTotal: number;
  lastActiveAt: number | null;
}

/** Not started: nothing read, nothing answered. Complete: every question answered. */
export function gradebookStatus(
  row: Pick<GradebookRow, 'questionsAnswered' | 'questionsTotal' | 'sectionsRead'>,
): GradebookStatus {
  if (row.questionsAnswered === 0 && row.sectionsRead === 0) return 'not started';
  return row.questionsTotal > 0 && row.questionsAnswered >= row.questionsTotal ? 'complete' : 'in progress';
}

/** A share as a percentage with one decimal, the way a gradebook shows it (null stays empty). */
export function percentOf(part: number | null, whole = 1): number | null {
  if (part === null || whole <= 0) return null;
  return Math.round((part / whole) * 1000) / 10;
}

export const gradebookCsvColumns: CsvColumn<GradebookRow>[] = [
  { header: 'learner_id', value: (row) => row.learnerId },
  { header: 'name', value: (row) => row.name },
  { header: 'status', value: (row) => gradebookStatus(row) },
  { header: 'score_percent', value: (row) => percentOf(row.score) },
  { header: 'questions_answered', value: (row) => row.questionsAnswered },
  { header: 'questions_total', value: (row) => row.questionsTotal },
  { header: 'completion_percent', value: (row) => percentOf(row.questionsAnswered, row.questionsTotal) },
  { header: 'sections_read', value: (row) => row.sectionsRead },
  { header: 'sections_total', value: (row) => row.sectionsTotal },
  { header: 'joined_at', value: (row) => row.joinedAt.toISOString() },
  {
    header: 'last_active',
    value: (row) => (row.lastActiveAt === null ? null : new Date(row.lastActiveAt).toISOString()),
  },
];
