/**
 * Classical item analysis for the instructor's question report, following Moodle's quiz
 * statistics (facility, SD, discrimination index, discriminative efficiency). Formulas, sources
 * and thresholds: docs/decisions/007-item-statistics.md.
 *
 * Pure: rows in, plain data out. Every statistic that cannot be computed says why, so the UI can
 * print "needs at least 3 learners" instead of a misleading 0 or NaN.
 */
import { toEpochMs, type Instant } from './instant';

/** One submitted attempt at one question by one learner. */
export interface ItemResponseRow {
  learnerId: string;
  questionId: string;
  /** Fraction of the question's marks earned, 0..1. Full marks (1) counts as correct. */
  score: number;
  submittedAt: Instant;
  /** When this attempt was shown to the learner; needed only for time to first correct answer. */
  startedAt?: Instant | null;
  /** For choice questions: the option the learner picked. */
  selectedOptionId?: string | null;
  /** Misconceptions the grader recognised in this attempt. */
  misconceptionTags?: readonly string[];
}

export interface ItemDescriptor {
  id: string;
  /** Choice questions: option ids in display order, so options nobody picked still show 0. */
  optionIds?: readonly string[];
}

/**
 * Which attempt stands for a learner on a question. Moodle analyses first attempts by default,
 * because later attempts have seen feedback and no longer measure the same thing.
 */
export type ScoreBasis = 'first-attempt' | 'best-attempt';

export type UnavailableReason =
  'no-learners' | 'too-few-learners' | 'no-item-variance' | 'no-rest-variance' | 'nobody-correct' | 'no-timing-data';

/** A number, or the reason there is none. */
export type Statistic = { value: number } | { value: null; reason: UnavailableReason };

/** Text for the dashboard when a statistic is unavailable; kept here so every view says the same. */
export const unavailableReasonText: Readonly<Record<UnavailableReason, string>> = {
  'no-learners': 'Nobody has answered this question yet.',
  'too-few-learners': 'Too few learners have answered this question for this statistic to mean anything.',
  'no-item-variance':
    'Every learner scored the same on this question, so it cannot separate stronger from weaker learners.',
  'no-rest-variance': 'Every learner scored the same on the rest of the quiz, so there is nothing to correlate with.',
  'nobody-correct': 'Nobody has answered this question correctly yet.',
  'no-timing-data': 'The correct answers have no start time recorded.',
};

export type ItemFlag = 'negative-discrimination' | 'low-discrimination';

export interface OptionCount {
  optionId: string;
  learners: number;
}

export interface MisconceptionCount {
  tag: string;
  /** Distinct learners who showed this misconception on any attempt. */
  learners: number;
}

export interface ItemStatistics {
  questionId: string;
  /** Learners with at least one attempt (Moodle's "s"). */
  learners: number;
  /** All attempts, retries included. */
  attempts: number;
  /** Mean score on the chosen basis, 0..1. */
  facility: Statistic;
  /** Sample standard deviation (n − 1), as Moodle reports it. */
  standardDeviation: Statistic;
  /** Pearson correlation of the item score with the rest-of-quiz score, −1..1. */
  discriminationIndex: Statistic;
  /** Covariance divided by the largest covariance these marginals allow. */
  discriminativeEfficiency: Statistic;
  flag: ItemFlag | null;
  /** How many learners chose each option (on the chosen basis attempt). */
  optionCounts: OptionCount[];
  topMisconceptions: MisconceptionCount[];
  learnersEverCorrect: number;
  /** Median over learners of (first correct submission − start of their first attempt), in ms. */
  medianMsToFirstCorrect: Statistic;
}

export interface ItemStatisticsOptions {
  /**
   * The quiz's questions, in order. Questions nobody answered still get a row, and rows for
   * questions not listed are ignored. Without it, the quiz is every question seen in the rows.
   */
  items?: readonly ItemDescriptor[];
  scoreBasis?: ScoreBasis;
  /** With 2 learners any correlation is ±1, which says nothing; 3 is the least that can. */
  minLearnersForDiscrimination?: number;
  /** Discrimination below this (and ≥ 0) is flagged 'low-discrimination'. */
  lowDiscriminationThreshold?: number;
  topMisconceptionCount?: number;
}

export const itemStatisticsDefaults = {
  scoreBasis: 'first-attempt',
  minLearnersForDiscrimination: 3,
  lowDiscriminationThreshold: 0.2,
  topMisconceptionCount: 3,
} as const satisfies Required<Omit<ItemStatisticsOptions, 'items'>>;

/** Sums of squares this small are rounding noise on scores of 0..1, not real spread. */
const VARIANCE_EPSILON = 1e-12;

function isCorrect(score: number): boolean {
  return score >= 1;
}

function unavailable(reason: UnavailableReason): Statistic {
  return { value: null, reason };
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle];
  return ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

