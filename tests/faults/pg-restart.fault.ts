/**
 * Fault: the PostgreSQL server restarts while learners submit answers. While it is down every
 * request must fail cleanly (503 with Retry-After and a clear message, never a 500 or a hung
 * request) and, once it is back, requests must succeed again by themselves (the pg pool opens new
 * connections) without restarting the app. Afterwards every acknowledged answer is stored once.
 *
 * Bounded: the database is stopped for PG_DOWN_SECONDS (default 4, at most 10; stopping itself takes a second or two) and the stream runs
 * at most 30 s. The cluster is always started again, even when a check throws. This stops the
 * shared PostgreSQL server that other test runs may be using: run it alone and rarely. Port 3165.
 * Run: `npm run faults -- pg-restart`.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

import pg from 'pg';

import { scratchDatabase, startAppServer } from '../multi-instance/app-server';
import { makeLearners, stream, tally } from './stream';

const PORT = 3165;
const DOWN_SECONDS = Math.min(10, Number(process.env.PG_DOWN_SECONDS ?? 4));

function cluster(action: 'stop' | 'start'): void {
  const version = readdirSync('/etc/postgresql').sort().at(-1)!;
  // -m fast for stop: ends client connections at once, like a crash from the app's point of view.
  const args = [
    '--skip-systemctl-redirect',
    version,
    'main',
    action,
    ...(action === 'stop' ? ['--', '-m', 'fast'] : []),
  ];
  execFileSync('pg_ctlcluster', args, { stdio: 'inherit', timeout: 30_000 });
}

async function waitForPostgres(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

export async function pgRestart(): Promise<boolean> {
  const database = await scratchDatabase('postgresql', { prefix: 'autodidact_fault' });
  let ok = true;
  const fail = (message: string) => {
    ok = false;
    console.log(`  ✖ ${message}`);
  };
  const server = await startAppServer({ port: PORT, databaseUrl: database.url, env: { DATABASE_POOL_SIZE: '5' } });
  const down = { from: 0, to: 0 };
  try {
    const learners = await makeLearners(server.baseUrl, 100, 'pgr');
    const started = Date.now();
    const outage = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      down.from = Date.now();
      try {
        cluster('stop');
        await new Promise((resolve) => setTimeout(resolve, DOWN_SECONDS * 1000));
      } finally {
        cluster('start');
        down.to = Date.now();
      }
    })();
    const outcomes = await stream({
      baseUrl: server.baseUrl,
      learners,
      workers: 8,
      until: started + 30_000,
      // Stop once the database has been back for 8 s.
      stop: () => down.to > 0 && Date.now() > down.to + 8000,
      retry: true,
      backoffMs: 200,
    });
    await outage;
    await waitForPostgres(database.url, 15_000);

    const during = outcomes.filter((o) => o.at >= down.from && o.at < down.to);
    const after = outcomes.filter((o) => o.at >= down.to + 3000);
    const firstOkAfter = outcomes
      .filter((o) => o.at >= down.to && o.status === 200)
      .reduce((min, o) => Math.min(min, o.at), Infinity);
    console.log(`database down ${((down.to - down.from) / 1000).toFixed(1)} s; ${outcomes.length} requests`);
    console.log(`  before: ${JSON.stringify(tally(outcomes.filter((o) => o.at < down.from)))}`);
    console.log(`  while down: ${JSON.stringify(tally(during))}`);
    console.log(`  after restart: ${JSON.stringify(tally(outcomes.filter((o) => o.at >= down.to)))}`);
    console.log(
      `  first 200 after restart: ${Number.isFinite(firstOkAfter) ? `${firstOkAfter - down.to} ms` : 'none'}`,
    );

    const bad = outcomes.filter(
      (o) => o.status === 0 || (o.status >= 500 && o.status !== 503) || (o.status >= 400 && o.status < 500),
    );
    if (bad.length > 0) fail(`${bad.length} requests got neither 200 nor 503: ${JSON.stringify(tally(bad))}`);
    const unclear = outcomes.filter((o) => o.status === 503 && (!o.retryAfter || o.code !== 'database-unavailable'));
    if (unclear.length > 0) fail(`${unclear.length} 503s without Retry-After or the database-unavailable code`);
    if (during.filter((o) => o.status === 503).length === 0)
      fail('no request saw the outage (the test did not exercise it)');
    if (after.length === 0 || after.some((o) => o.status !== 200))
      fail('requests did not all succeed 3 s after the restart');
    if (/\[api\] unexpected error/.test(server.output())) fail('the server logged unexpected (500) errors');

    // Every acknowledged answer is stored, once.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const rows = await client.query<{ name: string; questionId: string; attempt: number }>(
        `SELECT l."displayName" AS name, r."questionId" AS "questionId", r."attempt" AS attempt FROM "Response" r JOIN "Learner" l ON l."id" = r."learnerId"`,
      );
      const stored = new Set(rows.rows.map((row) => `${row.name}|${row.questionId}|${row.attempt}`));
      const acknowledged = outcomes.filter((o) => o.status === 200);
      const missing = acknowledged.filter(
        ({ submission: s }) => !stored.has(`${s.learner}|${s.questionId}|${s.attempt}`),
      );
      const duplicates = rows.rows.length - stored.size;
      console.log(
        `  ${acknowledged.length} acknowledged, ${rows.rows.length} stored, missing ${missing.length}, duplicates ${duplicates}`,
      );
      if (missing.length > 0) fail(`${missing.length} acknowledged answers missing`);
      if (duplicates > 0) fail(`${duplicates} duplicates`);
    } finally {
      await client.end();
    }
  } finally {
    await server.stop();
    await waitForPostgres(database.url, 15_000).catch(() => {});
    await database.drop();
  }
  console.log(ok ? 'PostgreSQL restart: ✔ all checks passed' : 'PostgreSQL restart: ✖ some checks failed');
  return ok;
}
