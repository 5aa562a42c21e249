import { describe, expect, it } from 'vitest';

import { buildClassOverview, type LearnerActivity } from '@/lib/analytics/class-overview';
import { computeItemStatistics } from '@/lib/analytics/item-statistics';

import { mulberry32, probabilityCorrect, simulateClass, type SimulationInput } from './simulate';

const TAGS = ['sigmoid-not-derivative', 'sign-error-dLda', 'missing-x', 'paths-multiplied'];

// Ids as in content/lessons/chain-rule-computational-graphs/questions.ts today; the simulator takes
// whatever it is given.
const input: SimulationInput = {
  seed: 42,
  startAt: Date.UTC(2026, 0, 5),
  days: 14,
  lessonSlug: 'chain-rule-computational-graphs',
  sections: ['why', 'graphs', 'local-derivatives', 'chain', 'paths', 'gradient-step'].map((id) => ({ id })),
  widgets: [
    { id: 'graph-explorer' },
    { id: 'chain-of-influence', prediction: { choices: ['bigger', 'smaller', 'same'], correct: 'smaller' } },
  ],
  choiceQuestions: [
    {
      id: 'why-chain-rule',
      skill: 'concepts',
      optionIds: ['indirect-dependence', 'no-loss', 'linear'],
      correctOptionId: 'indirect-dependence',
      difficulty: -1.5,
    },
    {
      id: 'graph-purpose',
      skill: 'concepts',
      optionIds: ['trace-dependencies', 'replace-matmul', 'guarantee-convergence'],
      correctOptionId: 'trace-dependencies',
      difficulty: -0.5,
    },
    {
      id: 'local-derivative-meaning',
      skill: 'local-derivative',
      optionIds: ['node-vs-input', 'validation-accuracy', 'global-summary'],
      correctOptionId: 'node-vs-input',
      difficulty: 0,
    },
  ],
  numericQuestions: [
    {
      id: 'dl-dw-numeric',
      skill: 'chain-product',
      difficulty: 0.4,
      misconceptionTags: ['sign-error-dLda', 'sigmoid-not-derivative', 'missing-x'],
    },
    {
      id: 'two-paths',
      skill: 'sum-over-paths',
      parts: 2,
      difficulty: 0.6,
      misconceptionTags: ['paths-multiplied', 'missing-x'],
    },
  ],
};

const output = simulateClass(input);

describe('simulateClass: determinism', () => {
  it('the same seed gives the same class, a different seed a different one', () => {
    expect(simulateClass(input)).toEqual(output);
    expect(simulateClass({ ...input, seed: 43 }).responses).not.toEqual(output.responses);
  });

  it('mulberry32 is a fixed sequence in [0, 1)', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const values = Array.from({ length: 1000 }, () => a());
    expect(values).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });

  it('probabilityCorrect is ½ at ability = difficulty and rises with ability', () => {
    expect(probabilityCorrect(0.3, 0.3)).toBe(0.5);
    // 1 / (1 + e^(−1.7)) ≈ 0.845535
    expect(probabilityCorrect(1, 0)).toBeCloseTo(1 / (1 + Math.exp(-1.7)), 12);
  });
});

