/**
 * The class overview: one row per learner, with a "stuck" flag, and the sort and filter
 * helpers the table uses. The caller aggregates counts from the database; this module only
 * combines them, so the rule for "stuck" lives in one testable place.
 */
import { MS_PER_DAY, toEpochMs, type Instant } from './instant';
import {
  computeMastery,
  defaultMasteryConfig,
  type MasteryAttempt,
  type MasteryConfig,
  type MasteryLevel,
  type SkillMastery,
} from './mastery';
import { SKILLS, type Skill } from './skills';

export interface LearnerActivity {
  learnerId: string;
  displayName: string;
  sectionsRead: number;
  widgetsUsed: number;
  /** Latest quiz score, 0..1; null before the first submission. */
  quizScore: number | null;
  /** Every graded attempt, any order; feeds the stuck rule (and mastery when `evidence` is absent). */
  attempts: readonly MasteryAttempt[];
  /**
   * Mastery evidence: graded and practice attempts, one entry per answer and part skill, as
   * lib/quiz/mastery.ts skillEvidence builds it for the learner's own panel too (docs/decisions/014).
   */
  evidence?: readonly MasteryAttempt[];
  lastActiveAt: Instant | null;
}

export interface StuckRule {
  /** Wrong answers in a row on one skill (since the last right one) before we worry. */
  minWrongOnSkill: number;
  /** Days since the last right answer on that skill (or since the first try, if never right). */
  inactiveDays: number;
}

export const defaultStuckRule: Readonly<StuckRule> = { minWrongOnSkill: 3, inactiveDays: 3 };

export interface StuckSkill {
  skill: Skill;
  wrongInARow: number;
  daysWithoutProgress: number;
}

export interface ClassOverviewRow {
  learnerId: string;
  displayName: string;
  sectionsRead: number;
  widgetsUsed: number;
  quizScore: number | null;
  mastery: Record<Skill, SkillMastery>;
  lastActiveAt: number | null;
  /** Skills this learner is stuck on; empty when not stuck. */
  stuckOn: StuckSkill[];
  stuck: boolean;
}

export interface ClassOverviewOptions {
  /** Injected so tests and cached pages agree on what "now" is. */
  now: Instant;
  stuckRule?: StuckRule;
  masteryConfig?: MasteryConfig;
}

/**
 * A learner is stuck on a skill when both hold:
 *  1. their last `minWrongOnSkill` or more answers on it were all wrong (score < 1), and
 *  2. at least `inactiveDays` days have passed since their last right answer on it, or since
 *     their first try if they have never got it right.
 * Both, because three quick wrong answers a minute ago are ordinary practice, and a week-old
 * single mistake is not a pattern.
 */
export function findStuckSkills(
  attempts: readonly MasteryAttempt[],
  now: Instant,
  rule: StuckRule = defaultStuckRule,
): StuckSkill[] {
  const nowMs = toEpochMs(now);
  const ordered = [...attempts].sort((a, b) => toEpochMs(a.at) - toEpochMs(b.at));
  const stuck: StuckSkill[] = [];
  for (const skill of SKILLS) {
    const forSkill = ordered.filter((attempt) => attempt.skill === skill);
    const first = forSkill[0];
    if (first === undefined) continue;
    let lastCorrectIndex = -1;
    forSkill.forEach((attempt, index) => {
      if (attempt.score >= 1) lastCorrectIndex = index;
    });
    const wrongInARow = forSkill.length - 1 - lastCorrectIndex;
    if (wrongInARow < rule.minWrongOnSkill) continue;
    const progressAt = lastCorrectIndex >= 0 ? (forSkill[lastCorrectIndex]?.at ?? first.at) : first.at;
    const daysWithoutProgress = (nowMs - toEpochMs(progressAt)) / MS_PER_DAY;
    if (daysWithoutProgress >= rule.inactiveDays) stuck.push({ skill, wrongInARow, daysWithoutProgress });
  }
  return stuck;
}

export function buildClassOverview(
  learners: readonly LearnerActivity[],
  options: ClassOverviewOptions,
): ClassOverviewRow[] {
  const rule = options.stuckRule ?? defaultStuckRule;
  const masteryConfig = options.masteryConfig ?? defaultMasteryConfig;
  return learners.map((learner) => {
    const stuckOn = findStuckSkills(learner.attempts, options.now, rule);
    return {
      learnerId: learner.learnerId,
      displayName: learner.displayName,
      sectionsRead: learner.sectionsRead,
      widgetsUsed: learner.widgetsUsed,
      quizScore: learner.quizScore,
      mastery: computeMastery(learner.evidence ?? learner.attempts, masteryConfig),
      lastActiveAt: learner.lastActiveAt === null ? null : toEpochMs(learner.lastActiveAt),
      stuckOn,
      stuck: stuckOn.length > 0,
    };
  });
}

export type ClassOverviewSortKey = 'name' | 'score' | 'lastActive' | 'stuck' | 'sectionsRead';
export type SortDirection = 'asc' | 'desc';

// A fixed locale keeps the order identical on server and client; numeric so "Learner 2" < "Learner 10".
const nameCollator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

function sortValue(row: ClassOverviewRow, key: Exclude<ClassOverviewSortKey, 'name'>): number | null {
  switch (key) {
    case 'score':
      return row.quizScore;
    case 'lastActive':
      return row.lastActiveAt;
    case 'stuck':
      return row.stuckOn.length;
    case 'sectionsRead':
      return row.sectionsRead;
  }
}

/** A sorted copy. Missing values (no score, never active) go last in both directions; ties sort by name. */
export function sortClassOverview(
  rows: readonly ClassOverviewRow[],
  key: ClassOverviewSortKey,
  direction: SortDirection = 'asc',
): ClassOverviewRow[] {
  const sign = direction === 'asc' ? 1 : -1;
  const byName = (a: ClassOverviewRow, b: ClassOverviewRow) =>
    nameCollator.compare(a.displayName, b.displayName) || a.learnerId.localeCompare(b.learnerId);
  return [...rows].sort((a, b) => {
    if (key === 'name') return sign * byName(a, b);
    const left = sortValue(a, key);
    const right = sortValue(b, key);
    if (left === null && right === null) return byName(a, b);
    if (left === null) return 1;
    if (right === null) return -1;
    return sign * (left - right) || byName(a, b);
  });
}

export interface ClassOverviewFilter {
  /** Case- and accent-insensitive substring of the display name. */
  nameContains?: string;
  stuckOnly?: boolean;
  /** Keep learners whose mastery of `skill` is one of `levels`. */
  mastery?: { skill: Skill; levels: readonly MasteryLevel[] };
  /** Keep learners not seen for at least this many days before `now` (never-active learners included). */
  inactiveForDays?: { days: number; now: Instant };
}

function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('en');
}

export function filterClassOverview(
  rows: readonly ClassOverviewRow[],
  filter: ClassOverviewFilter,
): ClassOverviewRow[] {
  const needle = filter.nameContains === undefined ? '' : foldForSearch(filter.nameContains.trim());
  return rows.filter((row) => {
    if (needle !== '' && !foldForSearch(row.displayName).includes(needle)) return false;
    if (filter.stuckOnly === true && !row.stuck) return false;
    if (filter.mastery !== undefined && !filter.mastery.levels.includes(row.mastery[filter.mastery.skill].level))
      return false;
    if (filter.inactiveForDays !== undefined) {
      const { days, now } = filter.inactiveForDays;
      if (row.lastActiveAt !== null && toEpochMs(now) - row.lastActiveAt < days * MS_PER_DAY) return false;
    }
    return true;
  });
}
