import { describe, expect, it } from 'vitest';

import { toCsvString } from './csv';
import { gradebookCsvColumns, gradebookStatus, percentOf, type GradebookRow } from './gradebook';

const row = (overrides: Partial<GradebookRow>): GradebookRow => ({
  learnerId: 'l1',
  name: 'Ada',
  joinedAt: new Date('2026-12-01T10:00:00Z'),
  score: null,
  questionsAnswered: 0,
  questionsTotal: 8,
  sectionsRead: 0,
  sectionsTotal: 14,
  lastActiveAt: null,
  ...overrides,
});

describe('gradebook', () => {
  it('tells not started, in progress and complete apart', () => {
    expect(gradebookStatus(row({}))).toBe('not started');
    expect(gradebookStatus(row({ sectionsRead: 1 }))).toBe('in progress');
    expect(gradebookStatus(row({ questionsAnswered: 7 }))).toBe('in progress');
    expect(gradebookStatus(row({ questionsAnswered: 8 }))).toBe('complete');
  });

  it('rounds percentages to one decimal, by hand: 5/8 = 62.5, 2/3 = 66.7, 0.12345 = 12.3', () => {
    expect(percentOf(5, 8)).toBe(62.5);
    expect(percentOf(2, 3)).toBe(66.7);
    expect(percentOf(0.12345)).toBe(12.3);
    expect(percentOf(null)).toBeNull();
    expect(percentOf(1, 0)).toBeNull();
  });

  it('writes one row per learner with a formula-guarded name', async () => {
    const csv = await toCsvString(
      [
        row({
          name: '=HYPERLINK("x")',
          score: 0.625,
          questionsAnswered: 5,
          sectionsRead: 3,
          lastActiveAt: Date.UTC(2026, 11, 2),
        }),
      ],
      gradebookCsvColumns,
    );
    const [header, first] = csv.trim().split(/\r?\n/);
    expect(header).toBe(
      'learner_id,name,status,score_percent,questions_answered,questions_total,completion_percent,sections_read,sections_total,joined_at,last_active',
    );
    expect(first).toContain("'=HYPERLINK");
    expect(first).toContain(',in progress,62.5,5,8,62.5,3,14,2026-12-01T10:00:00.000Z,2026-12-02T00:00:00.000Z');
  });
});
