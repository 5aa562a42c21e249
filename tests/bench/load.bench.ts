/**
 * `npm run load`: drives a production server with autocannon and prints req/s, p50/p95/p99 latency
 * and error counts for two learner workloads, each next to a ceiling measured in the same run:
 *
 *   reading  learners loading their lesson state (GET /api/lessons/:slug/state) and sending
 *            progress beacons (POST /api/progress, 3 new events each), alternating;
 *   answers  learners submitting answers (POST /api/quiz/answers): every request is a legitimate
 *            new attempt (its own learner's next attempt at a numeric question), graded and stored.
 *
 * The ceiling is the same requests (method, headers, body) sent to /api/noop, a route handler in
 * the same server that only parses the body (enabled by AUTODIDACT_BENCH=1, 404 otherwise).
 * Each workload runs a warm-up round, then LOAD_ROUNDS measured rounds alternating with its
 * ceiling; medians are reported. 20 connections (LOAD_CONNECTIONS), each its own autocannon
 * instance so that each connection owns its learners and sends their attempts in order.
 *
 * Runs on SQLite (a temp file) and, when DATABASE_URL is postgresql://…, also on a scratch
 * database on that server (dropped afterwards). Uses the build in NEXT_DIST_DIR (default .next);
 * build first when sources changed. Targets (docs/decisions/009): answers ≥ 0.8× the ceiling's
 * req/s, p99 ≤ 1.5× the ceiling's, zero non-2xx and zero SQLITE_BUSY. Printed, never asserted.
 */
import { randomUUID } from 'node:crypto';

import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import pg from 'pg';

import { graphPractice } from '../../content/lessons/chain-rule-computational-graphs/questions';
import {
  distDir,
  newSession,
  scratchDatabase,
  startAppServer,
  type ScratchDatabase,
} from '../multi-instance/app-server';
import { quantile } from './bench-server';

const LESSON = 'chain-rule-computational-graphs';
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 20);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 8);
const WARMUP_SECONDS = Number(process.env.LOAD_WARMUP_SECONDS ?? 3);
const ROUNDS = Number(process.env.LOAD_ROUNDS ?? 3);
const PORT = Number(process.env.LOAD_PORT ?? 3161);
/** LOAD_PHASES=answers (or reading) runs one workload only, e.g. while iterating on it. */
const PHASES = (process.env.LOAD_PHASES ?? 'reading,answers').split(',').map((phase) => phase.trim());

interface Req {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Per connection: a function returning its next request. */
type Workload = (connection: number) => () => Req;

interface Figures {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  errors: number;
  statuses: Record<string, number>;
}

async function drive(baseUrl: string, workload: Workload, seconds: number): Promise<Figures> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  const started = performance.now();
  const runs = Array.from({ length: CONNECTIONS }, (_, connection) => {
    const next = workload(connection);
    let sentAt = 0;
    return new Promise<void>((resolve, reject) => {
      const instance = autocannon(
        {
          url: baseUrl,
          connections: 1,
          duration: seconds,
          timeout: 30,
          requests: [
            {
              setupRequest: (request) => {
                const { method, path, headers, body } = next();
                sentAt = performance.now();
                return { ...request, method, path, headers: { ...headers, host: new URL(baseUrl).host }, body };
              },
              onResponse: (status) => {
                latencies.push(performance.now() - sentAt);
                statuses[status] = (statuses[status] ?? 0) + 1;
              },
            },
          ],
        },
        (error, result) => {
          if (error) return reject(error instanceof Error ? error : new Error(String(error)));
          errors += result.errors + result.timeouts;
          resolve();
        },
      );
      instance.on('error', () => {});
    });
  });
  await Promise.all(runs);
  const elapsed = (performance.now() - started) / 1000;
  const requests = latencies.length;
  const non2xx = Object.entries(statuses)
    .filter(([status]) => !status.startsWith('2'))
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    requests,
    seconds: elapsed,
    rps: requests / elapsed,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    p99: quantile(latencies, 0.99),
    non2xx,
    errors,
    statuses,
  };
}

/** Learners made ahead of time (a session each), handed to connections as they need more. */
class LearnerPool {
  private readonly cookies: string[] = [];
  constructor(private readonly baseUrl: string) {}
  async fill(count: number): Promise<void> {
    let made = 0;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (made < count) {
          made++;
          this.cookies.push(await newSession(this.baseUrl));
        }
      }),
    );
  }
  take(): string {
    const cookie = this.cookies.pop();
    if (!cookie) throw new Error('learner pool exhausted: raise the pool size');
    return cookie;
  }
  get size(): number {
    return this.cookies.length;
  }
}

const json = { 'content-type': 'application/json' };
const sameOrigin = (baseUrl: string) => ({ origin: baseUrl, 'sec-fetch-site': 'same-origin' });

