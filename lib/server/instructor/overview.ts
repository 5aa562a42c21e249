import 'server-only';

import { z } from 'zod';

import {
  buildClassOverview,
  defaultStuckRule,
  type ClassOverviewRow,
  type ClassOverviewSortKey,
  type LearnerActivity,
} from '@/lib/analytics/class-overview';
import { MS_PER_DAY } from '@/lib/analytics/instant';
import type { MasteryAttempt } from '@/lib/analytics/mastery';
import type { Skill } from '@/lib/analytics/skills';
import { skillEvidence, type EvidenceAttempt } from '@/lib/quiz/mastery';
import type { PublicQuestion } from '@/lib/quiz/schema';

import { displayName } from '../api/names';
import { databaseProvider, type Db } from '../db/client';
import { Prisma } from '../db/generated/sqlite/client';
import { parseOrThrow } from '../http';
import { allQuizzes } from '../quiz-content';
import { requireOwnedCohort, type OwnedCohort } from './access';
import { num, timeParam, type Provider } from './sql';

/**
 * The class overview: one row per learner, sorted, filtered and paginated in SQL over the whole
 * class, then the page's rows (50 by default) built with lib/analytics' pure functions, so the
 * mastery and "stuck" rules live in one place. The SQL version of "stuck" and "quiz score" used
 * for sorting and filtering must agree with those functions; tests/integration/instructor-dashboards
 * checks that on a simulated class.
 */

export const OVERVIEW_SORT_KEYS = ['name', 'score', 'lastActive', 'stuck', 'sectionsRead'] as const;
export const DEFAULT_PAGE_SIZE = 50;

export const overviewQuerySchema = z
  .object({
    sort: z.enum(OVERVIEW_SORT_KEYS).default('name'),
    dir: z.enum(['asc', 'desc']).default('asc'),
    q: z.string().trim().max(80).default(''),
    stuck: z
      .enum(['1', '0', 'true', 'false', ''])
      .default('')
      .transform((value) => value === '1' || value === 'true'),
    inactiveDays: z.union([z.literal(''), z.coerce.number().int().min(1).max(365)]).default(''),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(DEFAULT_PAGE_SIZE),
  })
  .strict();
export type OverviewQuery = z.infer<typeof overviewQuerySchema>;
export type OverviewQueryInput = z.input<typeof overviewQuerySchema>;

export interface ClassOverviewPage {
  cohort: OwnedCohort['cohort'];
  query: OverviewQuery;
  rows: ClassOverviewRow[];
  /** Learners matching the filter (all pages). */
  total: number;
  /** Learners in the class. */
  classSize: number;
  pageCount: number;
  questionCount: number;
  now: number;
}

interface CourseQuestions {
  ids: string[];
  skillOf: Map<string, Skill>;
  /** The questions themselves, for mastery evidence per part skill. */
  list: readonly PublicQuestion[];
}

/** Built once: the course content does not change while the server runs. */
let courseQuestionsMemo: CourseQuestions | undefined;

export function courseQuestions(): CourseQuestions {
  if (courseQuestionsMemo) return courseQuestionsMemo;
  const questions = allQuizzes().flatMap((quiz) => quiz.questions);
  courseQuestionsMemo = {
    ids: questions.map((q) => q.id),
    skillOf: new Map(questions.map((q) => [q.id, q.skill])),
    list: questions,
  };
  return courseQuestionsMemo;
}

const storedGradingSchema = z.object({ parts: z.array(z.object({ id: z.string(), score: z.number() })) });

/**
 * A stored grading's parts, for mastery evidence. Rows are written by the quiz service, so this
 * only guards against rows from an older format: those count as one whole-question part.
 */
