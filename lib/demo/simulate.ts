/**
 * A deterministic simulated class for the demo and for trying the dashboards on believable data.
 * Same seed, same class. Output is plain rows; writing them to the database is the seed script's
 * job. Questions, options and misconception tags are inputs, never imported, so the simulator
 * follows the question bank as it changes.
 *
 * The model, in brief (details in docs/decisions/007-item-statistics.md):
 * - each learner has a general ability g ~ N(0, 1) and a per-skill ability 0.8·g + 0.6·N(0, 1),
 *   so skills correlate and good questions discriminate;
 * - P(right) = 1 / (1 + e^(−1.7·(ability − difficulty))), a two-parameter logistic item response;
 * - a wrong answer picks a distractor or misconception tag with weights 1, 1/2, 1/3 … so one
 *   wrong idea dominates, as it does in real classes;
 * - feedback teaches: each attempt adds 0.6 to the ability for that question; persistence decides
 *   whether the learner retries at all, and engaged learners return for practice rounds on the
 *   questions they finished (solved, or out of attempts), each round with its own attempts;
 * - the numbers matter: `variantShift` (given by the caller, who knows the variants) adds to a
 *   question's difficulty for one attempt, so some numbers are harder than others;
 * - learners join over the first 3 days and work in sessions a day or so apart; some drop out.
 */
import { MS_PER_DAY, toEpochMs, type Instant } from '@/lib/analytics/instant';
import { SKILLS, type Skill } from '@/lib/analytics/skills';

export interface SimulatedSection {
  id: string;
  title?: string;
}

export interface SimulatedWidget {
  id: string;
  /** Widgets that ask for a prediction before revealing the answer. */
  prediction?: { choices: readonly string[]; correct: string };
}

export interface SimulatedChoiceQuestion {
  id: string;
  skill: Skill;
  optionIds: readonly string[];
  correctOptionId: string;
  /** On the ability scale: 0 is average, −1 easy, +1 hard. */
  difficulty?: number;
}

export interface SimulatedNumericQuestion {
  id: string;
  skill: Skill;
  /** Each part is marked on its own; the score is the fraction right. 1 for a single numeric answer. */
  parts?: number;
  difficulty?: number;
  /** Tags a wrong answer can show, most common first. */
  misconceptionTags: readonly string[];
}

export interface SimulationInput {
  seed: number;
  learnerCount?: number;
  startAt: Instant;
  days?: number;
  lessonSlug: string;
  sections: readonly SimulatedSection[];
  widgets: readonly SimulatedWidget[];
  choiceQuestions: readonly SimulatedChoiceQuestion[];
  numericQuestions: readonly SimulatedNumericQuestion[];
  /** Retries allowed in the quiz sitting, per question. */
  maxAttemptsPerQuestion?: number;
  /**
   * Later practice rounds (fresh variants) on the generated questions a learner has finished. Each
   * round allows `maxAttemptsPerQuestion` attempts, numbered from 1 again.
   */
  practiceRounds?: number;
  /**
   * How much harder this attempt's numbers make the question (added to its difficulty), e.g.
   * +0.5 when the label is y = 0. The simulator knows no variants; the caller does.
   */
  variantShift?: (attempt: SimulatedAttempt) => number;
}

/** Which attempt of which question a learner is making: graded (practiceRound null) or practice. */
export interface SimulatedAttempt {
  learnerId: string;
  questionId: string;
  attemptNumber: number;
  practiceRound: number | null;
}

export interface SimulatedLearner {
  learnerId: string;
  displayName: string;
  ability: Record<Skill, number>;
  /** Probability of retrying after a wrong answer. */
  persistence: number;
  joinedAt: number;
}

export type SimulatedProgressEvent =
  | { id: string; learnerId: string; lessonSlug: string; at: number; kind: 'section-viewed'; sectionId: string }
  | { id: string; learnerId: string; lessonSlug: string; at: number; kind: 'widget-used'; widgetId: string }
  | {
      id: string;
      learnerId: string;
      lessonSlug: string;
      at: number;
      kind: 'prediction';
      widgetId: string;
      predicted: string;
      correct: boolean;
    };

export interface SimulatedResponse {
  id: string;
  learnerId: string;
  lessonSlug: string;
  questionId: string;
  skill: Skill;
  /** 1-based: per question for graded attempts, per round for practice. */
  attemptNumber: number;
  /** null for a graded attempt; else the practice round (1, 2, …). */
  practiceRound: number | null;
  startedAt: number;
  submittedAt: number;
  /** 0..1 */
  score: number;
  selectedOptionId: string | null;
  misconceptionTags: string[];
}

export interface SimulationOutput {
  learners: SimulatedLearner[];
  /** Sorted by time. */
  progressEvents: SimulatedProgressEvent[];
  /** Sorted by submission time. */
  responses: SimulatedResponse[];
  /** End of the simulated window: a natural "now" for the dashboards. */
  endsAt: number;
}

// --- seeded randomness ---