interface LearnerItemRecord {
  /** Attempts in time order (input order breaks ties). */
  attempts: ItemResponseRow[];
  basis: ItemResponseRow;
}

function pickBasis(attempts: readonly ItemResponseRow[], scoreBasis: ScoreBasis): ItemResponseRow {
  const first = attempts[0];
  if (first === undefined) throw new Error('pickBasis needs at least one attempt');
  if (scoreBasis === 'first-attempt') return first;
  // The earliest attempt among equal best scores, so the option counted is the one that first earned it.
  return attempts.reduce((best, attempt) => (attempt.score > best.score ? attempt : best), first);
}

/**
 * Correlation statistics for one item. `itemScores[k]` and `restScores[k]` belong to the same learner.
 * Moodle divides each sum by (n − 1); the factors cancel in both ratios, so plain sums are used.
 */
export function discriminationStatistics(
  itemScores: readonly number[],
  restScores: readonly number[],
  minLearners: number = itemStatisticsDefaults.minLearnersForDiscrimination,
): { discriminationIndex: Statistic; discriminativeEfficiency: Statistic } {
  const n = itemScores.length;
  if (n !== restScores.length) throw new Error('item and rest scores must have the same length');
  const both = (statistic: Statistic) => ({ discriminationIndex: statistic, discriminativeEfficiency: statistic });
  if (n === 0) return both(unavailable('no-learners'));
  if (n < minLearners) return both(unavailable('too-few-learners'));

  const itemMean = mean(itemScores);
  const restMean = mean(restScores);
  let itemSumOfSquares = 0;
  let restSumOfSquares = 0;
  let crossProducts = 0;
  for (let k = 0; k < n; k++) {
    const itemDeviation = (itemScores[k] ?? 0) - itemMean;
    const restDeviation = (restScores[k] ?? 0) - restMean;
    itemSumOfSquares += itemDeviation * itemDeviation;
    restSumOfSquares += restDeviation * restDeviation;
    crossProducts += itemDeviation * restDeviation;
  }
  if (itemSumOfSquares <= VARIANCE_EPSILON) return both(unavailable('no-item-variance'));
  if (restSumOfSquares <= VARIANCE_EPSILON) return both(unavailable('no-rest-variance'));

  // The largest covariance possible with these two sets of marks: pair them in sorted order
  // (rearrangement inequality). Moodle's `covariancemax`.
  const sortedItem = [...itemScores].sort((a, b) => a - b);
  const sortedRest = [...restScores].sort((a, b) => a - b);
  let maxCrossProducts = 0;
  for (let k = 0; k < n; k++) {
    maxCrossProducts += ((sortedItem[k] ?? 0) - itemMean) * ((sortedRest[k] ?? 0) - restMean);
  }

  const index = crossProducts / Math.sqrt(itemSumOfSquares * restSumOfSquares);
  return {
    discriminationIndex: { value: Math.max(-1, Math.min(1, index)) },
    // Both variances are non-zero here, so by Chebyshev's sum inequality maxCrossProducts > 0.
    discriminativeEfficiency: { value: crossProducts / maxCrossProducts },
  };
}

export function flagFor(discriminationIndex: Statistic, lowThreshold: number): ItemFlag | null {
  if (discriminationIndex.value === null) return null;
  if (discriminationIndex.value < 0) return 'negative-discrimination';
  if (discriminationIndex.value < lowThreshold) return 'low-discrimination';
  return null;
}