function gradingParts(text: string, score: number): EvidenceAttempt['grading'] {
  try {
    const parsed = storedGradingSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  return { parts: [{ id: '', score }] };
}

/** Label for a learner who has not given a name: stable and short, never blank. */
export function learnerLabel(learner: { id: string; displayName: string | null }): string {
  // Names stored before issue 19 may hold direction overrides or invisible characters: shown without them.
  const name = learner.displayName === null ? '' : displayName(learner.displayName);
  return name || `Unnamed learner ${learner.id.slice(0, 8)}`;
}

/** Learner ids on one page, in order, with the number that match the filter. */
async function selectPage(
  db: Db,
  provider: Provider,
  cohortId: string,
  query: OverviewQuery,
  questions: CourseQuestions,
  now: Date,
): Promise<{ ids: string[]; total: number }> {
  const ids = questions.ids.length > 0 ? Prisma.join(questions.ids) : Prisma.sql`NULL`;
  const needle = query.q.toLowerCase();
  const nameFilter =
    needle === ''
      ? Prisma.empty
      : // instr() rather than LIKE, so a learner typing % or _ matches those characters literally.
        provider === 'sqlite'
        ? Prisma.sql`AND instr(lower(COALESCE(l."displayName", '')), ${needle}) > 0`
        : Prisma.sql`AND strpos(lower(COALESCE(l."displayName", '')), ${needle}) > 0`;

  const lastActive = Prisma.sql`(SELECT MAX(x) FROM (
      SELECT MAX(pe."occurredAt") AS x FROM "ProgressEvent" pe WHERE pe."learnerId" = m.id
      UNION ALL
      SELECT MAX(rr."createdAt") AS x FROM "Response" rr WHERE rr."learnerId" = m.id
      UNION ALL
      -- Practice is activity too, as lastActiveAt in the rows below counts it (docs/decisions/013).
      SELECT MAX(pp."createdAt") AS x FROM "PracticeResponse" pp WHERE pp."learnerId" = m.id) AS activity)`;
  const sectionsRead = Prisma.sql`(SELECT COUNT(DISTINCT pe."target") FROM "ProgressEvent" pe
      WHERE pe."learnerId" = m.id AND pe."type" = 'section-viewed')`;
  // Latest attempt per question, averaged over every quiz question (unanswered ones count 0);
  // NULL before the first answer. Same rule as quizScoreOf below.
  const score = Prisma.sql`((SELECT SUM(r.score) FROM "Response" r
      WHERE r."learnerId" = m.id AND r."questionId" IN (${ids})
        AND r.attempt = (SELECT MAX(r2.attempt) FROM "Response" r2
                         WHERE r2."learnerId" = r."learnerId" AND r2."questionId" = r."questionId"))
      * 1.0 / ${Math.max(1, questions.ids.length)})`;
  const stuckSkills = Prisma.sql`COALESCE(st.skills, 0)`;

  const needsStuck = query.stuck || query.sort === 'stuck';
  const threshold = timeParam(provider, new Date(now.getTime() - defaultStuckRule.inactiveDays * MS_PER_DAY));
  // Per learner and skill: the last right answer and the first try; then the skills where the
  // answers since the last right one (all of them if never right) are at least minWrongOnSkill
  // and that moment is inactiveDays old. lib/analytics/class-overview.ts findStuckSkills, in SQL.
  const stuckCte = needsStuck
    ? Prisma.sql`, skill_progress AS (
        SELECT r."learnerId" AS lid, q."skill" AS skill,
               MAX(CASE WHEN r.score >= 1 THEN r."createdAt" END) AS last_right,
               MIN(r."createdAt") AS first_at
        FROM members mm JOIN "Response" r ON r."learnerId" = mm.id JOIN "Question" q ON q.id = r."questionId"
        GROUP BY r."learnerId", q."skill"
      ), stuck AS (
        SELECT sp.lid, COUNT(*) AS skills FROM skill_progress sp
        WHERE COALESCE(sp.last_right, sp.first_at) <= ${threshold}
          AND (SELECT COUNT(*) FROM "Response" r3 JOIN "Question" q3 ON q3.id = r3."questionId"
               WHERE r3."learnerId" = sp.lid AND q3."skill" = sp.skill
                 AND (sp.last_right IS NULL OR r3."createdAt" > sp.last_right)) >= ${defaultStuckRule.minWrongOnSkill}
        GROUP BY sp.lid
      )`
    : Prisma.empty;
  const stuckJoin = needsStuck ? Prisma.sql`LEFT JOIN stuck st ON st.lid = m.id` : Prisma.empty;

  const where: Prisma.Sql[] = [];
  if (query.stuck) where.push(Prisma.sql`st.skills > 0`);
  if (query.inactiveDays !== '') {
    const since = timeParam(provider, new Date(now.getTime() - query.inactiveDays * MS_PER_DAY));
    where.push(Prisma.sql`(${lastActive} IS NULL OR ${lastActive} <= ${since})`);
  }
  const whereSql = where.length > 0 ? Prisma.sql`WHERE ${Prisma.join(where, ' AND ')}` : Prisma.empty;

  const sortExpression: Record<ClassOverviewSortKey, Prisma.Sql> = {
    name: Prisma.sql`lower(m.name)`,
    score,
    lastActive,
    stuck: stuckSkills,
    sectionsRead,
  };
  const direction = query.dir === 'desc' ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const key = sortExpression[query.sort];
  // Missing values (no score yet, never active) last in both directions; ties by name, then id.
  const orderBy = Prisma.sql`ORDER BY CASE WHEN ${key} IS NULL THEN 1 ELSE 0 END, ${key} ${direction}, lower(m.name) ASC, m.id ASC`;

  const rows = await db.$queryRaw<{ id: string; total: unknown }[]>`
    WITH members AS (
      SELECT e."learnerId" AS id, COALESCE(l."displayName", '') AS name
      FROM "Enrollment" e JOIN "Learner" l ON l.id = e."learnerId"
      WHERE e."cohortId" = ${cohortId} ${nameFilter}
    ) ${stuckCte}
    SELECT m.id AS id, COUNT(*) OVER () AS total
    FROM members m ${stuckJoin}
    ${whereSql}
    ${orderBy}
    LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`;
  if (rows.length > 0) return { ids: rows.map((row) => row.id), total: num(rows[0]?.total) };
  // An empty page past the end still needs the count, for "page 9 of 3" links.
  const count = await db.$queryRaw<{ total: unknown }[]>`
    WITH members AS (
      SELECT e."learnerId" AS id, COALESCE(l."displayName", '') AS name
      FROM "Enrollment" e JOIN "Learner" l ON l.id = e."learnerId"
      WHERE e."cohortId" = ${cohortId} ${nameFilter}
    ) ${stuckCte}
    SELECT COUNT(*) AS total FROM members m ${stuckJoin} ${whereSql}`;
  return { ids: [], total: num(count[0]?.total) };
}

/** Latest attempt per question, averaged over `questionCount` questions; null with no attempts. */
export function quizScoreOf(
  attempts: readonly { questionId: string; attempt: number; score: number }[],
  questionCount: number,
): number | null {
  if (attempts.length === 0 || questionCount === 0) return null;
  const latest = new Map<string, { attempt: number; score: number }>();
  for (const attempt of attempts) {
    const seen = latest.get(attempt.questionId);
    if (!seen || attempt.attempt > seen.attempt) latest.set(attempt.questionId, attempt);
  }
  let sum = 0;
  for (const { score } of latest.values()) sum += score;
  return sum / questionCount;
}

/** Overview rows for the given learners (any number; callers page them). */
export async function overviewRowsFor(
  db: Db,
  learnerIds: readonly string[],
  questions: CourseQuestions,
  now: Date,
): Promise<ClassOverviewRow[]> {
  if (learnerIds.length === 0) return [];
  const ids = [...learnerIds];
  const [learners, sections, widgets, lastEvents, responses, practice] = await Promise.all([
    db.learner.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } }),
    db.progressEvent.groupBy({
      by: ['learnerId', 'target'],
      where: { learnerId: { in: ids }, type: 'section-viewed' },
    }),
    db.progressEvent.groupBy({ by: ['learnerId', 'target'], where: { learnerId: { in: ids }, type: 'widget-used' } }),
    db.progressEvent.groupBy({ by: ['learnerId'], where: { learnerId: { in: ids } }, _max: { occurredAt: true } }),
    db.response.findMany({
      where: { learnerId: { in: ids } },
      select: { learnerId: true, questionId: true, attempt: true, score: true, createdAt: true, grading: true },
    }),
    // Practice on fresh numbers is evidence of skill (mastery), never part of the score.
    db.practiceResponse.findMany({
      where: { learnerId: { in: ids } },
      select: { learnerId: true, questionId: true, score: true, createdAt: true, grading: true },
    }),
  ]);
  const countBy = (rows: readonly { learnerId: string }[]) => {
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(row.learnerId, (counts.get(row.learnerId) ?? 0) + 1);
    return counts;
  };
  const sectionCounts = countBy(sections);
  const widgetCounts = countBy(widgets);
  const lastEventAt = new Map(lastEvents.map((row) => [row.learnerId, row._max.occurredAt?.getTime() ?? null]));
  const byLearner = new Map<string, typeof responses>();
  for (const response of responses) {
    const list = byLearner.get(response.learnerId) ?? [];
    list.push(response);
    byLearner.set(response.learnerId, list);
  }
  const practiceBy = new Map<string, typeof practice>();
  for (const row of practice) {
    const list = practiceBy.get(row.learnerId) ?? [];
    list.push(row);
    practiceBy.set(row.learnerId, list);
  }
  const questionIds = new Set(questions.ids);
  const byId = new Map(learners.map((learner) => [learner.id, learner]));
  const activities: LearnerActivity[] = ids.flatMap((id) => {
    const learner = byId.get(id);
    if (!learner) return [];
    const own = byLearner.get(id) ?? [];
    const attempts: MasteryAttempt[] = own.flatMap((row) => {
      const skill = questions.skillOf.get(row.questionId);
      return skill ? [{ skill, score: row.score, at: row.createdAt }] : [];
    });
    // The same evidence, through the same function, as the learner's own progress panel.
    const evidence = skillEvidence(questions.list, [
      ...own.map((row) => ({
        questionId: row.questionId,
        grading: gradingParts(row.grading, row.score),
        at: row.createdAt,
        mode: 'graded' as const,
      })),
      ...(practiceBy.get(id) ?? []).map((row) => ({
        questionId: row.questionId,
        grading: gradingParts(row.grading, row.score),
        at: row.createdAt,
        mode: 'practice' as const,
      })),
    ]);
    let lastActive = lastEventAt.get(id) ?? null;
    for (const row of practiceBy.get(id) ?? []) lastActive = Math.max(lastActive ?? 0, row.createdAt.getTime());
    for (const row of own) lastActive = Math.max(lastActive ?? 0, row.createdAt.getTime());
    return [
      {
        learnerId: id,
        displayName: learnerLabel(learner),
        sectionsRead: sectionCounts.get(id) ?? 0,
        widgetsUsed: widgetCounts.get(id) ?? 0,
        quizScore: quizScoreOf(
          own.filter((row) => questionIds.has(row.questionId)),
          questions.ids.length,
        ),
        attempts,
        evidence,
        lastActiveAt: lastActive,
      },
    ];
  });
  return buildClassOverview(activities, { now });
}

