import 'server-only';

import {
  discriminationStatistics,
  flagFor,
  itemStatisticsDefaults,
  type ItemStatistics,
  type MisconceptionCount,
  type Statistic,
} from '@/lib/analytics/item-statistics';
import { misconceptionIdSchema, type PublicQuestion } from '@/lib/quiz/schema';
import { choiceVariant } from '@/lib/quiz/variants';
import { choiceAnswerSchema } from '@/lib/quiz/grading';

import { databaseProvider, type Db } from '../db/client';
import { Prisma } from '../db/generated/sqlite/client';
import { allQuizzes } from '../quiz-content';
import { requireOwnedCohort, type OwnedCohort } from './access';
import { msBetween, num, numOrNull } from './sql';

/**
 * The question report (Moodle's quiz statistics, PrairieLearn's question statistics) computed
 * with aggregate SQL: the database returns small tables (per question: how many learners had each
 * pair of item score and rest-of-quiz score; option tallies; misconception tallies; a histogram
 * of time to first correct answer), never one row per response. The statistics themselves come
 * from lib/analytics/item-statistics.ts (discriminationStatistics, flagFor), fed with the
 * histogram expanded back into per-learner score lists, so the numbers are the ones
 * computeItemStatistics gives on raw rows (an integration test compares the two).
 */

export interface QuestionReport {
  question: { id: string; kind: PublicQuestion['kind']; skill: string; prompt: string; position: number };
  /** Option ids with their text, for choice questions; correct one marked. */
  options: { id: string; text: string; correct: boolean }[];
  stats: ItemStatistics;
}

export interface LessonReport {
  lessonSlug: string;
  lessonTitle: string;
  questions: QuestionReport[];
}

export interface QuestionAnalysis {
  cohort: OwnedCohort['cohort'];
  lessons: LessonReport[];
  /** Learners who answered at least one question (first attempts). */
  respondents: number;
}

const MISCONCEPTION_IDS = misconceptionIdSchema.options;
/** The grading JSON is written by JSON.stringify, so a recognised mistake appears exactly like this. */
const misconceptionPattern = (id: string) => `%"misconception":"${id}"%`;

