/**
 * Per-skill mastery: the one model behind the learner's progress panel and the instructor's class
 * overview (both reach it through lib/quiz/mastery.ts, which turns graded and practice attempts
 * into the evidence below).
 *
 * The rule, chosen so that the label never contradicts the numbers shown beside it
 * (docs/decisions/014-learner-state-and-mastery.md, superseding the recency-weighted accuracy of
 * 007):
 *  - each piece of evidence is one answer's parts on one skill, right when all of them were right;
 *  - a skill is "mastered" when the learner's latest `streakForMastery` (3) answers on it were all
 *    right; a wrong answer after that takes it back to "practising";
 *  - `progress`, the bar, is the right answers in a row out of the 3 needed, so a full bar means
 *    mastered and nothing else; `correct` of `attempts` is the evidence a person can check.
 */
import { toEpochMs, type Instant } from './instant';
import { SKILLS, type Skill } from './skills';

export interface MasteryAttempt {
  skill: Skill;
  /** Fraction of marks, 0..1. The answer counts as right only at 1 (partial credit is not mastery). */
  score: number;
  at: Instant;
}

export const MASTERY_LEVELS = ['not started', 'practising', 'mastered'] as const;
export type MasteryLevel = (typeof MASTERY_LEVELS)[number];

export interface SkillMastery {
  level: MasteryLevel;
  /** Share of answers on this skill that were right, 0..1; null before the first answer. */
  value: number | null;
  /** Answers on this skill (graded and practice). */
  attempts: number;
  /** Of which right. */
  correct: number;
  /** Right answers in a row, counting back from the newest. */
  streak: number;
  /** Progress toward mastery, 0..1: min(streak, streakForMastery) / streakForMastery. 1 only when mastered. */
  progress: number;
  /** Epoch ms of the latest answer, or null. */
  lastAttemptAt: number | null;
}

export interface MasteryConfig {
  /** Right answers in a row, newest back, that make a skill mastered. */
  streakForMastery: number;
}

export const defaultMasteryConfig: Readonly<MasteryConfig> = { streakForMastery: 3 };

/** An answer is right when it earned every mark. */
export function isRight(score: number): boolean {
  return score >= 1;
}

/** Mastery of one skill from its scores, oldest first. */
export function skillMasteryOf(
  scoresOldestFirst: readonly number[],
  lastAttemptAt: number | null,
  config: MasteryConfig = defaultMasteryConfig,
): SkillMastery {
  const need = config.streakForMastery;
  const attempts = scoresOldestFirst.length;
  const correct = scoresOldestFirst.filter(isRight).length;
  let streak = 0;
  for (let k = attempts - 1; k >= 0 && isRight(scoresOldestFirst[k] ?? 0); k--) streak++;
  const level: MasteryLevel = attempts === 0 ? 'not started' : streak >= need ? 'mastered' : 'practising';
  return {
    level,
    value: attempts === 0 ? null : correct / attempts,
    attempts,
    correct,
    streak,
    progress: Math.min(streak, need) / need,
    lastAttemptAt: attempts === 0 ? null : lastAttemptAt,
  };
}

/** Mastery for every skill (skills without answers are 'not started'). Input order does not matter. */
export function computeMastery(
  attempts: readonly MasteryAttempt[],
  config: MasteryConfig = defaultMasteryConfig,
): Record<Skill, SkillMastery> {
  if (!(Number.isInteger(config.streakForMastery) && config.streakForMastery >= 1)) {
    throw new RangeError('streakForMastery must be a whole number of at least 1');
  }
  // Stable sort: answers with equal times keep their input order.
  const ordered = [...attempts].sort((a, b) => toEpochMs(a.at) - toEpochMs(b.at));
  const result = {} as Record<Skill, SkillMastery>;
  for (const skill of SKILLS) {
    const forSkill = ordered.filter((attempt) => attempt.skill === skill);
    const last = forSkill[forSkill.length - 1];
    result[skill] = skillMasteryOf(
      forSkill.map((attempt) => attempt.score),
      last === undefined ? null : toEpochMs(last.at),
      config,
    );
  }
  return result;
}
