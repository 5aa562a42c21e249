import {
  computeMastery,
  defaultMasteryConfig,
  type MasteryAttempt,
  type MasteryConfig,
  type MasteryLevel,
  type SkillMastery,
} from '@/lib/analytics/mastery';
import type { Skill } from '@/lib/analytics/skills';

import type { PublicQuestion } from './schema';

/**
 * How answers become mastery evidence, for the learner's progress panel (quiz service) and the
 * instructor's class overview alike: both call masteryBySkill / lessonMastery below with the
 * learner's graded and practice attempts, so the two show the same numbers. The model itself
 * (3 right in a row) is lib/analytics/mastery.ts; the reasons are in docs/decisions/014.
 */

export const SKILL_LABELS: Readonly<Record<Skill, string>> = {
  'local-derivative': 'Local derivatives',
  'chain-product': 'Chain-rule products',
  'sum-over-paths': 'Sums over paths',
  'gradient-step': 'Gradient steps',
  concepts: 'Concepts',
};

export interface MasteryView extends SkillMastery {
  skill: Skill;
  label: string;
  /** Right answers in a row that make the skill mastered. */
  streakForMastery: number;
  /** The evidence in words, e.g. "2 of 3 correct on local derivatives". */
  evidence: string;
}

/** What counts as an attempt here: its grading's parts are enough (answers are not read). */
export interface EvidenceAttempt {
  questionId: string;
  grading: { parts: readonly { id: string; score: number }[] };
  at: Date | number;
  /**
   * Graded attempts feed the score and gradebook; practice on fresh numbers does not, but both are
   * evidence of skill, so both count here.
   */
  mode: 'graded' | 'practice';
}

/** Skill of each part of a question (a question without parts is one part with its own skill). */
function partSkills(question: PublicQuestion): Map<string, Skill> {
  if (!('parts' in question) || !Array.isArray(question.parts)) return new Map();
  return new Map(
    (question.parts as readonly { id: string; skill?: Skill }[]).map((part) => [part.id, part.skill ?? question.skill]),
  );
}

interface QuestionSkills {
  byId: ReadonlyMap<string, PublicQuestion>;
  skillsOf: ReadonlyMap<string, ReadonlyMap<string, Skill>>;
  /** The skills these questions train, in SKILL_LABELS order. */
  skillOrder: readonly Skill[];
}

/** What the evidence needs from the questions alone, once per (immutable) questions array. */
const questionSkillsMemo = new WeakMap<readonly PublicQuestion[], QuestionSkills>();

function questionSkills(questions: readonly PublicQuestion[]): QuestionSkills {
  const known = questionSkillsMemo.get(questions);
  if (known) return known;
  const skillsOf = new Map(questions.map((question) => [question.id, partSkills(question)]));
  const trained = new Set<Skill>();
  for (const question of questions) {
    trained.add(question.skill);
    for (const skill of skillsOf.get(question.id)!.values()) trained.add(skill);
  }
  const order = Object.keys(SKILL_LABELS);
  const computed: QuestionSkills = {
    byId: new Map(questions.map((question) => [question.id, question])),
    skillsOf,
    skillOrder: [...trained].sort((a, b) => order.indexOf(a) - order.indexOf(b)),
  };
  questionSkillsMemo.set(questions, computed);
  return computed;
}

/**
 * One piece of evidence per (attempt, skill): the mean score of the attempt's parts on that skill,
 * so a two-part answer with one part wrong is a wrong answer on that part's skill only. Attempts
 * at questions not in `questions` are ignored.
 */
export function skillEvidence(
  questions: readonly PublicQuestion[],
  attempts: readonly EvidenceAttempt[],
): MasteryAttempt[] {
  const { byId, skillsOf } = questionSkills(questions);
  const evidence: MasteryAttempt[] = [];
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
  return evidence;
}

/** Mastery of every skill from graded and practice attempts at these questions. */
export function masteryBySkill(
  questions: readonly PublicQuestion[],
  attempts: readonly EvidenceAttempt[],
  config: MasteryConfig = defaultMasteryConfig,
): Record<Skill, SkillMastery> {
  return computeMastery(skillEvidence(questions, attempts), config);
}

const LEVEL_WORDS: Readonly<Record<MasteryLevel, string>> = {
  'not started': 'Not started',
  practising: 'Practising',
  mastered: 'Mastered',
};

export function masteryLevelText(level: MasteryLevel): string {
  return LEVEL_WORDS[level];
}

/** "2 of 3 correct on local derivatives" (or "No answers yet on local derivatives"). */
export function evidenceText(skill: Skill, mastery: Pick<SkillMastery, 'attempts' | 'correct'>): string {
  const topic = SKILL_LABELS[skill].toLowerCase();
  if (mastery.attempts === 0) return `No answers yet on ${topic}`;
  return `${mastery.correct} of ${mastery.attempts} correct on ${topic}`;
}

/** What is still needed, in words, e.g. "2 more right in a row to master it". */
export function nextStepText(mastery: Pick<SkillMastery, 'level' | 'streak'>, need: number): string {
  if (mastery.level === 'mastered') return `Your last ${need} answers were right.`;
  const more = need - Math.min(mastery.streak, need);
  return `${more} more right in a row to master it.`;
}

/** The lesson's skills (those its questions train), in display order, with their evidence. */
export function lessonMastery(
  questions: readonly PublicQuestion[],
  attempts: readonly EvidenceAttempt[],
  config: MasteryConfig = defaultMasteryConfig,
): MasteryView[] {
  const all = masteryBySkill(questions, attempts, config);
  return questionSkills(questions).skillOrder.map((skill) => ({
    ...all[skill],
    skill,
    label: SKILL_LABELS[skill],
    streakForMastery: config.streakForMastery,
    evidence: evidenceText(skill, all[skill]),
  }));
}