/** One page of the class overview. `now` is injectable for tests. */
export async function classOverview(
  db: Db,
  headers: Headers,
  cohortId: unknown,
  rawQuery: unknown,
  now = new Date(),
): Promise<ClassOverviewPage> {
  const { cohort } = await requireOwnedCohort(db, headers, cohortId);
  const query = parseOrThrow(overviewQuerySchema, rawQuery ?? {});
  const questions = courseQuestions();
  const [{ ids, total }, classSize] = await Promise.all([
    selectPage(db, databaseProvider(), cohort.id, query, questions, now),
    db.enrollment.count({ where: { cohortId: cohort.id } }),
  ]);
  const rows = await overviewRowsFor(db, ids, questions, now);
  return {
    cohort,
    query,
    rows,
    total,
    classSize,
    pageCount: Math.max(1, Math.ceil(total / query.pageSize)),
    questionCount: questions.ids.length,
    now: now.getTime(),
  };
}

/** Every learner of the class in name order, in pages, for the CSV export. */
export async function* allOverviewRows(
  db: Db,
  cohortId: string,
  now = new Date(),
  pageSize = 500,
): AsyncGenerator<ClassOverviewRow, void, undefined> {
  const questions = courseQuestions();
  let cursor: string | undefined;
  for (;;) {
    const page = await db.enrollment.findMany({
      where: { cohortId },
      orderBy: { learnerId: 'asc' },
      take: pageSize,
      ...(cursor ? { cursor: { cohortId_learnerId: { cohortId, learnerId: cursor } }, skip: 1 } : {}),
      select: { learnerId: true },
    });
    if (page.length === 0) return;
    yield* await overviewRowsFor(
      db,
      page.map((row) => row.learnerId),
      questions,
      now,
    );
    cursor = page[page.length - 1]?.learnerId;
    if (page.length < pageSize) return;
  }
}
