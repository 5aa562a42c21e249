import { computeMastery, defaultMasteryConfig, type MasteryLevel } from '@/lib/analytics/mastery';

import type { Grading } from './grading';
import type { PublicQuestion, Skill } from './schema';

/**
 * The learner's mastery per skill, from their graded attempts. The model itself (recency-weighted
 * accuracy) is lib/analytics/mastery.ts, shared with the instructor dashboards. What this adds:
 * how a graded response turns into per-skill evidence, and a lesson-sized bar for "mastered".
 */

export const SKILL_LABELS: Readonly<Record<Skill, string>> = {
  'local-derivative': 'Local derivatives',
  'chain-product': 'Chain-rule products',
  'sum-over-paths': 'Sums over paths',
  'gradient-step': 'Gradient steps',
  concepts: 'Concepts',
};

export interface MasteryView {
  skill: Skill;
  label: string;
  level: MasteryLevel;
  /** Recency-weighted accuracy 0..1, null before the first attempt. */
  value: number | null;
  attempts: number;
}

export interface GradedAttempt {
  questionId: string;
  grading: Grading;
  at: Date | number;
}

/** Skill of each part of a question (a choice question is one part). */
function partSkills(question: PublicQuestion): Map<string, Skill> {
  if (question.kind === 'single-choice') return new Map([['choice', question.skill]]);
  return new Map(question.parts.map((part) => [part.id, part.skill ?? question.skill]));
}

interface LessonSkills {
  byId: ReadonlyMap<string, PublicQuestion>;
  skillsOf: ReadonlyMap<string, ReadonlyMap<string, Skill>>;
  questionsPerSkill: ReadonlyMap<Skill, number>;
  /** The lesson's skills in SKILL_LABELS order. */
  skillOrder: readonly Skill[];
}

/** What lessonMastery needs from the questions alone, once per (immutable) questions array. */
const lessonSkillsMemo = new WeakMap<readonly PublicQuestion[], LessonSkills>();

function lessonSkills(questions: readonly PublicQuestion[]): LessonSkills {
  const known = lessonSkillsMemo.get(questions);
  if (known) return known;
  const skillsOf = new Map(questions.map((question) => [question.id, partSkills(question)]));
  const questionsPerSkill = new Map<Skill, number>();
  for (const question of questions) {
    for (const skill of new Set(skillsOf.get(question.id)!.values())) {
      questionsPerSkill.set(skill, (questionsPerSkill.get(skill) ?? 0) + 1);
    }
  }
  const order = Object.keys(SKILL_LABELS);
  const computed: LessonSkills = {
    byId: new Map(questions.map((question) => [question.id, question])),
    skillsOf,
    questionsPerSkill,
    skillOrder: [...questionsPerSkill.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b)),
  };
  lessonSkillsMemo.set(questions, computed);
  return computed;
}

/**
 * One piece of evidence per (response, skill): the mean score of the response's parts for that
 * skill. A skill is "mastered" after min(3, questions that train it in this lesson) attempts, so
 * a skill the lesson practises with one question can still be mastered in it.
 */
export function lessonMastery(questions: readonly PublicQuestion[], attempts: readonly GradedAttempt[]): MasteryView[] {
  const { byId, skillsOf, questionsPerSkill, skillOrder } = lessonSkills(questions);
  const evidence: { skill: Skill; score: number; at: Date | number }[] = [];
  for (const attempt of attempts) {
    const question = byId.get(attempt.questionId);
    if (!question) continue;
    const skills = skillsOf.get(question.id)!;
    const scores = new Map<Skill, number[]>();
    for (const part of attempt.grading.parts) {
      const skill = skills.get(part.id) ?? question.skill;
      scores.set(skill, [...(scores.get(skill) ?? []), part.score]);
    }
    for (const [skill, partScores] of scores) {
      evidence.push({
        skill,
        score: partScores.reduce((sum, score) => sum + score, 0) / partScores.length,
        at: attempt.at,
      });
    }
  }
  return skillOrder.map((skill) => {
    const config = {
      ...defaultMasteryConfig,
      minAttemptsForMastery: Math.min(defaultMasteryConfig.minAttemptsForMastery, questionsPerSkill.get(skill) ?? 1),
    };
    const mastery = computeMastery(
      evidence.filter((entry) => entry.skill === skill),
      config,
    )[skill];
    return {
      skill,
      label: SKILL_LABELS[skill],
      level: mastery.level,
      value: mastery.value,
      attempts: mastery.attempts,
    };
  });
}
