import { describe, expect, it } from 'vitest';

import {
  buildClassOverview,
  filterClassOverview,
  findStuckSkills,
  sortClassOverview,
  type LearnerActivity,
} from './class-overview';
import type { MasteryAttempt } from './mastery';

const day = 86_400_000;
const now = 20 * day;

function wrongs(skill: MasteryAttempt['skill'], days: number[]): MasteryAttempt[] {
  return days.map((d) => ({ skill, score: 0, at: d * day }));
}

describe('findStuckSkills (3 wrong in a row and 3 days without progress)', () => {
  it('is stuck after 3 wrong answers on a skill never answered right, first tried ≥ 3 days ago', () => {
    // first try day 15 → 20 − 15 = 5 days without progress
    expect(findStuckSkills(wrongs('chain-product', [15, 16, 19]), now)).toEqual([
      { skill: 'chain-product', wrongInARow: 3, daysWithoutProgress: 5 },
    ]);
  });

  it('is not stuck with only 2 wrong answers, however old', () => {
    expect(findStuckSkills(wrongs('chain-product', [1, 2]), now)).toEqual([]);
  });

  it('is not stuck when the wrong streak started less than 3 days ago', () => {
    // first try day 18 → 2 days
    expect(findStuckSkills(wrongs('chain-product', [18, 19, 19.5]), now)).toEqual([]);
  });

  it('counts only the wrong answers after the last right one, and measures from that right answer', () => {
    const attempts: MasteryAttempt[] = [
      ...wrongs('sum-over-paths', [1, 2, 3]),
      { skill: 'sum-over-paths', score: 1, at: 10 * day },
      ...wrongs('sum-over-paths', [11, 12]),
    ];
    // 2 wrong since the right answer on day 10 → not stuck
    expect(findStuckSkills(attempts, now)).toEqual([]);
    // one more wrong → 3 in a row; 20 − 10 = 10 days since progress → stuck
    expect(findStuckSkills([...attempts, ...wrongs('sum-over-paths', [13])], now)).toEqual([
      { skill: 'sum-over-paths', wrongInARow: 3, daysWithoutProgress: 10 },
    ]);
  });

  it('treats partial credit as wrong, and honours a custom rule', () => {
    const partial = [0.5, 0.5].map((score, k) => ({ skill: 'gradient-step' as const, score, at: k * day }));
    expect(findStuckSkills(partial, now, { minWrongOnSkill: 2, inactiveDays: 7 })).toEqual([
      { skill: 'gradient-step', wrongInARow: 2, daysWithoutProgress: 20 },
    ]);
  });

  it('is exactly at the boundary: 3 days counts', () => {
    expect(findStuckSkills(wrongs('concepts', [17, 17, 17]), now)).toHaveLength(1);
  });
});

const learners: LearnerActivity[] = [
  {
    learnerId: 'u1',
    displayName: 'Ana',
    sectionsRead: 5,
    widgetsUsed: 3,
    quizScore: 0.9,
    attempts: [{ skill: 'concepts', score: 1, at: 19 * day }],
    lastActiveAt: 19 * day,
  },
  {
    learnerId: 'u2',
    displayName: 'José',
    sectionsRead: 2,
    widgetsUsed: 0,
    quizScore: 0.2,
    attempts: wrongs('chain-product', [10, 11, 12]),
    lastActiveAt: new Date(12 * day),
  },
  {
    learnerId: 'u3',
    displayName: 'Learner 10',
    sectionsRead: 0,
    widgetsUsed: 0,
    quizScore: null,
    attempts: [],
    lastActiveAt: null,
  },
  {
    learnerId: 'u4',
    displayName: 'Learner 2',
    sectionsRead: 7,
    widgetsUsed: 4,
    quizScore: 0.2,
    attempts: [],
    lastActiveAt: 18 * day,
  },
];

describe('buildClassOverview', () => {
  const rows = buildClassOverview(learners, { now });

  it('combines counts, mastery and the stuck flag', () => {
    const jose = rows.find((row) => row.learnerId === 'u2');
    expect(jose).toMatchObject({ sectionsRead: 2, quizScore: 0.2, lastActiveAt: 12 * day, stuck: true });
    expect(jose?.stuckOn).toEqual([{ skill: 'chain-product', wrongInARow: 3, daysWithoutProgress: 10 }]);
    expect(jose?.mastery['chain-product']).toMatchObject({ level: 'practising', value: 0, attempts: 3 });
    const ana = rows.find((row) => row.learnerId === 'u1');
    expect(ana?.stuck).toBe(false);
    expect(ana?.mastery.concepts.level).toBe('practising');
  });

  it('sorts by name with numbers in natural order', () => {
    expect(sortClassOverview(rows, 'name').map((row) => row.displayName)).toEqual([
      'Ana',
      'José',
      'Learner 2',
      'Learner 10',
    ]);
    expect(sortClassOverview(rows, 'name', 'desc').map((row) => row.displayName)).toEqual([
      'Learner 10',
      'Learner 2',
      'José',
      'Ana',
    ]);
  });

  it('sorts by score with ties by name and missing scores last in both directions', () => {
    expect(sortClassOverview(rows, 'score').map((row) => row.learnerId)).toEqual(['u2', 'u4', 'u1', 'u3']);
    expect(sortClassOverview(rows, 'score', 'desc').map((row) => row.learnerId)).toEqual(['u1', 'u2', 'u4', 'u3']);
  });

  it('sorts by last active and by stuck', () => {
    expect(sortClassOverview(rows, 'lastActive', 'desc').map((row) => row.learnerId)).toEqual(['u1', 'u4', 'u2', 'u3']);
    expect(sortClassOverview(rows, 'stuck', 'desc')[0]?.learnerId).toBe('u2');
  });

  it('does not reorder its input', () => {
    const before = rows.map((row) => row.learnerId);
    sortClassOverview(rows, 'score', 'desc');
    expect(rows.map((row) => row.learnerId)).toEqual(before);
  });

  it('filters by name ignoring case and accents, by stuck, by mastery and by inactivity', () => {
    expect(filterClassOverview(rows, { nameContains: ' jose ' }).map((row) => row.learnerId)).toEqual(['u2']);
    expect(filterClassOverview(rows, { nameContains: 'LEARNER' })).toHaveLength(2);
    expect(filterClassOverview(rows, { stuckOnly: true }).map((row) => row.learnerId)).toEqual(['u2']);
    expect(
      filterClassOverview(rows, { mastery: { skill: 'concepts', levels: ['not started'] } }).map(
        (row) => row.learnerId,
      ),
    ).toEqual(['u2', 'u3', 'u4']);
    // inactive ≥ 5 days before day 20: José (last day 12) and the never-active learner
    expect(filterClassOverview(rows, { inactiveForDays: { days: 5, now } }).map((row) => row.learnerId)).toEqual([
      'u2',
      'u3',
    ]);
    expect(filterClassOverview(rows, {})).toHaveLength(4);
  });
});