function progressBody(): string {
  const now = Date.now();
  return JSON.stringify({
    events: [
      { id: randomUUID(), type: 'section-viewed', lessonSlug: LESSON, target: 'why-it-matters', at: now },
      {
        id: randomUUID(),
        type: 'widget-used',
        lessonSlug: LESSON,
        target: 'neuron-graph',
        at: now,
        data: { control: 'w' },
      },
      { id: randomUUID(), type: 'section-viewed', lessonSlug: LESSON, target: 'the-chain-rule', at: now },
    ],
  });
}

/** Reading: each connection keeps one learner and alternates a state load and a beacon. */
function readingWorkload(baseUrl: string, pool: LearnerPool, ceiling: boolean): Workload {
  return () => {
    const cookie = ceiling ? 'autodidact_session=x' : pool.take();
    let turn = 0;
    return () => {
      turn++;
      const state = turn % 2 === 1;
      return {
        method: state ? 'GET' : 'POST',
        path: ceiling ? '/api/noop' : state ? `/api/lessons/${LESSON}/state` : '/api/progress',
        headers: { cookie, ...(state ? {} : { ...json, ...sameOrigin(baseUrl) }) },
        body: state ? undefined : progressBody(),
      };
    };
  };
}

/**
 * Answers: each connection takes a learner, submits attempts 1, 2, 3 at each numeric question
 * (wrong answers, so every attempt stays open and is graded with misconception matching), then
 * takes the next learner. 18 legitimate new answers per learner, never a 409.
 */
function answerSequence(): { questionId: string; attempt: number; answer: { parts: Record<string, number> } }[] {
  const sequence = [];
  for (let attempt = 1; attempt <= 3; attempt++) {
    for (const question of graphPractice) {
      if (question.policy.maxAttempts < attempt) continue;
      const parts = Object.fromEntries(question.parts.map((part, index) => [part.id, 123.25 + index + attempt]));
      sequence.push({ questionId: question.id, attempt, answer: { parts } });
    }
  }
  return sequence;
}

function answersWorkload(baseUrl: string, pool: LearnerPool, ceiling: boolean): Workload {
  const sequence = answerSequence();
  return () => {
    let cookie = '';
    let index = sequence.length;
    return () => {
      if (index >= sequence.length) {
        cookie = ceiling ? 'autodidact_session=x' : pool.take();
        index = 0;
      }
      const body = JSON.stringify(sequence[index++]);
      return {
        method: 'POST',
        path: ceiling ? '/api/noop' : '/api/quiz/answers',
        headers: { cookie, ...json, ...sameOrigin(baseUrl) },
        body,
      };
    };
  };
}

async function countResponses(database: ScratchDatabase): Promise<number> {
  if (database.kind === 'sqlite') {
    const connection = new Database(database.file, { readonly: true });
    try {
      return (connection.prepare('SELECT COUNT(*) AS n FROM "Response"').get() as { n: number }).n;
    } finally {
      connection.close();
    }
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>('SELECT COUNT(*) AS n FROM "Response"');
    return Number(result.rows[0]!.n);
  } finally {
    await client.end();
  }
}

function median(values: number[]): number {
  return quantile(values, 0.5);
}

interface PhaseResult {
  name: string;
  real: Figures[];
  ceiling: Figures[];
}

function summarise(label: string, phase: PhaseResult): Record<string, number | string> {
  const m = (figures: Figures[], key: 'rps' | 'p50' | 'p95' | 'p99') => median(figures.map((f) => f[key]));
  const real = {
    rps: m(phase.real, 'rps'),
    p50: m(phase.real, 'p50'),
    p95: m(phase.real, 'p95'),
    p99: m(phase.real, 'p99'),
  };
  const ceil = {
    rps: m(phase.ceiling, 'rps'),
    p50: m(phase.ceiling, 'p50'),
    p95: m(phase.ceiling, 'p95'),
    p99: m(phase.ceiling, 'p99'),
  };
  const sum = (figures: Figures[], key: 'non2xx' | 'errors' | 'requests') =>
    figures.reduce((total, f) => total + f[key], 0);
  return {
    database: label,
    phase: phase.name,
    rps: Math.round(real.rps),
    p50_ms: +real.p50.toFixed(2),
    p95_ms: +real.p95.toFixed(2),
    p99_ms: +real.p99.toFixed(2),
    requests: sum(phase.real, 'requests'),
    non2xx: sum(phase.real, 'non2xx'),
    errors: sum(phase.real, 'errors'),
    ceiling_rps: Math.round(ceil.rps),
    ceiling_p50_ms: +ceil.p50.toFixed(2),
    ceiling_p95_ms: +ceil.p95.toFixed(2),
    ceiling_p99_ms: +ceil.p99.toFixed(2),
    ceiling_non2xx: sum(phase.ceiling, 'non2xx'),
    rps_ratio: +(real.rps / ceil.rps).toFixed(3),
    // Each round against the ceiling round run just before it: on a machine whose speed drifts
    // between rounds (the ceiling alone has moved by 1.5x within one run here), the median of
    // these pairs is steadier than the ratio of the two medians. Both are printed.
    rps_ratio_paired: +median(phase.real.map((f, round) => f.rps / phase.ceiling[round]!.rps)).toFixed(3),
    p99_ratio: +(real.p99 / ceil.p99).toFixed(3),
  };
}