/** mulberry32: a tiny, fast 32-bit PRNG with good statistical quality for simulation (not for secrets). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  constructor(private readonly next: () => number) {}
  uniform(min = 0, max = 1): number {
    return min + (max - min) * this.next();
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** Box–Muller; 1 − u keeps log away from 0. */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  /** Picks with weights 1, 1/2, 1/3, …: the first item is the most likely. */
  harmonicPick<T>(items: readonly T[]): T | undefined {
    const weights = items.map((_, k) => 1 / (k + 1));
    let r = this.next() * weights.reduce((a, b) => a + b, 0);
    for (let k = 0; k < items.length; k++) {
      r -= weights[k] ?? 0;
      if (r < 0) return items[k];
    }
    return items[items.length - 1];
  }
}

const FIRST_NAMES = [
  'Ada',
  'Amara',
  'Ana',
  'Aroha',
  'Ben',
  'Chen',
  'Dana',
  'Emeka',
  'Eva',
  'Farah',
  'Hana',
  'Ivan',
  'Jonas',
  'Kai',
  'Lena',
  'Leo',
  'Maya',
  'Mei',
  'Nia',
  'Noor',
  'Omar',
  'Priya',
  'Rafael',
  'Sami',
  'Sofia',
  'Tariq',
  'Uma',
  'Yara',
  'Zoe',
  'José',
] as const;

/** Ability gained from one attempt's feedback. */
const LEARNING_PER_ATTEMPT = 0.6;

export function probabilityCorrect(ability: number, difficulty: number): number {
  return 1 / (1 + Math.exp(-1.7 * (ability - difficulty)));
}

/** Moves a time forward into 08:00–22:00 UTC, so sessions do not start at 3 a.m. */
function daytime(ms: number, random: Random): number {
  const dayStart = Math.floor(ms / MS_PER_DAY) * MS_PER_DAY;
  const hour = (ms - dayStart) / 3_600_000;
  if (hour >= 8 && hour < 22) return ms;
  // Late evening moves to the next morning; time never runs backwards.
  const morning = hour < 8 ? dayStart : dayStart + MS_PER_DAY;
  return morning + (8 + random.uniform(0, 12)) * 3_600_000;
}