/** Item statistics for every question of one quiz. */
export function computeItemStatistics(
  rows: readonly ItemResponseRow[],
  options: ItemStatisticsOptions = {},
): ItemStatistics[] {
  const scoreBasis = options.scoreBasis ?? itemStatisticsDefaults.scoreBasis;
  const minLearners = options.minLearnersForDiscrimination ?? itemStatisticsDefaults.minLearnersForDiscrimination;
  const lowThreshold = options.lowDiscriminationThreshold ?? itemStatisticsDefaults.lowDiscriminationThreshold;
  const topCount = options.topMisconceptionCount ?? itemStatisticsDefaults.topMisconceptionCount;

  const items: readonly ItemDescriptor[] =
    options.items ?? [...new Set(rows.map((row) => row.questionId))].map((id) => ({ id }));
  const itemIds = new Set(items.map((item) => item.id));

  // questionId -> learnerId -> attempts
  const byItem = new Map<string, Map<string, ItemResponseRow[]>>();
  for (const item of items) byItem.set(item.id, new Map());
  for (const row of rows) {
    if (!itemIds.has(row.questionId)) continue;
    const byLearner = byItem.get(row.questionId);
    if (byLearner === undefined) continue;
    const attempts = byLearner.get(row.learnerId);
    if (attempts === undefined) byLearner.set(row.learnerId, [row]);
    else attempts.push(row);
  }

  const records = new Map<string, Map<string, LearnerItemRecord>>();
  // Rest-of-quiz scores need each learner's total. An item a learner never answered counts 0,
  // Moodle's first option for incomplete attempts (see the decision record).
  const totals = new Map<string, number>();
  for (const [itemId, byLearner] of byItem) {
    const itemRecords = new Map<string, LearnerItemRecord>();
    for (const [learnerId, attempts] of byLearner) {
      // Array.prototype.sort is stable, so equal timestamps keep their input order.
      const ordered = [...attempts].sort((a, b) => toEpochMs(a.submittedAt) - toEpochMs(b.submittedAt));
      const basis = pickBasis(ordered, scoreBasis);
      itemRecords.set(learnerId, { attempts: ordered, basis });
      totals.set(learnerId, (totals.get(learnerId) ?? 0) + basis.score);
    }
    records.set(itemId, itemRecords);
  }

  return items.map((item) => {
    const itemRecords = records.get(item.id) ?? new Map<string, LearnerItemRecord>();
    const learnerRecords = [...itemRecords.entries()];
    const n = learnerRecords.length;
    const itemScores = learnerRecords.map(([, record]) => record.basis.score);
    const restScores = learnerRecords.map(([learnerId, record]) => (totals.get(learnerId) ?? 0) - record.basis.score);

    const facility: Statistic = n === 0 ? unavailable('no-learners') : { value: mean(itemScores) };
    let standardDeviation: Statistic;
    if (n === 0) standardDeviation = unavailable('no-learners');
    else if (n < 2) standardDeviation = unavailable('too-few-learners');
    else {
      const itemMean = mean(itemScores);
      const sumOfSquares = itemScores.reduce((sum, score) => sum + (score - itemMean) ** 2, 0);
      standardDeviation = { value: Math.sqrt(sumOfSquares / (n - 1)) };
    }
    const { discriminationIndex, discriminativeEfficiency } = discriminationStatistics(
      itemScores,
      restScores,
      minLearners,
    );

    const optionTally = new Map<string, number>((item.optionIds ?? []).map((optionId) => [optionId, 0]));
    const misconceptionLearners = new Map<string, Set<string>>();
    const msToFirstCorrect: number[] = [];
    let learnersEverCorrect = 0;
    let attempts = 0;
    for (const [learnerId, record] of learnerRecords) {
      attempts += record.attempts.length;
      const chosen = record.basis.selectedOptionId;
      if (chosen != null) optionTally.set(chosen, (optionTally.get(chosen) ?? 0) + 1);
      for (const attempt of record.attempts) {
        for (const tag of attempt.misconceptionTags ?? []) {
          const learners = misconceptionLearners.get(tag) ?? new Set<string>();
          learners.add(learnerId);
          misconceptionLearners.set(tag, learners);
        }
      }
      const firstCorrect = record.attempts.find((attempt) => isCorrect(attempt.score));
      if (firstCorrect === undefined) continue;
      learnersEverCorrect++;
      const starts = record.attempts.flatMap((attempt) =>
        attempt.startedAt == null ? [] : [toEpochMs(attempt.startedAt)],
      );
      if (starts.length === 0) continue;
      const elapsed = toEpochMs(firstCorrect.submittedAt) - Math.min(...starts);
      // A negative span means clocks disagreed; such a row cannot be trusted either way.
      if (elapsed >= 0) msToFirstCorrect.push(elapsed);
    }

    const listed = new Set(item.optionIds ?? []);
    const optionCounts: OptionCount[] = [
      ...(item.optionIds ?? []).map((optionId) => ({ optionId, learners: optionTally.get(optionId) ?? 0 })),
      ...[...optionTally.entries()]
        .filter(([optionId]) => !listed.has(optionId))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([optionId, learners]) => ({ optionId, learners })),
    ];
    const topMisconceptions = [...misconceptionLearners.entries()]
      .map(([tag, learners]) => ({ tag, learners: learners.size }))
      .sort((a, b) => b.learners - a.learners || a.tag.localeCompare(b.tag))
      .slice(0, topCount);

    const medianMs = median(msToFirstCorrect);
    let medianMsToFirstCorrect: Statistic;
    if (n === 0) medianMsToFirstCorrect = unavailable('no-learners');
    else if (learnersEverCorrect === 0) medianMsToFirstCorrect = unavailable('nobody-correct');
    else if (medianMs === undefined) medianMsToFirstCorrect = unavailable('no-timing-data');
    else medianMsToFirstCorrect = { value: medianMs };

    return {
      questionId: item.id,
      learners: n,
      attempts,
      facility,
      standardDeviation,
      discriminationIndex,
      discriminativeEfficiency,
      flag: flagFor(discriminationIndex, lowThreshold),
      optionCounts,
      topMisconceptions,
      learnersEverCorrect,
      medianMsToFirstCorrect,
    };
  });
}