async function benchDatabase(kind: 'sqlite' | 'postgresql', adminUrl?: string): Promise<Record<string, unknown>[]> {
  const database = await scratchDatabase(kind, adminUrl ? { adminUrl, prefix: 'autodidact_load' } : {});
  const server = await startAppServer({ port: PORT, databaseUrl: database.url, env: { AUTODIDACT_BENCH: '1' } });
  try {
    const noop = await fetch(`${server.baseUrl}/api/noop`);
    if (noop.status !== 200)
      throw new Error(`/api/noop answered ${noop.status}: is AUTODIDACT_BENCH=1 reaching the server?`);
    const pool = new LearnerPool(server.baseUrl);
    // Enough learners for the fastest plausible answer rate (18 answers each) over every round.
    const perSecond = Number(process.env.LOAD_MAX_RPS ?? 3000);
    const needed = Math.ceil((perSecond * (SECONDS * ROUNDS + WARMUP_SECONDS)) / 18) + CONNECTIONS * 4;
    const made = performance.now();
    await pool.fill(needed);
    console.error(`[load] ${kind}: ${needed} learner sessions in ${((performance.now() - made) / 1000).toFixed(1)} s`);

    const results: Record<string, unknown>[] = [];
    for (const [name, workload] of [
      ['reading', readingWorkload],
      ['answers', answersWorkload],
    ] as const) {
      if (!PHASES.includes(name)) continue;
      const phase: PhaseResult = { name, real: [], ceiling: [] };
      // Warm-up: both handlers, not recorded.
      await drive(server.baseUrl, workload(server.baseUrl, pool, true), WARMUP_SECONDS);
      await drive(server.baseUrl, workload(server.baseUrl, pool, false), WARMUP_SECONDS);
      for (let round = 0; round < ROUNDS; round++) {
        phase.ceiling.push(await drive(server.baseUrl, workload(server.baseUrl, pool, true), SECONDS));
        const before = name === 'answers' ? await countResponses(database) : 0;
        const real = await drive(server.baseUrl, workload(server.baseUrl, pool, false), SECONDS);
        phase.real.push(real);
        if (name === 'answers') {
          const stored = (await countResponses(database)) - before;
          const ok = real.statuses['200'] ?? 0;
          // Requests still in flight when a round's time is up are stored but their responses are not
          // counted, so stored may exceed acknowledged by up to one per connection, never fall below.
          if (stored < ok || stored - ok > CONNECTIONS) {
            console.error(`[load] ✖ ${ok} answers acknowledged but ${stored} rows stored`);
          }
        }
        console.error(
          `[load] ${kind} ${name} round ${round + 1}: ${Math.round(real.rps)} req/s (ceiling ${Math.round(phase.ceiling.at(-1)!.rps)}), statuses ${JSON.stringify(real.statuses)}`,
        );
      }
      results.push(summarise(kind, phase));
    }
    if (process.env.LOAD_SERVER_LOG === '1')
      console.error(`[load] server output (tail):\n${server.output().slice(-4000)}`);
    const busy = (server.output().match(/SQLITE_BUSY|database is locked|database-busy/g) ?? []).length;
    const serverErrors = (server.output().match(/"msg":"unexpected error/g) ?? []).length;
    for (const result of results) Object.assign(result, { sqlite_busy_logged: busy, server_500s_logged: serverErrors });
    return results;
  } finally {
    await server.stop();
    await database.drop();
  }
}

async function main(): Promise<void> {
  console.error(
    `[load] build ${distDir()}, ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up, ${ROUNDS} × ${SECONDS} s rounds per workload`,
  );
  const rows = await benchDatabase('sqlite');
  const url = process.env.DATABASE_URL;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const admin = new URL(url);
    admin.pathname = '/postgres';
    rows.push(...(await benchDatabase('postgresql', admin.toString())));
  } else {
    console.error('[load] DATABASE_URL is not postgresql://…: PostgreSQL skipped (set it to include PostgreSQL).');
  }
  console.table(
    rows.map((row) => ({
      database: row.database,
      phase: row.phase,
      'req/s': row.rps,
      'ceiling req/s': row.ceiling_rps,
      'req/s ratio': row.rps_ratio,
      'paired ratio': row.rps_ratio_paired,
      'p50 ms': row.p50_ms,
      'p95 ms': row.p95_ms,
      'p99 ms': row.p99_ms,
      'ceiling p99 ms': row.ceiling_p99_ms,
      'p99 ratio': row.p99_ratio,
      non2xx: row.non2xx,
      errors: row.errors,
      busy: row.sqlite_busy_logged,
    })),
  );
  for (const row of rows) console.log(JSON.stringify({ bench: 'load', ...row }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
