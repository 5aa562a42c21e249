/**
 * `npm run bench:dashboard` (issue 6): 10,000 learners and 500,000 progress events in SQLite; the
 * class overview and question analysis pages rendered by a production server. Prints JSON lines:
 * the medians of full server render time (HTTP request for the page's HTML, with a signed-in
 * instructor) and, for diagnosis, of the data functions alone. Target: each page's median under
 * 300 ms. A figure to read, never a timed test.
 *
 * Uses the build in NEXT_DIST_DIR (default .next), building once if there is none; rebuild
 * after source changes (`NEXT_DIST_DIR=.next-bench npx next build`). Options by environment:
 * BENCH_LEARNERS (10000), BENCH_EVENTS (500000), BENCH_RUNS (15).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';

import { mulberry32 } from '@/lib/demo/simulate';
import { LESSON_SLUGS } from '@/lib/content/catalog';
import { createInstructor, signIn } from '@/lib/server/auth/accounts';
import { syncRows } from '@/lib/server/content-sync';
import { createDb } from '@/lib/server/db/client';
import { questionAnalysis } from '@/lib/server/instructor/analysis';
import { createClass } from '@/lib/server/instructor/classes';
import { classOverview } from '@/lib/server/instructor/overview';
import { allQuizzes } from '@/lib/server/quiz-content';
import { WIDGETS } from '@/lib/widgets/catalog';

import { migrate } from '../../lib/cli/migrate.mjs';
import { distDir, ensureBuild, freePort, median, quantile, root } from './bench-server';

const LEARNERS = Number(process.env.BENCH_LEARNERS ?? 10_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 500_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');

/** Prisma's SQLite DateTime text format. */
const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

function seed(file: string, cohortId: string): { responses: number } {
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = OFF');
  const random = mulberry32(6);
  const quiz = allQuizzes()[0]!;
  const sections = Array.from({ length: 14 }, (_, k) => `section-${k + 1}`);
  // Targets as the browser sends them: `<kind>:<instance>`.
  const widgets = Object.entries(WIDGETS).map(([kind, widget]) => `${kind}:${widget.defaultInstance}`);
  const start = Date.now() - 14 * 86_400_000;
  const insertLearner = sqlite.prepare('INSERT INTO "Learner" (id, "displayName", "createdAt") VALUES (?, ?, ?)');
  const insertEnrollment = sqlite.prepare(
    'INSERT INTO "Enrollment" ("cohortId", "learnerId", "joinedAt") VALUES (?, ?, ?)',
  );
  const insertEvent = sqlite.prepare(
    'INSERT INTO "ProgressEvent" (id, "learnerId", "clientEventId", "lessonSlug", type, target, data, "occurredAt", "receivedAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertResponse = sqlite.prepare(
    'INSERT INTO "Response" (id, "learnerId", "questionId", attempt, variant, answer, score, correct, grading, "selectedOptionId", "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  let responses = 0;
  const perLearner = Math.floor(EVENTS / LEARNERS);
  sqlite.transaction(() => {
    for (let k = 0; k < LEARNERS; k++) {
      const id = randomUUID();
      let clock = start + random() * 3 * 86_400_000;
      insertLearner.run(id, `Learner ${k + 1}`, iso(clock));
      insertEnrollment.run(cohortId, id, iso(clock));
      for (let e = 0; e < perLearner; e++) {
        clock += 20_000 + random() * 600_000;
        const reading = e < sections.length || random() < 0.2;
        const target = reading ? sections[e % sections.length]! : widgets[Math.floor(random() * widgets.length)]!;
        insertEvent.run(
          randomUUID(),
          id,
          randomUUID(),
          quiz.slug,
          reading ? 'section-viewed' : 'widget-used',
          target,
          reading ? null : '{"control":"slider"}',
          iso(clock),
          iso(clock),
        );
      }
      const ability = random() * 2 - 1;
      for (const question of quiz.questions) {
        for (let attempt = 1; attempt <= question.policy.maxAttempts; attempt++) {
          clock += 30_000 + random() * 120_000;
          const right = random() < 1 / (1 + Math.exp(-1.7 * (ability + 0.6 * (attempt - 1))));
          const optionId =
            question.kind === 'single-choice'
              ? right
                ? quiz.choiceKeys.get(question.id)!.correctOptionId
                : question.options[1 + Math.floor(random() * (question.options.length - 1))]!.id
              : null;
          const rightOption = optionId === null || optionId === quiz.choiceKeys.get(question.id)?.correctOptionId;
          const correct = question.kind === 'single-choice' ? rightOption : right;
          const misconception = correct || question.kind === 'single-choice' ? null : 'missing-x';
          const grading = JSON.stringify({
            score: correct ? 1 : 0,
            correct,
            parts: [{ id: 'value', score: correct ? 1 : 0, correct, misconception }],
          });
          insertResponse.run(
            randomUUID(),
            id,
            question.id,
            attempt,
            0,
            question.kind === 'single-choice' ? '{"choice":"A"}' : '{"parts":{"value":1}}',
            correct ? 1 : 0,
            correct ? 1 : 0,
            grading,
            optionId,
            iso(clock),
          );
          responses++;
          if (correct) break;
        }
      }
    }
  })();
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.exec('ANALYZE');
  sqlite.close();
  return { responses };
}

async function timeIt(run: () => Promise<unknown>, runs = RUNS): Promise<number[]> {
  for (let k = 0; k < 2; k++) await run();
  const samples: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    await run();
    samples.push(performance.now() - t0);
  }
  return samples;
}

