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
import type { LessonQuizContent } from '@/lib/quiz/views';
import { facilityByParameter, type QuestionVariantFacility, type VariantAttempt } from '@/lib/quiz/variant-facility';

import { databaseProvider, type Db } from '../db/client';
import { Prisma } from '../db/generated/sqlite/client';
import { allQuizzes } from '../quiz-content';
import { requireOwnedCohort, type OwnedCohort } from './access';
import { epochMs, msBetween, num, numOrNull } from './sql';

/**
 * The question report (Moodle's quiz statistics, PrairieLearn's question statistics) computed
 * with aggregate SQL: the database returns small tables, never one row per response. The
 * statistics themselves come from lib/analytics/item-statistics.ts (discriminationStatistics,
 * flagFor), fed with the score patterns expanded back into per-learner lists, so the numbers are
 * the ones computeItemStatistics gives on raw rows (an integration test compares the two).
 *
 * Two statements per quiz (docs/decisions/008, "Update"):
 * 1. One pass over the class's responses to the quiz in the order of the covering index
 *    Response(learnerId, questionId, attempt, score, createdAt, selectedOptionId), grouped per
 *    learner only (the index order, so no sort), with one column per question for the first-try
 *    score, attempts, first and first correct time and first-try option. From those 10k rows,
 *    small tables: learners per pattern of first-try scores (at most 2^8 for eight right/wrong
 *    questions), a histogram of seconds to the first correct answer, option tallies.
 * 2. Misconception ids cut out of the grading text of wrong answers to numeric questions (the
 *    only rows that can carry one), distinct learners per question and id.
 * Grouping per learner *and* question instead (the first version) needed a sort of every
 * (learner, question) pair and a join back to per-learner totals: about 4 times slower.
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

/** The grading JSON is written by JSON.stringify, so a recognised mistake appears exactly like this. */
const MISCONCEPTION_MARKER = '"misconception":"';

