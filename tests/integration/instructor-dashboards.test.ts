// The dashboards' SQL against lib/analytics' pure functions on a simulated class (issue 6): the
// aggregate queries must give the numbers the pure functions give on raw rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { sortClassOverview } from '@/lib/analytics/class-overview';
import { computeItemStatistics, type ItemResponseRow } from '@/lib/analytics/item-statistics';
import { xapiStatementSchema } from '@/lib/export/xapi-schema';
import { createInstructor, signIn } from '@/lib/server/auth/accounts';
import { questionAnalysis } from '@/lib/server/instructor/analysis';
import { createClass } from '@/lib/server/instructor/classes';
import { seedDemo } from '@/lib/server/instructor/demo';
import { overviewCsv, responsesCsv, xapiExport } from '@/lib/server/instructor/exports';
import { classOverview, courseQuestions, overviewRowsFor } from '@/lib/server/instructor/overview';
import { learnerTimeline } from '@/lib/server/instructor/timeline';
import { allQuizzes } from '@/lib/server/quiz-content';

import { choiceLetters, LESSON, newLearner, submit, updateLearner } from './helpers/learner-client';
import { createQuizDatabase } from './helpers/quiz-database';
import type { TestDatabase } from './helpers/test-database';

let database: TestDatabase;
let headers: Headers;
let demoCohortId: string;
const now = new Date('2026-03-01T12:00:00Z');

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

beforeAll(async () => {
  database = await createQuizDatabase();
  const demo = await seedDemo(database.db, { learnerCount: 200, seed: 7, endsAt: now, password: 'demo password 123' });
  demoCohortId = demo.cohortId;
  const result = await signIn(database.db, new Headers(), { email: demo.email, password: 'demo password 123' });
  headers = new Headers({ cookie: result.setCookies.map((c) => c.split(';')[0]).join('; ') });
}, 120_000);
afterAll(async () => {
  await database?.cleanup();
});

describe('class overview', () => {
  it('flags the same stuck learners in SQL as findStuckSkills does in code', async () => {
    const enrolled = await database.db.enrollment.findMany({
      where: { cohortId: demoCohortId },
      select: { learnerId: true },
    });
    expect(enrolled).toHaveLength(200);
    const all = await overviewRowsFor(
      database.db,
      enrolled.map((e) => e.learnerId),
      courseQuestions(),
      now,
    );
    const expectedStuck = all
      .filter((row) => row.stuck)
      .map((row) => row.learnerId)
      .sort();
    // The simulation is built to leave some learners stuck; a zero here would make the check empty.
    expect(expectedStuck.length).toBeGreaterThan(5);
    const page = await classOverview(database.db, headers, demoCohortId, { stuck: '1', pageSize: '500' }, now);
    expect(page.rows.map((row) => row.learnerId).sort()).toEqual(expectedStuck);
    expect(page.total).toBe(expectedStuck.length);
    expect(page.rows.every((row) => row.stuck)).toBe(true);
  });

  it('sorts by quiz score in SQL exactly as the pure sort does, missing scores last', async () => {
    const enrolled = await database.db.enrollment.findMany({
      where: { cohortId: demoCohortId },
      select: { learnerId: true },
    });
    const all = await overviewRowsFor(
      database.db,
      enrolled.map((e) => e.learnerId),
      courseQuestions(),
      now,
    );
    for (const dir of ['asc', 'desc'] as const) {
      const expected = sortClassOverview(all, 'score', dir).map((row) => row.quizScore);
      const seen: (number | null)[] = [];
      for (let page = 1; page <= 4; page++) {
        const result = await classOverview(
          database.db,
          headers,
          demoCohortId,
          { sort: 'score', dir, page: String(page) },
          now,
        );
        expect(result.pageCount).toBe(4);
        seen.push(...result.rows.map((row) => row.quizScore));
      }
      expect(seen).toHaveLength(200);
      seen.forEach((score, k) => {
        const want = expected[k] ?? null;
        if (want === null) expect(score).toBeNull();
        else expect(score).toBeCloseTo(want, 9);
      });
    }
  });

  it('sorts by sections read and last activity, and filters by name and inactivity', async () => {
    const bySections = await classOverview(
      database.db,
      headers,
      demoCohortId,
      { sort: 'sectionsRead', dir: 'desc', pageSize: '200' },
      now,
    );
    const counts = bySections.rows.map((row) => row.sectionsRead);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const byActivity = await classOverview(
      database.db,
      headers,
      demoCohortId,
      { sort: 'lastActive', dir: 'asc', pageSize: '200' },
      now,
    );
    const times = byActivity.rows.map((row) => row.lastActiveAt ?? Infinity);
    expect(times).toEqual([...times].sort((a, b) => a - b));

    const named = await classOverview(database.db, headers, demoCohortId, { q: 'JOSÉ', pageSize: '200' }, now);
    expect(named.total).toBeGreaterThan(0);
    expect(named.rows.every((row) => row.displayName.toLowerCase().includes('josé'))).toBe(true);
    const percent = await classOverview(database.db, headers, demoCohortId, { q: '%' }, now);
    expect(percent.total).toBe(0);

    const idle = await classOverview(database.db, headers, demoCohortId, { inactiveDays: '5', pageSize: '200' }, now);
    const cutoff = now.getTime() - 5 * 86_400_000;
    expect(idle.total).toBeGreaterThan(0);
    expect(idle.rows.every((row) => row.lastActiveAt === null || row.lastActiveAt <= cutoff)).toBe(true);
  });

  it('rejects a bad query with a 400', async () => {
    for (const query of [
      { sort: 'password' },
      { page: '0' },
      { pageSize: '100000' },
      { inactiveDays: 'x' },
      { extra: '1' },
    ]) {
      await expect(classOverview(database.db, headers, demoCohortId, query, now)).rejects.toMatchObject({
        status: 400,
      });
    }
  });
});