interface Aggregates {
  /** qid → [item score, rest score, learners] */
  pairs: Map<string, [number, number, number][]>;
  attempts: Map<string, number>;
  everCorrect: Map<string, number>;
  options: Map<string, Map<string, number>>;
  misconceptions: Map<string, MisconceptionCount[]>;
  /** qid → [seconds, learners] */
  secondsToCorrect: Map<string, [number, number][]>;
  /** Learners with a first attempt at any of these questions. */
  respondents: number;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

async function aggregates(db: Db, cohortId: string, questions: readonly PublicQuestion[]): Promise<Aggregates> {
  const provider = databaseProvider();
  const ids = Prisma.join(questions.map((q) => q.id));
  const choiceQuestions = questions.filter((q) => q.kind === 'single-choice');
  const choiceIds = choiceQuestions.length > 0 ? Prisma.join(choiceQuestions.map((q) => q.id)) : Prisma.sql`NULL`;
  const numericQuestions = questions.filter((q) => q.kind !== 'single-choice');
  const numericIds = numericQuestions.length > 0 ? Prisma.join(numericQuestions.map((q) => q.id)) : Prisma.sql`NULL`;
  const cohortResponses = Prisma.sql`"Enrollment" e JOIN "Response" r ON r."learnerId" = e."learnerId"
    WHERE e."cohortId" = ${cohortId} AND r."questionId" IN (${ids})`;
  const elapsed = msBetween(provider, Prisma.sql`first_right`, Prisma.sql`first_at`);

  const [passRows, optionRows, unmappedRows, misconceptionRows] = await Promise.all([
    // One pass over the class's responses in index order (learner, question: the covering index
    // on Response), materialised once as one row per learner and question, then two small
    // tables from it: (item score, rest-of-quiz score) pairs per question, and per question a
    // histogram of seconds from first try to first correct answer (NULL: never correct) with
    // attempts summed. Attempt 1 is the earliest: attempts are numbered in order. Rest scores
    // are rounded to 1e-6 so float sums of the same marks group together.
    db.$queryRaw<{ kind: string; qid: string; x: unknown; value: unknown; n: unknown; attempts: unknown }[]>`
      WITH per_learner AS MATERIALIZED (
        SELECT r."learnerId" AS lid, r."questionId" AS qid, COUNT(*) AS attempts,
               MIN(CASE WHEN r.attempt = 1 THEN r.score END) AS x,
               MIN(r."createdAt") AS first_at, MIN(CASE WHEN r.score >= 1 THEN r."createdAt" END) AS first_right
        FROM ${cohortResponses} GROUP BY r."learnerId", r."questionId"
      ), totals AS (SELECT lid, SUM(x) AS total FROM per_learner GROUP BY lid)
      SELECT 'pair' AS kind, p.qid AS qid, p.x AS x, ROUND((t.total - p.x) * 1000000) AS value, COUNT(*) AS n, 0 AS attempts
      FROM per_learner p JOIN totals t ON t.lid = p.lid WHERE p.x IS NOT NULL
      GROUP BY p.qid, p.x, ROUND((t.total - p.x) * 1000000)
      UNION ALL
      SELECT 'time' AS kind, qid, NULL AS x, ROUND(${elapsed} / 1000.0) AS value, COUNT(*) AS n, SUM(attempts) AS attempts
      FROM per_learner GROUP BY qid, ROUND(${elapsed} / 1000.0)
      UNION ALL
      SELECT 'respondents' AS kind, '' AS qid, NULL AS x, NULL AS value, COUNT(*) AS n, 0 AS attempts FROM totals`,
    db.$queryRaw<{ qid: string; option_id: string; n: unknown }[]>`
      SELECT r."questionId" AS qid, r."selectedOptionId" AS option_id, COUNT(*) AS n
      FROM ${cohortResponses} AND r.attempt = 1 AND r."questionId" IN (${choiceIds}) AND r."selectedOptionId" IS NOT NULL
      GROUP BY r."questionId", r."selectedOptionId"`,
    // Rows stored before the option id was recorded: map their letter through the learner's
    // shuffled order in code. Empty once every row has the column.
    db.$queryRaw<{ qid: string; lid: string; variant: unknown; answer: string }[]>`
      SELECT r."questionId" AS qid, r."learnerId" AS lid, r.variant AS variant, r.answer AS answer
      FROM ${cohortResponses} AND r.attempt = 1 AND r."questionId" IN (${choiceIds}) AND r."selectedOptionId" IS NULL`,
    db.$queryRaw<Record<string, unknown>[]>`
      SELECT r."questionId" AS qid,
        ${Prisma.join(
          MISCONCEPTION_IDS.map(
            (id, index) =>
              Prisma.sql`COUNT(DISTINCT CASE WHEN r.grading LIKE ${misconceptionPattern(id)} THEN r."learnerId" END) AS ${Prisma.raw(`m${index}`)}`,
          ),
        )}
      FROM ${cohortResponses} AND r."questionId" IN (${numericIds}) AND r.score < 1
        AND r.grading LIKE ${'%"misconception":"%'}
      GROUP BY r."questionId"`,
  ]);

  const result: Aggregates = {
    pairs: new Map(),
    attempts: new Map(),
    everCorrect: new Map(),
    options: new Map(),
    misconceptions: new Map(),
    secondsToCorrect: new Map(),
    respondents: num(passRows.find((row) => row.kind === 'respondents')?.n),
  };
  const pairRows = passRows.filter((row) => row.kind === 'pair');
  const timingRows = passRows.filter((row) => row.kind === 'time');
  for (const row of pairRows) push(result.pairs, row.qid, [num(row.x), num(row.value) / 1e6, num(row.n)]);
  const tally = (qid: string, optionId: string, n: number) => {
    const options = result.options.get(qid) ?? new Map<string, number>();
    options.set(optionId, (options.get(optionId) ?? 0) + n);
    result.options.set(qid, options);
  };
  for (const row of optionRows) tally(row.qid, row.option_id, num(row.n));
  const byId = new Map(choiceQuestions.map((q) => [q.id, q]));
  for (const row of unmappedRows) {
    const question = byId.get(row.qid);
    if (!question || question.kind !== 'single-choice') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(row.answer);
    } catch {
      continue;
    }
    const answer = choiceAnswerSchema.safeParse(parsed);
    if (!answer.success) continue;
    const option = choiceVariant(question, row.lid, num(row.variant)).find((o) => o.key === answer.data.choice);
    if (option) tally(row.qid, option.optionId, 1);
  }
  for (const row of misconceptionRows) {
    const qid = String(row.qid);
    const counts = MISCONCEPTION_IDS.map((tag, index) => ({ tag, learners: num(row[`m${index}`]) }))
      .filter((entry) => entry.learners > 0)
      .sort((a, b) => b.learners - a.learners || a.tag.localeCompare(b.tag))
      .slice(0, itemStatisticsDefaults.topMisconceptionCount);
    result.misconceptions.set(qid, counts);
  }
  for (const row of timingRows) {
    result.attempts.set(row.qid, (result.attempts.get(row.qid) ?? 0) + num(row.attempts));
    const seconds = numOrNull(row.value);
    if (seconds !== null) result.everCorrect.set(row.qid, (result.everCorrect.get(row.qid) ?? 0) + num(row.n));
    // Negative spans would mean clock trouble; the pure function drops them too.
    if (seconds !== null && seconds >= 0) push(result.secondsToCorrect, row.qid, [seconds, num(row.n)]);
  }
  return result;
}

