/**
 * Per-skill mastery, shared by the instructor dashboards and the learner's own progress display.
 *
 * The model is a recency-weighted accuracy: the newest attempt counts 1, the one before it 0.6,
 * the one before that 0.36, and so on. A teacher can check it with a pencil, and recent work
 * outweighs early mistakes, which is what "has this learner got it now?" asks. A skill is
 * mastered after at least 3 attempts with a weighted accuracy of 0.8 or more. Why this and not
 * Bayesian Knowledge Tracing: docs/decisions/007-item-statistics.md.
 */
import { toEpochMs, type Instant } from './instant';
import { SKILLS, type Skill } from './skills';

export interface MasteryAttempt {
  skill: Skill;
  /** Fraction of marks, 0..1. */
  score: number;
  at: Instant;
}

export const MASTERY_LEVELS = ['not started', 'practising', 'mastered'] as const;
export type MasteryLevel = (typeof MASTERY_LEVELS)[number];

export interface SkillMastery {
  level: MasteryLevel;
  /** Recency-weighted accuracy, 0..1; null before the first attempt. */
  value: number | null;
  attempts: number;
  /** Epoch ms of the latest attempt, or null. */
  lastAttemptAt: number | null;
}

export interface MasteryConfig {
  /** Weight of each attempt relative to the next newer one, in (0, 1]. 1 means a plain average. */
  decay: number;
  masteredThreshold: number;
  minAttemptsForMastery: number;
}

export const defaultMasteryConfig: Readonly<MasteryConfig> = {
  decay: 0.6,
  masteredThreshold: 0.8,
  minAttemptsForMastery: 3,
};

/** Weighted accuracy of scores given oldest first. */
export function recencyWeightedAccuracy(scoresOldestFirst: readonly number[], decay: number): number | null {
  if (scoresOldestFirst.length === 0) return null;
  let weight = 1;
  let weightedSum = 0;
  let totalWeight = 0;
  for (let k = scoresOldestFirst.length - 1; k >= 0; k--) {
    weightedSum += weight * (scoresOldestFirst[k] ?? 0);
    totalWeight += weight;
    weight *= decay;
  }
  return weightedSum / totalWeight;
}

export function masteryLevelFor(
  value: number | null,
  attempts: number,
  config: MasteryConfig = defaultMasteryConfig,
): MasteryLevel {
  if (value === null || attempts === 0) return 'not started';
  if (attempts >= config.minAttemptsForMastery && value >= config.masteredThreshold) return 'mastered';
  return 'practising';
}

/** Mastery for every skill (skills without attempts are 'not started'). Attempt order in the input does not matter. */
export function computeMastery(
  attempts: readonly MasteryAttempt[],
  config: MasteryConfig = defaultMasteryConfig,
): Record<Skill, SkillMastery> {
  if (!(config.decay > 0 && config.decay <= 1)) throw new RangeError('decay must be in (0, 1]');
  // Stable sort: attempts with equal times keep their input order.
  const ordered = [...attempts].sort((a, b) => toEpochMs(a.at) - toEpochMs(b.at));
  const result = {} as Record<Skill, SkillMastery>;
  for (const skill of SKILLS) {
    const forSkill = ordered.filter((attempt) => attempt.skill === skill);
    const value = recencyWeightedAccuracy(
      forSkill.map((attempt) => attempt.score),
      config.decay,
    );
    const last = forSkill[forSkill.length - 1];
    result[skill] = {
      level: masteryLevelFor(value, forSkill.length, config),
      value,
      attempts: forSkill.length,
      lastAttemptAt: last === undefined ? null : toEpochMs(last.at),
    };
  }
  return result;
}
