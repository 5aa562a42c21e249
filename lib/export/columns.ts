/**
 * Column layouts for the two CSV exports, so the route handlers only fetch rows. Learners are
 * listed by pseudonymous id and display name only; timestamps are ISO 8601 UTC, which
 * spreadsheets sort correctly as text.
 */
import type { ClassOverviewRow } from '@/lib/analytics/class-overview';
import type { Instant } from '@/lib/analytics/instant';
import { SKILLS, type Skill } from '@/lib/analytics/skills';

import type { CsvColumn } from './csv';

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function classOverviewCsvColumns(skills: readonly Skill[] = SKILLS): CsvColumn<ClassOverviewRow>[] {
  return [
    { header: 'learner_id', value: (row) => row.learnerId },
    { header: 'name', value: (row) => row.displayName },
    { header: 'sections_read', value: (row) => row.sectionsRead },
    { header: 'widgets_used', value: (row) => row.widgetsUsed },
    { header: 'quiz_score', value: (row) => row.quizScore },
    { header: 'last_active', value: (row) => isoOrNull(row.lastActiveAt) },
    { header: 'stuck', value: (row) => row.stuck },
    { header: 'stuck_on', value: (row) => row.stuckOn.map((s) => s.skill).join('; ') },
    ...skills.flatMap((skill): CsvColumn<ClassOverviewRow>[] => [
      { header: `mastery_${skill}`, value: (row) => row.mastery[skill].level },
      { header: `mastery_${skill}_value`, value: (row) => row.mastery[skill].value },
    ]),
  ];
}

/** One graded attempt, as the "all responses" export lists it. */
export interface ResponseExportRow {
  learnerId: string;
  questionId: string;
  skill: string;
  attemptNumber: number;
  startedAt: Instant | null;
  submittedAt: Instant;
  score: number;
  selectedOptionId: string | null;
  response: string | null;
  misconceptionTags: readonly string[];
}

const toDate = (instant: Instant | null): Date | null => (instant === null ? null : new Date(instant));

export const responseCsvColumns: readonly CsvColumn<ResponseExportRow>[] = [
  { header: 'learner_id', value: (row) => row.learnerId },
  { header: 'question_id', value: (row) => row.questionId },
  { header: 'skill', value: (row) => row.skill },
  { header: 'attempt', value: (row) => row.attemptNumber },
  { header: 'started_at', value: (row) => toDate(row.startedAt) },
  { header: 'submitted_at', value: (row) => toDate(row.submittedAt) },
  { header: 'score', value: (row) => row.score },
  { header: 'correct', value: (row) => row.score >= 1 },
  { header: 'selected_option', value: (row) => row.selectedOptionId },
  // Free text typed by learners: the reason the injection guard exists.
  { header: 'response', value: (row) => row.response },
  { header: 'misconceptions', value: (row) => row.misconceptionTags.join('; ') },
];