function report(name: string, samples: number[], extra: Record<string, unknown> = {}) {
  console.log(
    JSON.stringify({
      bench: 'dashboard',
      name,
      runs: samples.length,
      medianMs: Number(median(samples).toFixed(1)),
      p90Ms: Number(quantile(samples, 0.9).toFixed(1)),
      targetMs: 300,
      ...extra,
    }),
  );
}

// The production server seals cookies for production (Secure, __Secure- prefix); sign in the same way.
(process.env as Record<string, string>).NODE_ENV = 'production';
const dir = mkdtempSync(path.join(tmpdir(), 'autodidact-dashboard-bench-'));
const file = path.join(dir, 'bench.db');
const url = `file:${file}`;
process.env.DATABASE_URL = url;
let child: ReturnType<typeof spawn> | undefined;
try {
  await ensureBuild();
  await migrate(url);
  const db = await createDb(url);
  await syncRows(
    db,
    LESSON_SLUGS.map((slug, index) => ({ slug, title: slug, order: index + 1 })),
  );
  await createInstructor(db, { name: 'Bench', email: 'bench@example.org', password: 'bench password 123' });
  const session = await signIn(db, new Headers(), { email: 'bench@example.org', password: 'bench password 123' });
  const cookie = session.setCookies.map((c) => c.split(';')[0]).join('; ');
  const headers = new Headers({ cookie });
  const { id: cohortId } = await createClass(db, headers, { name: 'Bench class' });
  const t0 = performance.now();
  const { responses } = seed(file, cohortId);
  const events = await db.progressEvent.count();
  console.error(
    `[bench] seeded ${LEARNERS} learners, ${events} events, ${responses} responses in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const data = { learners: LEARNERS, events, responses };
  if (process.env.BENCH_SEED_ONLY === '1') process.exit(0);
  report('overview data (default sort)', await timeIt(() => classOverview(db, headers, cohortId, {})), data);
  report('question analysis data', await timeIt(() => questionAnalysis(db, headers, cohortId)), data);
  // The report is cached per class until a response arrives (docs/decisions/008, Update); this is
  // the cost of the first view after an answer: the aggregate SQL alone.
  report(
    'question analysis data (recomputed, no cache)',
    await timeIt(() => questionAnalysis(db, headers, cohortId, { useCache: false })),
    data,
  );

  const port = await freePort();
  child = spawn(process.execPath, [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', NEXT_DIST_DIR: distDir, DATABASE_URL: url, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      // not up yet
    }
    if (tries > 120) throw new Error('server did not start');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const page = async (pathname: string) => {
    // No redirect following: a redirect to the sign-in page would time the wrong page.
    const response = await fetch(`${base}${pathname}`, { headers: { cookie }, redirect: 'manual' });
    const html = await response.text();
    if (response.status !== 200 || !html.includes('Bench class'))
      throw new Error(`${pathname}: HTTP ${response.status}`);
    return html;
  };
  const overview = `/instructor/classes/${cohortId}`;
  report('overview page (HTTP, default sort)', await timeIt(() => page(overview)), data);
  report('question analysis page (HTTP)', await timeIt(() => page(`${overview}/questions`)), data);
  // Sorting by an aggregate reads every learner's events; reported so a regression shows.
  report(
    'overview page (HTTP, sorted by sections read)',
    await timeIt(() => page(`${overview}?sort=sectionsRead&dir=desc`)),
    data,
  );
  report('overview page (HTTP, stuck only)', await timeIt(() => page(`${overview}?stuck=1`)), data);
  await db.$disconnect();
} finally {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  if (process.env.BENCH_KEEP_DB === '1') console.error(`[bench] kept ${file}`);
  else rmSync(dir, { recursive: true, force: true });
}