describe('simulateClass: well-formed rows', () => {
  it('makes 200 learners with unique ids and every timestamp inside the two weeks', () => {
    expect(output.learners).toHaveLength(200);
    expect(new Set(output.learners.map((l) => l.learnerId)).size).toBe(200);
    const start = input.startAt as number;
    for (const event of output.progressEvents) {
      expect(event.at).toBeGreaterThanOrEqual(start);
      expect(event.at).toBeLessThan(output.endsAt);
    }
    for (const response of output.responses) {
      expect(response.startedAt).toBeLessThan(response.submittedAt);
      expect(response.submittedAt).toBeLessThan(output.endsAt);
    }
  });

  it('uses only the given option ids and misconception tags, and unique row ids', () => {
    const options = new Set(input.choiceQuestions.flatMap((q) => q.optionIds));
    for (const response of output.responses) {
      if (response.selectedOptionId !== null) expect(options.has(response.selectedOptionId)).toBe(true);
      for (const tag of response.misconceptionTags) expect(TAGS).toContain(tag);
    }
    const ids = [...output.responses.map((r) => r.id), ...output.progressEvents.map((e) => e.id)];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('numbers attempts 1, 2, 3 … per learner and question in time order, and again from 1 in each practice round', () => {
    const seen = new Map<string, number>();
    for (const response of output.responses) {
      const key = `${response.learnerId}/${response.questionId}/${response.practiceRound ?? 'graded'}`;
      expect(response.attemptNumber).toBe((seen.get(key) ?? 0) + 1);
      seen.set(key, response.attemptNumber);
    }
    expect(Math.max(...seen.values())).toBeLessThanOrEqual(3);
  });

  it('practises only generated questions the learner finished (solved or out of attempts), after them', () => {
    const numeric = new Set(input.numericQuestions.map((q) => q.id));
    const practice = output.responses.filter((r) => r.practiceRound !== null);
    expect(practice.length).toBeGreaterThan(100);
    expect(new Set(practice.map((r) => r.practiceRound))).toEqual(new Set([1, 2, 3]));
    for (const row of practice) {
      expect(numeric.has(row.questionId)).toBe(true);
      const graded = output.responses.filter(
        (r) => r.practiceRound === null && r.learnerId === row.learnerId && r.questionId === row.questionId,
      );
      const finished = graded.some((r) => r.score >= 1) || graded.length === 3;
      expect(finished).toBe(true);
      expect(row.submittedAt).toBeGreaterThan(Math.max(...graded.map((r) => r.submittedAt)));
    }
  });

  it('harder numbers (variantShift) lower the facility of the attempts that get them', () => {
    const hard = (attempt: { learnerId: string; attemptNumber: number }) =>
      Number(attempt.learnerId.slice(-3)) % 2 === 0 ? 1.5 : 0;
    const shifted = simulateClass({ ...input, variantShift: hard });
    const facility = (rows: typeof shifted.responses) => rows.reduce((sum, r) => sum + r.score, 0) / rows.length;
    const numericRows = shifted.responses.filter((r) => input.numericQuestions.some((q) => q.id === r.questionId));
    const even = numericRows.filter((r) => hard({ learnerId: r.learnerId, attemptNumber: 1 }) > 0);
    const odd = numericRows.filter((r) => hard({ learnerId: r.learnerId, attemptNumber: 1 }) === 0);
    expect(facility(even)).toBeLessThan(facility(odd) - 0.1);
  });
});

describe('simulateClass: plausible distributions', () => {
  const stats = computeItemStatistics(output.responses, {
    items: [
      ...input.choiceQuestions.map((q) => ({ id: q.id, optionIds: q.optionIds })),
      ...input.numericQuestions.map((q) => ({ id: q.id })),
    ],
  });
  const facility = (id: string) => {
    const value = stats.find((s) => s.questionId === id)?.facility.value;
    if (value == null) throw new Error(`no facility for ${id}`);
    return value;
  };

  it('the easy question is easier than the hard one, and every question has a mix of right and wrong', () => {
    expect(facility('why-chain-rule')).toBeGreaterThan(facility('two-paths') + 0.3);
    for (const s of stats) {
      expect(s.facility.value).toBeGreaterThan(0.05);
      expect(s.facility.value).toBeLessThan(0.98);
    }
  });

  it('correlated abilities make every question discriminate positively', () => {
    for (const s of stats) expect(s.discriminationIndex.value).toBeGreaterThan(0);
  });

  it('the first distractor is the most popular wrong answer, and misconceptions are hit', () => {
    const graph = stats.find((s) => s.questionId === 'graph-purpose');
    const counts = Object.fromEntries((graph?.optionCounts ?? []).map((c) => [c.optionId, c.learners]));
    expect(counts['replace-matmul']).toBeGreaterThan(counts['guarantee-convergence'] ?? 0);
    expect(stats.find((s) => s.questionId === 'dl-dw-numeric')?.topMisconceptions[0]?.tag).toBe('sign-error-dLda');
  });

  it('some learners, not most, are stuck at the end of the fortnight; some dropped out before the quiz', () => {
    const activity: LearnerActivity[] = output.learners.map((learner) => {
      // The stuck rule reads graded attempts only (docs/decisions/014).
      const attempts = output.responses
        .filter((r) => r.learnerId === learner.learnerId && r.practiceRound === null)
        .map((r) => ({ skill: r.skill, score: r.score, at: r.submittedAt }));
      return {
        learnerId: learner.learnerId,
        displayName: learner.displayName,
        sectionsRead: output.progressEvents.filter(
          (e) => e.learnerId === learner.learnerId && e.kind === 'section-viewed',
        ).length,
        widgetsUsed: 0,
        quizScore: null,
        attempts,
        lastActiveAt: null,
      };
    });
    const rows = buildClassOverview(activity, { now: output.endsAt });
    const stuck = rows.filter((row) => row.stuck).length;
    expect(stuck).toBeGreaterThanOrEqual(10); // 5 % of 200
    expect(stuck).toBeLessThanOrEqual(60); // 30 %
    const noQuiz = activity.filter((a) => a.attempts.length === 0).length;
    expect(noQuiz).toBeGreaterThan(5);
    expect(noQuiz).toBeLessThan(100);
  });
});