interface Aggregates {
  /** qid → [item score, rest-of-quiz score, learners] */
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

const column = (prefix: string, k: number) => Prisma.raw(`${prefix}${k}`);

interface PassRow {
  kind: 'pattern' | 'time' | 'option';
  k: unknown;
  value: unknown;
  option_id: string | null;
  n: unknown;
  attempts: unknown;
  [x: `x${number}`]: unknown;
}

async function aggregates(db: Db, cohortId: string, questions: readonly PublicQuestion[]): Promise<Aggregates> {
  const result: Aggregates = {
    pairs: new Map(),
    attempts: new Map(),
    everCorrect: new Map(),
    options: new Map(),
    misconceptions: new Map(),
    secondsToCorrect: new Map(),
    respondents: 0,
  };
  if (questions.length === 0) return result;
  const provider = databaseProvider();
  const ids = Prisma.join(questions.map((q) => q.id));
  const choiceIndexes = questions.flatMap((q, k) => (q.kind === 'single-choice' ? [k] : []));
  const numericQuestions = questions.filter((q) => q.kind !== 'single-choice');
  const cohortResponses = Prisma.sql`"Enrollment" e JOIN "Response" r ON r."learnerId" = e."learnerId"
    WHERE e."cohortId" = ${cohortId}`;
  const xs = Prisma.join(questions.map((_, k) => column('x', k)));

  // Per learner, per question k: first-try score x, attempts a, first try f, first correct c,
  // first-try option o (choice questions). Attempt 1 is the earliest: attempts are numbered in order.
  const perLearnerColumns = Prisma.join(
    questions.map((q, k) => {
      const is = Prisma.sql`r."questionId" = ${q.id}`;
      const option =
        q.kind === 'single-choice'
          ? Prisma.sql`, MAX(CASE WHEN ${is} AND r.attempt = 1 THEN r."selectedOptionId" END) AS ${column('o', k)}`
          : Prisma.empty;
      return Prisma.sql`MAX(CASE WHEN ${is} AND r.attempt = 1 THEN r.score END) AS ${column('x', k)},
        SUM(CASE WHEN ${is} THEN 1 ELSE 0 END) AS ${column('a', k)},
        MIN(CASE WHEN ${is} THEN r."createdAt" END) AS ${column('f', k)},
        MIN(CASE WHEN ${is} AND r.score >= 1 THEN r."createdAt" END) AS ${column('c', k)}${option}`;
    }),
  );
  const nulls = Prisma.join(questions.map((_, k) => Prisma.sql`NULL AS ${column('x', k)}`));
  const timeBranches = questions.map((_, k) => {
    const [a, f, c] = [column('a', k), column('f', k), column('c', k)];
    // Right first time is 0 without date arithmetic; NULL when never right.
    const seconds = Prisma.sql`ROUND((CASE WHEN ${c} = ${f} THEN 0 ELSE ${msBetween(provider, Prisma.sql`${c}`, Prisma.sql`${f}`)} END) / 1000.0)`;
    return Prisma.sql`SELECT 'time' AS kind, ${Prisma.raw(String(k))} AS k, s AS value, NULL AS option_id, COUNT(*) AS n, SUM(${a}) AS attempts, ${nulls}
      FROM (SELECT ${seconds} AS s, ${a} FROM per_learner WHERE ${a} > 0) t GROUP BY s`;
  });
  // NULL option with a first try: a row stored before the option id was recorded (mapped below).
  const optionBranches = choiceIndexes.map(
    (
      k,
    ) => Prisma.sql`SELECT 'option' AS kind, ${Prisma.raw(String(k))} AS k, NULL AS value, ${column('o', k)} AS option_id, COUNT(*) AS n, 0 AS attempts, ${nulls}
      FROM per_learner WHERE ${column('x', k)} IS NOT NULL GROUP BY ${column('o', k)}`,
  );

  const passRows = await db.$queryRaw<PassRow[]>`
    WITH per_learner AS MATERIALIZED (
      SELECT e."learnerId" AS lid, ${perLearnerColumns}
      FROM ${cohortResponses} AND r."questionId" IN (${ids})
      GROUP BY e."learnerId"
    )
    SELECT 'pattern' AS kind, NULL AS k, NULL AS value, NULL AS option_id, COUNT(*) AS n, 0 AS attempts, ${xs}
    FROM per_learner GROUP BY ${xs}
    UNION ALL ${Prisma.join([...timeBranches, ...optionBranches], ' UNION ALL ')}`;

  // Misconceptions: only wrong answers to numeric questions carry one. Cut the ids out of the
  // grading text (one per part, so as many rounds as the longest question has parts) instead of
  // testing every known id against every row. instr/strpos: the one SQLite/PostgreSQL difference.
  const maxParts = Math.max(1, ...numericQuestions.map((q) => ('parts' in q ? q.parts.length : 1)));
  const position = (text: Prisma.Sql) =>
    provider === 'sqlite'
      ? Prisma.sql`instr(${text}, ${MISCONCEPTION_MARKER})`
      : Prisma.sql`strpos(${text}, ${MISCONCEPTION_MARKER})`;
  const quote = (text: Prisma.Sql) =>
    provider === 'sqlite' ? Prisma.sql`instr(${text}, '"')` : Prisma.sql`strpos(${text}, '"')`;
  const after = (text: Prisma.Sql) =>
    Prisma.sql`substr(${text}, ${position(text)} + ${Prisma.raw(String(MISCONCEPTION_MARKER.length))})`;
  const rounds = Array.from({ length: maxParts }, (_, round) => `m${round}`);
  const misconceptionRows =
    numericQuestions.length === 0
      ? []
      : await db.$queryRaw<{ qid: string; tag: string; n: unknown }[]>`
    WITH ${Prisma.join(
      rounds.map((name, round) =>
        round === 0
          ? Prisma.sql`m0 AS MATERIALIZED (
              SELECT r."questionId" AS qid, r."learnerId" AS lid, ${after(Prisma.sql`r.grading`)} AS rest
              FROM ${cohortResponses} AND r."questionId" IN (${Prisma.join(numericQuestions.map((q) => q.id))})
                AND r.score < 1 AND ${position(Prisma.sql`r.grading`)} > 0)`
          : Prisma.sql`${Prisma.raw(name)} AS MATERIALIZED (
              SELECT qid, lid, ${after(Prisma.sql`rest`)} AS rest FROM ${Prisma.raw(`m${round - 1}`)}
              WHERE ${position(Prisma.sql`rest`)} > 0)`,
      ),
    )}
    SELECT qid, tag, COUNT(DISTINCT lid) AS n FROM (${Prisma.join(
      rounds.map(
        (name) =>
          Prisma.sql`SELECT qid, lid, substr(rest, 1, ${quote(Prisma.sql`rest`)} - 1) AS tag FROM ${Prisma.raw(name)}`,
      ),
      ' UNION ALL ',
    )}) t
    GROUP BY qid, tag`;

  const tally = (qid: string, optionId: string, n: number) => {
    const options = result.options.get(qid) ?? new Map<string, number>();
    options.set(optionId, (options.get(optionId) ?? 0) + n);
    result.options.set(qid, options);
  };
  const unmapped = new Set<string>();
  for (const row of passRows) {
    const n = num(row.n);
    if (row.kind === 'pattern') {
      // A learner's first-try scores; rest of quiz = total − item, unanswered counting 0, summed
      // in question order exactly as computeItemStatistics does.
      const scores = questions.map((_, k) => numOrNull(row[`x${k}`]));
      let total = 0;
      let answered = false;
      for (const x of scores) {
        if (x === null) continue;
        total += x;
        answered = true;
      }
      if (answered) result.respondents += n;
      scores.forEach((x, k) => {
        const qid = questions[k]?.id;
        if (x !== null && qid !== undefined) push(result.pairs, qid, [x, total - x, n]);
      });
      continue;
    }
    const qid = questions[num(row.k)]?.id;
    if (qid === undefined) continue;
    if (row.kind === 'option') {
      if (row.option_id === null) unmapped.add(qid);
      else tally(qid, row.option_id, n);
      continue;
    }
    result.attempts.set(qid, (result.attempts.get(qid) ?? 0) + num(row.attempts));
    const seconds = numOrNull(row.value);
    if (seconds !== null) result.everCorrect.set(qid, (result.everCorrect.get(qid) ?? 0) + n);
    // Negative spans would mean clock trouble; the pure function drops them too.
    if (seconds !== null && seconds >= 0) push(result.secondsToCorrect, qid, [seconds, n]);
  }

  // Rows stored before the option id was recorded: map their letter through the learner's
  // shuffled order in code. Only queried when the pass above found such rows.
  if (unmapped.size > 0) {
    const unmappedRows = await db.$queryRaw<{ qid: string; lid: string; variant: unknown; answer: string }[]>`
      SELECT r."questionId" AS qid, r."learnerId" AS lid, r.variant AS variant, r.answer AS answer
      FROM ${cohortResponses} AND r.attempt = 1 AND r."questionId" IN (${Prisma.join([...unmapped])})
        AND r."selectedOptionId" IS NULL`;
    const byId = new Map(questions.map((q) => [q.id, q]));
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
  }

  const knownTags = new Set<string>(misconceptionIdSchema.options);
  const tagCounts = new Map<string, MisconceptionCount[]>();
  for (const row of misconceptionRows) {
    if (!knownTags.has(row.tag)) continue;
    push(tagCounts, row.qid, { tag: row.tag, learners: num(row.n) });
  }
  for (const [qid, counts] of tagCounts) {
    result.misconceptions.set(
      qid,
      counts
        .sort((a, b) => b.learners - a.learners || a.tag.localeCompare(b.tag))
        .slice(0, itemStatisticsDefaults.topMisconceptionCount),
    );
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

/** Bump when the report's definitions or payload shape change, so older cached rows are not reused. */
const REPORT_VERSION = 2;
/** Moodle recomputed quiz statistics older than 15 minutes (TIME_TO_CACHE = 900 s, until 4.3); so do we. */
export const REPORT_CACHE_MAX_AGE_MS = 15 * 60_000;

interface QuizReport {
  respondents: number;
  stats: ItemStatistics[];
}

/**
 * What a quiz's report depends on, read in one cheap statement (one pass over the covering
 * index, no row reads): the class's members (count, latest join) and its responses to the quiz
 * (count, latest). Responses are only ever added, so a new answer changes the count; a learner
 * leaving changes the member count. Read *before* computing, so an answer arriving meanwhile
 * only makes the stored row look older than it is (recomputed next time), never newer.
 */
async function reportFingerprint(db: Db, cohortId: string, quiz: LessonQuizContent): Promise<string> {
  const ids = quiz.questions.map((q) => q.id);
  const rows = await db.$queryRaw<{ learners: unknown; joined: unknown; responses: unknown; latest: unknown }[]>`
    SELECT (SELECT COUNT(*) FROM "Enrollment" WHERE "cohortId" = ${cohortId}) AS learners,
           (SELECT MAX("joinedAt") FROM "Enrollment" WHERE "cohortId" = ${cohortId}) AS joined,
           COUNT(*) AS responses, MAX(r."createdAt") AS latest
    FROM "Enrollment" e JOIN "Response" r ON r."learnerId" = e."learnerId"
    WHERE e."cohortId" = ${cohortId} AND r."questionId" IN (${Prisma.join(ids)})`;
  const row = rows[0];
  const content = quiz.questions
    .map((q) => (q.kind === 'single-choice' ? `${q.id}(${q.options.map((o) => o.id).join(',')})` : q.id))
    .join(';');
  return JSON.stringify([
    REPORT_VERSION,
    content,
    num(row?.learners),
    epochMs(row?.joined),
    num(row?.responses),
    epochMs(row?.latest),
  ]);
}

async function computeQuizReport(db: Db, cohortId: string, quiz: LessonQuizContent): Promise<QuizReport> {
  const data = await aggregates(db, cohortId, quiz.questions);
  return { respondents: data.respondents, stats: quiz.questions.map((question) => statisticsFor(question, data)) };
}

/**
 * The quiz's statistics from the cache row when it was computed from the same data less than
 * 15 minutes ago, else computed and stored. A failed store only costs the next view a recompute.
 */
async function quizReport(db: Db, cohortId: string, quiz: LessonQuizContent, useCache: boolean): Promise<QuizReport> {
  if (!useCache) return computeQuizReport(db, cohortId, quiz);
  const [fingerprint, cached] = await Promise.all([
    reportFingerprint(db, cohortId, quiz),
    db.questionReportCache.findUnique({ where: { cohortId_lessonSlug: { cohortId, lessonSlug: quiz.slug } } }),
  ]);
  if (
    cached &&
    cached.fingerprint === fingerprint &&
    Date.now() - cached.computedAt.getTime() < REPORT_CACHE_MAX_AGE_MS
  ) {
    return JSON.parse(cached.payload) as QuizReport;
  }
  const report = await computeQuizReport(db, cohortId, quiz);
  const stored = { fingerprint, computedAt: new Date(), payload: JSON.stringify(report) };
  try {
    await db.questionReportCache.upsert({
      where: { cohortId_lessonSlug: { cohortId, lessonSlug: quiz.slug } },
      create: { cohortId, lessonSlug: quiz.slug, ...stored },
      update: stored,
    });
  } catch {
    // Two views storing at once, or a read-only replica: the report is right either way.
  }
  return report;
}

export interface QuestionAnalysisOptions {
  /** false: recompute from the responses even when a fresh cached report exists (benchmarks, tests). */
  useCache?: boolean;
}

export async function questionAnalysis(
  db: Db,
  headers: Headers,
  cohortId: unknown,
  options: QuestionAnalysisOptions = {},
): Promise<QuestionAnalysis> {
  const { cohort } = await requireOwnedCohort(db, headers, cohortId);
  const quizzes = allQuizzes();
  const lessonRows = await db.lesson.findMany({ select: { slug: true, title: true } });
  const titles = new Map(lessonRows.map((lesson) => [lesson.slug, lesson.title]));
  const perLesson = await Promise.all(quizzes.map((quiz) => quizReport(db, cohort.id, quiz, options.useCache ?? true)));
  const lessons = quizzes.map((quiz, index): LessonReport => {
    const report = perLesson[index];
    if (!report) throw new Error('missing lesson report');
    return {
      lessonSlug: quiz.slug,
      lessonTitle: titles.get(quiz.slug) ?? quiz.slug,
      questions: quiz.questions.map((question, position) => {
        const stats = report.stats[position];
        if (!stats || stats.questionId !== question.id) throw new Error('lesson report out of step with its quiz');
        return {
          question: { id: question.id, kind: question.kind, skill: question.skill, prompt: question.prompt, position },
          options:
            question.kind === 'single-choice'
              ? question.options.map((option) => ({
                  id: option.id,
                  text: option.text,
                  correct: quiz.choiceKeys.get(question.id)?.correctOptionId === option.id,
                }))
              : [],
          stats,
        };
      }),
    };
  });
  // With one quiz per lesson a learner may answer several; the largest count is a lower bound
  // on distinct respondents and exact with one quizzed lesson (today's course).
  return { cohort, lessons, respondents: Math.max(0, ...perLesson.map((report) => report.respondents)) };
}

/** Most recent attempts the per-variant report regenerates variants for (graded and practice together). */
export const VARIANT_REPORT_MAX_ATTEMPTS = 20_000;

export interface VariantFacilityReport {
  cohort: OwnedCohort['cohort'];
  lessons: { lessonSlug: string; lessonTitle: string; questions: (QuestionVariantFacility & { prompt: string })[] }[];
  /** True when the class had more attempts than VARIANT_REPORT_MAX_ATTEMPTS and only the latest were used. */
  truncated: boolean;
}

/**
 * Facility per variant parameter for the class's generated questions (issue 16, item 5): every
 * attempt, graded and practice, on the variant it was graded on. A page of its own, computed on
 * request: regenerating variants costs more than the aggregate SQL of the main report.
 */
export async function variantFacility(db: Db, headers: Headers, cohortId: unknown): Promise<VariantFacilityReport> {
  const { cohort } = await requireOwnedCohort(db, headers, cohortId);
  const quizzes = allQuizzes();
  const generated = quizzes.flatMap((quiz) =>
    quiz.questions.filter((q) => q.kind !== 'single-choice').map((q) => q.id),
  );
  const lessonRows = await db.lesson.findMany({ select: { slug: true, title: true } });
  const titles = new Map(lessonRows.map((lesson) => [lesson.slug, lesson.title]));
  const rows =
    generated.length === 0
      ? []
      : await db.$queryRaw<{ lid: string; qid: string; variant: unknown; score: unknown; practice: unknown }[]>`
    SELECT lid, qid, variant, score, practice FROM (
      SELECT r."learnerId" AS lid, r."questionId" AS qid, r.variant AS variant, r.score AS score, 0 AS practice, r."createdAt" AS at
      FROM "Enrollment" e JOIN "Response" r ON r."learnerId" = e."learnerId"
      WHERE e."cohortId" = ${cohort.id} AND r."questionId" IN (${Prisma.join(generated)})
      UNION ALL
      SELECT p."learnerId", p."questionId", p.variant, p.score, 1, p."createdAt"
      FROM "Enrollment" e JOIN "PracticeResponse" p ON p."learnerId" = e."learnerId"
      WHERE e."cohortId" = ${cohort.id} AND p."questionId" IN (${Prisma.join(generated)})
    ) t ORDER BY at DESC LIMIT ${VARIANT_REPORT_MAX_ATTEMPTS + 1}`;
  const truncated = rows.length > VARIANT_REPORT_MAX_ATTEMPTS;
  const attempts: VariantAttempt[] = rows.slice(0, VARIANT_REPORT_MAX_ATTEMPTS).map((row) => ({
    learnerId: row.lid,
    questionId: row.qid,
    variant: num(row.variant),
    score: num(row.score),
    practice: num(row.practice) === 1,
  }));
  return {
    cohort,
    truncated,
    lessons: quizzes.map((quiz) => ({
      lessonSlug: quiz.slug,
      lessonTitle: titles.get(quiz.slug) ?? quiz.slug,
      questions: facilityByParameter(quiz.questions, attempts).map((entry) => ({
        ...entry,
        prompt: quiz.questions.find((q) => q.id === entry.questionId)?.prompt ?? '',
      })),
    })),
  };
}