describe('question analysis', () => {
  it('matches computeItemStatistics on the raw rows', async () => {
    const quiz = allQuizzes()[0]!;
    const responses = await database.db.response.findMany({
      where: { learner: { enrollments: { some: { cohortId: demoCohortId } } } },
    });
    const rows: ItemResponseRow[] = responses.map((r) => {
      const grading = JSON.parse(r.grading) as { parts: { misconception: string | null }[] };
      return {
        learnerId: r.learnerId,
        questionId: r.questionId,
        score: r.score,
        submittedAt: r.createdAt,
        // The report times from the first try's submission (docs/decisions/008).
        startedAt: r.createdAt,
        selectedOptionId: r.selectedOptionId,
        misconceptionTags: grading.parts.flatMap((p) => (p.misconception ? [p.misconception] : [])),
      };
    });
    const expected = computeItemStatistics(rows, {
      items: quiz.questions.map((q) => ({
        id: q.id,
        ...(q.kind === 'single-choice' ? { optionIds: q.options.map((o) => o.id) } : {}),
      })),
    });
    const analysis = await questionAnalysis(database.db, headers, demoCohortId);
    const actual = analysis.lessons[0]!.questions.map((q) => q.stats);
    expect(actual.map((s) => s.questionId)).toEqual(expected.map((s) => s.questionId));
    for (const [k, want] of expected.entries()) {
      const got = actual[k]!;
      expect(got.learners).toBe(want.learners);
      expect(got.attempts).toBe(want.attempts);
      expect(got.learnersEverCorrect).toBe(want.learnersEverCorrect);
      expect(got.optionCounts).toEqual(want.optionCounts);
      expect(got.topMisconceptions).toEqual(want.topMisconceptions);
      expect(got.flag).toBe(want.flag);
      for (const key of ['facility', 'standardDeviation', 'discriminationIndex', 'discriminativeEfficiency'] as const) {
        if (want[key].value === null) expect(got[key]).toEqual(want[key]);
        // Rest scores are grouped to 1e-6 in SQL, so agreement is to about that.
        else expect(got[key].value).toBeCloseTo(want[key].value, 6);
      }
      // The SQL histogram is to the second.
      if (want.medianMsToFirstCorrect.value === null)
        expect(got.medianMsToFirstCorrect).toEqual(want.medianMsToFirstCorrect);
      else
        expect(
          Math.abs((got.medianMsToFirstCorrect.value ?? NaN) - want.medianMsToFirstCorrect.value),
        ).toBeLessThanOrEqual(1000);
    }
    // A believable class: some question discriminates well, and at least one has misconceptions.
    expect(actual.some((s) => (s.discriminationIndex.value ?? 0) > 0.2)).toBe(true);
    expect(actual.some((s) => s.topMisconceptions.length > 0)).toBe(true);
  });

  it('says why for classes of 0, 1 and 2 learners', async () => {
    const { instructor, cookie } = await (async () => {
      const created = await createInstructor(database.db, {
        name: 'Small',
        email: 'small@example.org',
        password: 'small class password',
      });
      const result = await signIn(database.db, new Headers(), {
        email: 'small@example.org',
        password: 'small class password',
      });
      return { instructor: created, cookie: result.setCookies.map((c) => c.split(';')[0]).join('; ') };
    })();
    expect(instructor.id).toBeTruthy();
    const small = new Headers({ cookie });
    const { id, joinCode } = await createClass(database.db, small, { name: 'Tiny' });
    const check = async () => {
      const stats = (await questionAnalysis(database.db, small, id)).lessons[0]!.questions[0]!.stats;
      return { learners: stats.learners, facility: stats.facility, di: stats.discriminationIndex };
    };
    expect(await check()).toEqual({
      learners: 0,
      facility: { value: null, reason: 'no-learners' },
      di: { value: null, reason: 'no-learners' },
    });
    for (let k = 1; k <= 2; k++) {
      const learner = await newLearner(database.db);
      await updateLearner(database.db, learner.cookie, { joinCode });
      const letters = choiceLetters(learner.learnerId, 'why-chain-rule');
      const response = await submit(database.db, learner.cookie, {
        questionId: 'why-chain-rule',
        attempt: 1,
        answer: { choice: k === 1 ? letters.correct : letters.wrong },
      });
      expect(response.status).toBe(200);
      const result = await check();
      expect(result.learners).toBe(k);
      expect(result.facility).toEqual({ value: k === 1 ? 1 : 0.5 });
      expect(result.di).toEqual({ value: null, reason: 'too-few-learners' });
    }
    const page = await classOverview(database.db, small, id, {}, new Date());
    expect(page.rows).toHaveLength(2);
    expect(page.rows.map((r) => r.quizScore).sort()).toEqual([0, 1 / courseQuestions().ids.length]);
  });
});