/** Median of a weighted list (value, count); the mean of the middle two for an even total. */
export function weightedMedian(entries: readonly (readonly [number, number])[]): number | undefined {
  const sorted = [...entries].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return undefined;
  const valueAt = (rank: number) => {
    let seen = 0;
    for (const [value, n] of sorted) {
      seen += n;
      if (rank < seen) return value;
    }
    return sorted[sorted.length - 1]?.[0] ?? 0;
  };
  return total % 2 === 1 ? valueAt((total - 1) / 2) : (valueAt(total / 2 - 1) + valueAt(total / 2)) / 2;
}

function unavailable(reason: Extract<Statistic, { value: null }>['reason']): Statistic {
  return { value: null, reason };
}

function statisticsFor(question: PublicQuestion, data: Aggregates): ItemStatistics {
  const pairs = data.pairs.get(question.id) ?? [];
  const itemScores: number[] = [];
  const restScores: number[] = [];
  for (const [x, rest, n] of pairs) {
    for (let k = 0; k < n; k++) {
      itemScores.push(x);
      restScores.push(rest);
    }
  }
  const n = itemScores.length;
  const mean = n === 0 ? 0 : itemScores.reduce((a, b) => a + b, 0) / n;
  const facility: Statistic = n === 0 ? unavailable('no-learners') : { value: mean };
  const standardDeviation: Statistic =
    n === 0
      ? unavailable('no-learners')
      : n < 2
        ? unavailable('too-few-learners')
        : { value: Math.sqrt(itemScores.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (n - 1)) };
  const { discriminationIndex, discriminativeEfficiency } = discriminationStatistics(itemScores, restScores);
  const everCorrect = data.everCorrect.get(question.id) ?? 0;
  const medianSeconds = weightedMedian(data.secondsToCorrect.get(question.id) ?? []);
  const optionTally = data.options.get(question.id) ?? new Map<string, number>();
  const listed = question.kind === 'single-choice' ? question.options.map((o) => o.id) : [];
  return {
    questionId: question.id,
    learners: n,
    attempts: data.attempts.get(question.id) ?? 0,
    facility,
    standardDeviation,
    discriminationIndex,
    discriminativeEfficiency,
    flag: flagFor(discriminationIndex, itemStatisticsDefaults.lowDiscriminationThreshold),
    optionCounts: [
      ...listed.map((optionId) => ({ optionId, learners: optionTally.get(optionId) ?? 0 })),
      ...[...optionTally.entries()]
        .filter(([optionId]) => !listed.includes(optionId))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([optionId, learners]) => ({ optionId, learners })),
    ],
    topMisconceptions: data.misconceptions.get(question.id) ?? [],
    learnersEverCorrect: everCorrect,
    medianMsToFirstCorrect:
      n === 0
        ? unavailable('no-learners')
        : everCorrect === 0
          ? unavailable('nobody-correct')
          : medianSeconds === undefined
            ? unavailable('no-timing-data')
            : { value: medianSeconds * 1000 },
  };
}

export async function questionAnalysis(db: Db, headers: Headers, cohortId: unknown): Promise<QuestionAnalysis> {
  const { cohort } = await requireOwnedCohort(db, headers, cohortId);
  const quizzes = allQuizzes();
  const lessonRows = await db.lesson.findMany({ select: { slug: true, title: true } });
  const titles = new Map(lessonRows.map((lesson) => [lesson.slug, lesson.title]));
  const perLesson = await Promise.all(quizzes.map((quiz) => aggregates(db, cohort.id, quiz.questions)));
  const lessons = quizzes.map((quiz, index): LessonReport => {
    const data = perLesson[index];
    if (!data) throw new Error('missing lesson aggregates');
    return {
      lessonSlug: quiz.slug,
      lessonTitle: titles.get(quiz.slug) ?? quiz.slug,
      questions: quiz.questions.map((question, position) => ({
        question: { id: question.id, kind: question.kind, skill: question.skill, prompt: question.prompt, position },
        options:
          question.kind === 'single-choice'
            ? question.options.map((option) => ({
                id: option.id,
                text: option.text,
                correct: quiz.choiceKeys.get(question.id)?.correctOptionId === option.id,
              }))
            : [],
        stats: statisticsFor(question, data),
      })),
    };
  });
  // With one quiz per lesson a learner may answer several; the largest count is a lower bound
  // on distinct respondents and exact with one quizzed lesson (today's course).
  return { cohort, lessons, respondents: Math.max(0, ...perLesson.map((data) => data.respondents)) };
}