export function simulateClass(input: SimulationInput): SimulationOutput {
  const random = new Random(mulberry32(input.seed));
  const learnerCount = input.learnerCount ?? 200;
  const startAt = toEpochMs(input.startAt);
  const endsAt = startAt + (input.days ?? 14) * MS_PER_DAY;
  const maxAttempts = input.maxAttemptsPerQuestion ?? 3;
  const practiceRounds = input.practiceRounds ?? 3;
  const learners: SimulatedLearner[] = [];
  const progressEvents: SimulatedProgressEvent[] = [];
  const responses: SimulatedResponse[] = [];

  for (let index = 0; index < learnerCount; index++) {
    const learnerId = `demo-learner-${String(index + 1).padStart(3, '0')}`;
    const general = random.normal();
    const ability = {} as Record<Skill, number>;
    for (const skill of SKILLS) ability[skill] = 0.8 * general + 0.6 * random.normal();
    const persistence = Math.min(0.95, Math.max(0.2, random.normal(0.7, 0.2)));
    const engagement = random.uniform();
    const joinedAt = daytime(startAt + random.uniform(0, 3) * MS_PER_DAY, random);
    const name = FIRST_NAMES[index % FIRST_NAMES.length] ?? 'Learner';
    learners.push({
      learnerId,
      displayName: `${name} ${String.fromCharCode(65 + (index % 26))}.`,
      ability,
      persistence,
      joinedAt,
    });

    let eventCount = 0;
    let responseCount = 0;
    const lessonSlug = input.lessonSlug;
    const emit = (event: SimulatedProgressEvent) => {
      if (event.at < endsAt) progressEvents.push(event);
    };
    const nextEventId = () => `${learnerId}-e${++eventCount}`;

    // Reading: in order, a few minutes per section, a new session every few sections.
    let clock = joinedAt;
    // Less engaged learners may stop part-way; 0.35 of the least engaged drop out somewhere.
    const dropsOut = random.chance(0.35 * (1 - engagement) + 0.05);
    const sectionsToRead = dropsOut ? Math.floor(random.uniform(1, input.sections.length)) : input.sections.length;
    for (let s = 0; s < sectionsToRead; s++) {
      const section = input.sections[s];
      if (section === undefined) break;
      if (s > 0 && random.chance(0.3)) clock = daytime(clock + random.uniform(0.3, 2.5) * MS_PER_DAY, random);
      clock += random.uniform(2, 9) * 60_000;
      emit({
        id: nextEventId(),
        learnerId,
        lessonSlug,
        at: Math.round(clock),
        kind: 'section-viewed',
        sectionId: section.id,
      });
      // Widget k is met in section k (a simplification); engaged learners try more of them.
      const widget = input.widgets[s];
      if (widget !== undefined && random.chance(0.3 + 0.6 * engagement)) {
        clock += random.uniform(0.5, 4) * 60_000;
        if (widget.prediction !== undefined) {
          const { choices, correct } = widget.prediction;
          const right = random.chance(probabilityCorrect(ability['chain-product'], 0));
          const wrongChoices = choices.filter((choice) => choice !== correct);
          const predicted = right ? correct : (random.harmonicPick(wrongChoices) ?? correct);
          emit({
            id: nextEventId(),
            learnerId,
            lessonSlug,
            at: Math.round(clock),
            kind: 'prediction',
            widgetId: widget.id,
            predicted,
            correct: predicted === correct,
          });
          clock += random.uniform(0.2, 1) * 60_000;
        }
        emit({
          id: nextEventId(),
          learnerId,
          lessonSlug,
          at: Math.round(clock),
          kind: 'widget-used',
          widgetId: widget.id,
        });
      }
    }
    if (dropsOut) continue;

    // The quiz: taken in one sitting after the reading, with retries after feedback.
    clock = daytime(clock + random.uniform(0, 1.5) * MS_PER_DAY, random);
    const questions: (
      { kind: 'choice'; q: SimulatedChoiceQuestion } | { kind: 'numeric'; q: SimulatedNumericQuestion }
    )[] = [
      ...input.choiceQuestions.map((q) => ({ kind: 'choice' as const, q })),
      ...input.numericQuestions.map((q) => ({ kind: 'numeric' as const, q })),
    ];
    const learned = new Map<string, number>();
    /** One attempt; null when it would fall after the simulated window (the learner has not got there yet). */
    const answer = (
      question: (typeof questions)[number],
      attemptNumber: number,
      practiceRound: number | null,
    ): number | null => {
      const { q } = question;
      const startedAt = Math.round(clock + random.uniform(3, 20) * 1000);
      // Harder questions take longer; log-normal spread around ~1 minute.
      const thinkMs = 60_000 * Math.exp(random.normal(0.3 * (q.difficulty ?? 0), 0.5));
      const submittedAt = Math.round(startedAt + thinkMs);
      clock = submittedAt;
      if (submittedAt >= endsAt) return null;
      const shift = input.variantShift?.({ learnerId, questionId: q.id, attemptNumber, practiceRound }) ?? 0;
      const p = probabilityCorrect(ability[q.skill] + (learned.get(q.id) ?? 0), (q.difficulty ?? 0) + shift);
      let score: number;
      let selectedOptionId: string | null = null;
      let misconceptionTags: string[] = [];
      if (question.kind === 'choice') {
        const distractors = question.q.optionIds.filter((id) => id !== question.q.correctOptionId);
        selectedOptionId = random.chance(p)
          ? question.q.correctOptionId
          : (random.harmonicPick(distractors) ?? question.q.correctOptionId);
        score = selectedOptionId === question.q.correctOptionId ? 1 : 0;
      } else {
        const parts = Math.max(1, question.q.parts ?? 1);
        let partsRight = 0;
        for (let part = 0; part < parts; part++) if (random.chance(p)) partsRight++;
        score = partsRight / parts;
        const tag = score < 1 ? random.harmonicPick(question.q.misconceptionTags) : undefined;
        misconceptionTags = tag === undefined ? [] : [tag];
      }
      responses.push({
        id: `${learnerId}-r${++responseCount}`,
        learnerId,
        lessonSlug,
        questionId: q.id,
        skill: q.skill,
        attemptNumber,
        practiceRound,
        startedAt,
        submittedAt,
        score,
        selectedOptionId,
        misconceptionTags,
      });
      // Feedback teaches a little, right or wrong.
      learned.set(q.id, (learned.get(q.id) ?? 0) + LEARNING_PER_ATTEMPT);
      return score;
    };

    /** Generated questions solved or out of attempts: the ones the app lets a learner practise. */
    const finished = new Set<string>();
    for (const question of questions) {
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        const score = answer(question, attempt, null);
        if (score !== null && (score >= 1 || attempt === maxAttempts)) finished.add(question.q.id);
        if (score === null || score >= 1 || !random.chance(persistence)) break;
        // Some retries happen in a later session, after the learner has thought about the feedback.
        if (random.chance(0.2)) clock = daytime(clock + random.uniform(0.5, 2) * MS_PER_DAY, random);
      }
    }
    // Practice: engaged learners come back for fresh numbers on the generated questions they
    // finished, which is how a skill reaches "mastered" (three right in a row).
    for (let round = 1; round <= practiceRounds; round++) {
      if (!random.chance(0.2 + 0.7 * engagement)) break;
      clock = daytime(clock + random.uniform(0.5, 3) * MS_PER_DAY, random);
      for (const question of questions) {
        if (question.kind !== 'numeric' || !finished.has(question.q.id)) continue;
        for (let attempt = 1; attempt <= maxAttempts; attempt++) {
          const score = answer(question, attempt, round);
          if (score === null || score >= 1 || !random.chance(persistence)) break;
        }
      }
    }
  }

  progressEvents.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
  responses.sort((a, b) => a.submittedAt - b.submittedAt || a.id.localeCompare(b.id));
  return { learners, progressEvents, responses, endsAt };
}