describe('timeline and exports', () => {
  let learnerId: string;
  let cohortId: string;
  let own: Headers;
  beforeAll(async () => {
    await createInstructor(database.db, {
      name: 'Exporter',
      email: 'export@example.org',
      password: 'export password 1',
    });
    const result = await signIn(database.db, new Headers(), {
      email: 'export@example.org',
      password: 'export password 1',
    });
    own = new Headers({ cookie: result.setCookies.map((c) => c.split(';')[0]).join('; ') });
    const created = await createClass(database.db, own, { name: 'Export, "quoted" class' });
    cohortId = created.id;
    const learner = await newLearner(database.db);
    learnerId = learner.learnerId;
    // A display name a spreadsheet would run as a formula, were it not guarded.
    await updateLearner(database.db, learner.cookie, { joinCode: created.joinCode, displayName: '=HYPERLINK("x")' });
    const letters = choiceLetters(learnerId, 'why-chain-rule');
    await submit(database.db, learner.cookie, {
      questionId: 'why-chain-rule',
      attempt: 1,
      answer: { choice: letters.wrong },
    });
    await submit(database.db, learner.cookie, {
      questionId: 'why-chain-rule',
      attempt: 2,
      answer: { choice: letters.correct },
    });
  });

  it('shows answers in time order with the feedback the learner saw', async () => {
    const timeline = await learnerTimeline(database.db, own, cohortId, learnerId);
    const answers = timeline.entries.filter((e) => e.kind === 'answer');
    expect(answers.map((a) => (a.kind === 'answer' ? a.correct : null))).toEqual([false, true]);
    expect(answers[0]!.kind === 'answer' && answers[0]!.feedback).toBe('Not quite.');
    expect(answers[1]!.kind === 'answer' && answers[1]!.feedback).toBe('Correct.');
    expect(answers[1]!.summary).toMatch(/^Answered “.+” with “[A-H]: .+”: right on attempt 2$/);
  });

  it('exports the overview as guarded CSV', async () => {
    const download = await overviewCsv(database.db, own, cohortId);
    expect(download.filename).toMatch(/^Export-quoted-class-overview-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await text(download.body);
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toMatch(
      /^learner_id,name,sections_read,widgets_used,quiz_score,last_active,stuck,stuck_on,mastery_/,
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`${learnerId},"'=HYPERLINK(""x"")",0,0,`);
  });

  it('exports every response as CSV with the option chosen', async () => {
    const csv = await text((await responsesCsv(database.db, own, cohortId)).body);
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(
      'learner_id,question_id,skill,attempt,started_at,submitted_at,score,correct,selected_option,response,misconceptions',
    );
    const body = lines.slice(1).sort((a, b) => a.localeCompare(b));
    expect(body).toHaveLength(2);
    const skill = allQuizzes()[0]!.questions.find((q) => q.id === 'why-chain-rule')!.skill;
    expect(body.every((line) => line.startsWith(`${learnerId},why-chain-rule,${skill},`))).toBe(true);
    expect(body.some((line) => /,1,true,indirect-dependence,/.test(line))).toBe(true);
  });

  it('exports the demo class as valid xAPI statements', async () => {
    const json = await text((await xapiExport(database.db, headers, demoCohortId, 'https://school.example')).body);
    const statements = JSON.parse(json) as unknown[];
    const events = await database.db.progressEvent.count({
      where: { learner: { enrollments: { some: { cohortId: demoCohortId } } } },
    });
    const responses = await database.db.response.count({
      where: { learner: { enrollments: { some: { cohortId: demoCohortId } } } },
    });
    expect(statements).toHaveLength(events + responses);
    for (const statement of statements.slice(0, 500)) xapiStatementSchema.parse(statement);
    expect(new Set(statements.map((s) => (s as { id: string }).id)).size).toBe(statements.length);
    expect(JSON.stringify(statements[0])).toContain('https://school.example/xapi/lessons/' + LESSON);
  });
});
