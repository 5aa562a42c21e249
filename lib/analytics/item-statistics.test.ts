import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  computeItemStatistics,
  discriminationStatistics,
  median,
  type ItemResponseRow,
  type ItemStatistics,
  type Statistic,
} from './item-statistics';

/** One first attempt per cell: matrix[learner][question]. */
function rowsFromMatrix(matrix: readonly (readonly number[])[], questionIds: readonly string[]): ItemResponseRow[] {
  return matrix.flatMap((scores, learner) =>
    scores.map((score, question) => ({
      learnerId: `L${learner + 1}`,
      questionId: questionIds[question] ?? 'missing',
      score,
      submittedAt: 1_000 * (learner * 10 + question),
    })),
  );
}

function value(statistic: Statistic): number {
  if (statistic.value === null) throw new Error(`expected a value, got reason ${statistic.reason}`);
  return statistic.value;
}

function byId(stats: ItemStatistics[], id: string): ItemStatistics {
  const found = stats.find((s) => s.questionId === id);
  if (found === undefined) throw new Error(`no statistics for ${id}`);
  return found;
}

describe('computeItemStatistics: small classes, where statistics are undefined', () => {
  it('0 learners: a listed question gets a row that says nobody answered', () => {
    const [stats] = computeItemStatistics([], { items: [{ id: 'q1', optionIds: ['a', 'b'] }] });
    expect(stats).toEqual({
      questionId: 'q1',
      learners: 0,
      attempts: 0,
      facility: { value: null, reason: 'no-learners' },
      standardDeviation: { value: null, reason: 'no-learners' },
      discriminationIndex: { value: null, reason: 'no-learners' },
      discriminativeEfficiency: { value: null, reason: 'no-learners' },
      flag: null,
      optionCounts: [
        { optionId: 'a', learners: 0 },
        { optionId: 'b', learners: 0 },
      ],
      topMisconceptions: [],
      learnersEverCorrect: 0,
      medianMsToFirstCorrect: { value: null, reason: 'no-learners' },
    });
  });

  it('1 learner: facility is their score; SD and discrimination need more learners', () => {
    const stats = computeItemStatistics(rowsFromMatrix([[0.5, 1]], ['q1', 'q2']));
    const q1 = byId(stats, 'q1');
    expect(q1.facility).toEqual({ value: 0.5 });
    expect(q1.standardDeviation).toEqual({ value: null, reason: 'too-few-learners' });
    expect(q1.discriminationIndex).toEqual({ value: null, reason: 'too-few-learners' });
    expect(q1.flag).toBeNull();
  });

  it('2 learners: mean and sample SD exist, discrimination does not (any 2-point correlation is ±1)', () => {
    const stats = computeItemStatistics(
      rowsFromMatrix(
        [
          [1, 1],
          [0, 0],
        ],
        ['q1', 'q2'],
      ),
    );
    const q1 = byId(stats, 'q1');
    // mean = (1 + 0) / 2 = 0.5; SD = sqrt(((1 − 0.5)² + (0 − 0.5)²) / (2 − 1)) = sqrt(0.5) ≈ 0.707107
    expect(value(q1.facility)).toBe(0.5);
    expect(value(q1.standardDeviation)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(q1.discriminationIndex).toEqual({ value: null, reason: 'too-few-learners' });
  });

  it('3 learners: discrimination by hand', () => {
    // q1 = [1, 0, 1], rest = q2 = [1, 0, 0]
    // mean x = 2/3, mean r = 1/3
    // Sxr = Σxr − n·x̄·r̄ = 1 − 3·(2/3)·(1/3) = 1/3
    // Sxx = Σx² − n·x̄² = 2 − 4/3 = 2/3;  Srr = 1 − 3·(1/9) = 2/3
    // DI = (1/3) / sqrt((2/3)(2/3)) = (1/3) / (2/3) = 0.5
    // covmax: sorted x [0,1,1], sorted r [0,0,1] → Σ = 1, minus n·x̄·r̄ = 2/3 → 1/3, so DE = 1
    const stats = computeItemStatistics(
      rowsFromMatrix(
        [
          [1, 1],
          [0, 0],
          [1, 0],
        ],
        ['q1', 'q2'],
      ),
    );
    const q1 = byId(stats, 'q1');
    expect(value(q1.discriminationIndex)).toBeCloseTo(0.5, 12);
    expect(value(q1.discriminativeEfficiency)).toBeCloseTo(1, 12);
    expect(value(q1.facility)).toBeCloseTo(2 / 3, 12);
    expect(q1.flag).toBeNull();
  });

  it('3 learners who all got the question right: no item variance, so no discrimination and no flag', () => {
    const stats = computeItemStatistics(
      rowsFromMatrix(
        [
          [1, 1],
          [1, 0],
          [1, 0],
        ],
        ['q1', 'q2'],
      ),
    );
    expect(byId(stats, 'q1').discriminationIndex).toEqual({ value: null, reason: 'no-item-variance' });
    expect(byId(stats, 'q1').flag).toBeNull();
    // q2 = [1, 0, 0] varies but its rest (q1) is constant.
    expect(byId(stats, 'q2').discriminationIndex).toEqual({ value: null, reason: 'no-rest-variance' });
  });

  it('a one-question quiz has no rest of quiz to correlate with', () => {
    const stats = computeItemStatistics(rowsFromMatrix([[1], [0], [1]], ['only']));
    expect(byId(stats, 'only').discriminationIndex).toEqual({ value: null, reason: 'no-rest-variance' });
  });
});

describe('computeItemStatistics: five learners, three questions', () => {
  // Learners L1..L5 (rows) × questions q1..q3 (columns).
  const matrix = [
    [1, 1, 1],
    [1, 1, 0],
    [1, 0, 1],
    [0, 1, 0],
    [0, 0, 0],
  ];
  const stats = computeItemStatistics(rowsFromMatrix(matrix, ['q1', 'q2', 'q3']));

  it('q1: a good item', () => {
    // x = [1,1,1,0,0], rest = q2+q3 = [2,1,1,1,0]; x̄ = 0.6, r̄ = 1
    // Sxr = (2+1+1) − 5·0.6·1 = 1;  Sxx = 3 − 5·0.36 = 1.2;  Srr = (4+1+1+1+0) − 5·1 = 2
    // DI = 1 / sqrt(1.2·2) = 1 / sqrt(2.4) ≈ 0.645497
    // sorted x [0,0,1,1,1] · sorted r [0,1,1,1,2] = 4; covmax = 4 − 3 = 1; DE = 1/1 = 1
    // SD = sqrt(1.2 / 4) = sqrt(0.3) ≈ 0.547723
    const q1 = byId(stats, 'q1');
    expect(value(q1.facility)).toBeCloseTo(0.6, 12);
    expect(value(q1.standardDeviation)).toBeCloseTo(0.5477225575, 9);
    expect(value(q1.discriminationIndex)).toBeCloseTo(0.6454972244, 9);
    expect(value(q1.discriminativeEfficiency)).toBeCloseTo(1, 12);
    expect(q1.flag).toBeNull();
  });

  it('q2: zero correlation with the rest is flagged low', () => {
    // x = [1,1,0,1,0], rest = q1+q3 = [2,1,2,0,0]; x̄ = 0.6, r̄ = 1
    // Sxr = (2+1+0) − 3 = 0 → DI = 0; covmax: [0,0,1,1,1]·[0,0,1,2,2] = 5, 5 − 3 = 2 → DE = 0
    const q2 = byId(stats, 'q2');
    expect(value(q2.discriminationIndex)).toBeCloseTo(0, 12);
    expect(value(q2.discriminativeEfficiency)).toBeCloseTo(0, 12);
    expect(q2.flag).toBe('low-discrimination');
  });

  it('q3: weak but above the 0.2 threshold', () => {
    // x = [1,0,1,0,0], rest = q1+q2 = [2,2,1,1,0]; x̄ = 0.4, r̄ = 1.2
    // Sxr = (2+1) − 5·0.4·1.2 = 0.6;  Sxx = 2 − 0.8 = 1.2;  Srr = 10 − 7.2 = 2.8
    // DI = 0.6 / sqrt(3.36) ≈ 0.327327
    // sorted x [0,0,0,1,1] · sorted r [0,1,1,2,2] = 4; covmax = 4 − 2.4 = 1.6; DE = 0.6/1.6 = 0.375
    const q3 = byId(stats, 'q3');
    expect(value(q3.discriminationIndex)).toBeCloseTo(0.3273268354, 9);
    expect(value(q3.discriminativeEfficiency)).toBeCloseTo(0.375, 12);
    expect(q3.flag).toBeNull();
  });
});

describe('computeItemStatistics: negative discrimination', () => {
  it('flags a question that the weaker learners get right', () => {
    // x = q3 = [0,0,1,1,0], rest = q1+q2 = [2,1,1,0,2]; x̄ = 0.4, r̄ = 1.2
    // Σxr = 1·1 + 1·0 = 1; Sxr = 1 − 5·0.4·1.2 = −1.4
    // Sxx = 2 − 0.8 = 1.2; Srr = (4+1+1+0+4) − 7.2 = 2.8
    // DI = −1.4 / sqrt(3.36) ≈ −0.763763
    // sorted x [0,0,0,1,1] · sorted r [0,1,1,2,2] = 4; covmax = 4 − 2.4 = 1.6; DE = −1.4/1.6 = −0.875
    const matrix = [
      [1, 1, 0],
      [1, 0, 0],
      [0, 1, 1],
      [0, 0, 1],
      [1, 1, 0],
    ];
    const q3 = byId(computeItemStatistics(rowsFromMatrix(matrix, ['q1', 'q2', 'q3'])), 'q3');
    expect(value(q3.discriminationIndex)).toBeCloseTo(-0.7637626158, 9);
    expect(value(q3.discriminativeEfficiency)).toBeCloseTo(-0.875, 12);
    expect(q3.flag).toBe('negative-discrimination');
  });
});

describe('computeItemStatistics: attempts, options, misconceptions, timing', () => {
  const t = (seconds: number) => seconds * 1000;
  const rows: ItemResponseRow[] = [
    // A: wrong (picked b, sign error) then right; first correct 40 s after starting.
    {
      learnerId: 'A',
      questionId: 'q',
      score: 0,
      startedAt: t(0),
      submittedAt: t(10),
      selectedOptionId: 'b',
      misconceptionTags: ['sign-error-dLda'],
    },
    { learnerId: 'A', questionId: 'q', score: 1, startedAt: t(15), submittedAt: t(40), selectedOptionId: 'a' },
    // B: right first time, 20 s.
    { learnerId: 'B', questionId: 'q', score: 1, startedAt: t(1), submittedAt: t(21), selectedOptionId: 'a' },
    // C: two wrong tries (both misconceptions on the first), right on the third at 90 s.
    {
      learnerId: 'C',
      questionId: 'q',
      score: 0,
      startedAt: t(0),
      submittedAt: t(30),
      selectedOptionId: 'c',
      misconceptionTags: ['missing-x', 'sign-error-dLda'],
    },
    {
      learnerId: 'C',
      questionId: 'q',
      score: 0,
      startedAt: t(31),
      submittedAt: t(60),
      selectedOptionId: 'c',
      misconceptionTags: ['missing-x'],
    },
    { learnerId: 'C', questionId: 'q', score: 1, startedAt: t(61), submittedAt: t(90), selectedOptionId: 'a' },
    // D: never right.
    {
      learnerId: 'D',
      questionId: 'q',
      score: 0,
      startedAt: t(0),
      submittedAt: t(5),
      selectedOptionId: 'b',
      misconceptionTags: ['sign-error-dLda'],
    },
  ];

  it('counts learners and attempts separately', () => {
    const [q] = computeItemStatistics(rows);
    expect(q?.learners).toBe(4);
    expect(q?.attempts).toBe(7);
    expect(q?.learnersEverCorrect).toBe(3);
  });

  it('uses first attempts by default and best attempts on request', () => {
    // First attempts: A 0, B 1, C 0, D 0 → 1/4. Best: A 1, B 1, C 1, D 0 → 3/4.
    expect(value(computeItemStatistics(rows)[0]!.facility)).toBe(0.25);
    expect(value(computeItemStatistics(rows, { scoreBasis: 'best-attempt' })[0]!.facility)).toBe(0.75);
  });

  it('counts options on the basis attempt, listing unpicked options as 0 and unknown ones after', () => {
    // First attempts picked: A b, B a, C c, D b.
    const [q] = computeItemStatistics(rows, { items: [{ id: 'q', optionIds: ['a', 'b', 'd'] }] });
    expect(q?.optionCounts).toEqual([
      { optionId: 'a', learners: 1 },
      { optionId: 'b', learners: 2 },
      { optionId: 'd', learners: 0 },
      { optionId: 'c', learners: 1 },
    ]);
  });

  it('ranks misconceptions by distinct learners, not by attempts', () => {
    // sign-error-dLda: A, C, D → 3 learners. missing-x: C only (twice) → 1 learner.
    const [q] = computeItemStatistics(rows);
    expect(q?.topMisconceptions).toEqual([
      { tag: 'sign-error-dLda', learners: 3 },
      { tag: 'missing-x', learners: 1 },
    ]);
    expect(computeItemStatistics(rows, { topMisconceptionCount: 1 })[0]?.topMisconceptions).toHaveLength(1);
  });

  it('median time to first correct answer, odd and even counts', () => {
    // A 40 s − 0 = 40 s; B 21 − 1 = 20 s; C 90 − 0 = 90 s → median of [20, 40, 90] = 40 s
    expect(computeItemStatistics(rows)[0]?.medianMsToFirstCorrect).toEqual({ value: 40_000 });
    const withE = [...rows, { learnerId: 'E', questionId: 'q', score: 1, startedAt: t(100), submittedAt: t(130) }];
    // E 30 s → [20, 30, 40, 90] → (30 + 40) / 2 = 35 s
    expect(computeItemStatistics(withE)[0]?.medianMsToFirstCorrect).toEqual({ value: 35_000 });
  });

  it('median time is unavailable when nobody is right, or when starts were not recorded', () => {
    const wrongOnly = rows.filter((row) => row.learnerId === 'D');
    expect(computeItemStatistics(wrongOnly)[0]?.medianMsToFirstCorrect).toEqual({
      value: null,
      reason: 'nobody-correct',
    });
    const untimed = rows.map((row) => ({ ...row, startedAt: null }));
    expect(computeItemStatistics(untimed)[0]?.medianMsToFirstCorrect).toEqual({
      value: null,
      reason: 'no-timing-data',
    });
  });

  it('orders attempts by submission time, whatever order the rows arrive in', () => {
    const shuffled = [...rows].reverse();
    expect(computeItemStatistics(shuffled)).toEqual(computeItemStatistics(rows));
  });

  it('ignores rows for questions outside the listed quiz', () => {
    const stats = computeItemStatistics(rows, { items: [{ id: 'other' }] });
    expect(stats.map((s) => s.questionId)).toEqual(['other']);
    expect(stats[0]?.learners).toBe(0);
  });

  it('counts an unanswered question as 0 in a learner’s rest score', () => {
    // L1 answered q1 (1) and q2 (1); L2 answered q1 (0) and q2 (1); L3 answered only q1 (1), q2 counts 0.
    // q1 x = [1,0,1], rest = [1,1,0]: x̄ = 2/3, r̄ = 2/3, Σxr = 1, Sxr = 1 − 3·(4/9) = −1/3,
    // Sxx = 2 − 4/3 = 2/3, Srr = 2 − 4/3 = 2/3 → DI = (−1/3)/(2/3) = −0.5
    const partial: ItemResponseRow[] = [
      { learnerId: 'L1', questionId: 'q1', score: 1, submittedAt: 1 },
      { learnerId: 'L1', questionId: 'q2', score: 1, submittedAt: 2 },
      { learnerId: 'L2', questionId: 'q1', score: 0, submittedAt: 3 },
      { learnerId: 'L2', questionId: 'q2', score: 1, submittedAt: 4 },
      { learnerId: 'L3', questionId: 'q1', score: 1, submittedAt: 5 },
    ];
    expect(value(byId(computeItemStatistics(partial), 'q1').discriminationIndex)).toBeCloseTo(-0.5, 12);
  });
});

describe('discriminationStatistics properties', () => {
  /** Textbook Pearson r, written independently of the implementation (two-pass over raw sums). */
  function pearson(xs: number[], ys: number[]): number {
    const n = xs.length;
    const sx = xs.reduce((a, b) => a + b, 0);
    const sy = ys.reduce((a, b) => a + b, 0);
    const sxx = xs.reduce((a, x) => a + x * x, 0);
    const syy = ys.reduce((a, y) => a + y * y, 0);
    const sxy = xs.reduce((a, x, k) => a + x * (ys[k] ?? 0), 0);
    return (n * sxy - sx * sy) / Math.sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
  }

  const pairs = fc.integer({ min: 3, max: 30 }).chain((n) =>
    fc.tuple(
      fc.array(
        fc.integer({ min: 0, max: 4 }).map((k) => k / 4),
        { minLength: n, maxLength: n },
      ),
      fc.array(
        fc.integer({ min: 0, max: 20 }).map((k) => k / 4),
        { minLength: n, maxLength: n },
      ),
    ),
  );

  it('matches the textbook Pearson formula, stays in [−1, 1], and |DI| ≤ |DE|', () => {
    fc.assert(
      fc.property(pairs, ([item, rest]) => {
        const { discriminationIndex, discriminativeEfficiency } = discriminationStatistics(item, rest);
        if (discriminationIndex.value === null) {
          expect(['no-item-variance', 'no-rest-variance']).toContain(discriminationIndex.reason);
          return;
        }
        expect(discriminationIndex.value).toBeCloseTo(pearson(item, rest), 9);
        expect(Math.abs(discriminationIndex.value)).toBeLessThanOrEqual(1);
        // Cauchy–Schwarz: sqrt(Sxx·Srr) ≥ covmax ≥ |Sxr|, so the efficiency is the larger in size.
        expect(Math.abs(value(discriminativeEfficiency))).toBeGreaterThanOrEqual(
          Math.abs(discriminationIndex.value) - 1e-12,
        );
      }),
    );
  });
});

describe('median', () => {
  it('handles empty, odd and even inputs without mutating them', () => {
    const input = [3, 1, 2, 10];
    expect(median([])).toBeUndefined();
    expect(median([5])).toBe(5);
    expect(median([3, 1, 2])).toBe(2);
    expect(median(input)).toBe(2.5); // sorted [1,2,3,10] → (2 + 3) / 2
    expect(input).toEqual([3, 1, 2, 10]);
  });
});
