// Issue 19 against a real production server on SQLite (a build is required, like the rest of
// this folder): a second server on the same file stops with a plain line while the first keeps
// serving; request ids, JSON logs, /api/health and the token-guarded /api/metrics; and
// `npm run db:backup` beside the running server.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { freePort } from '../bench/bench-server';
import { root, scratchDatabase, startAppServer, newSession, type AppServer, type ScratchDatabase } from './app-server';

const TOKEN = 'metrics-token-for-tests-0123456789';
let database: ScratchDatabase;
let server: AppServer;

beforeAll(async () => {
  database = await scratchDatabase('sqlite');
  // Free ports, not fixed ones: a developer's other servers must not answer in this one's place.
  server = await startAppServer({
    port: await freePort(),
    databaseUrl: database.url,
    env: { AUTODIDACT_METRICS_TOKEN: TOKEN },
  });
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe('one server per SQLite file', () => {
  it('a second server on the same file exits with a plain line; the first keeps serving', async () => {
    await expect(
      startAppServer({ port: await freePort(), databaseUrl: database.url, healthTimeoutMs: 60_000 }),
    ).rejects.toThrow(
      new RegExp(
        `database ${database.file} is in use by another Autodidact server \\(pid \\d+, port ${server.port}\\)`,
      ),
    );
    const health = await fetch(`${server.baseUrl}/api/health`);
    expect(health.status).toBe(200);
  });
});

describe('operability', () => {
  it('/api/health reports the database, and every response carries a request id', async () => {
    const response = await fetch(`${server.baseUrl}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', database: { provider: 'sqlite', ok: true } });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const page = await fetch(`${server.baseUrl}/`);
    expect(page.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs are JSON lines', () => {
    const lines = server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'));
    const loaded = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.msg === 'course content loaded');
    expect(loaded).toMatchObject({ level: 'info', lessons: expect.any(Number) as number });
  });

  it('/api/metrics needs the token, then counts requests by route', async () => {
    expect((await fetch(`${server.baseUrl}/api/metrics`)).status).toBe(401);
    expect((await fetch(`${server.baseUrl}/api/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(
      401,
    );
    // Read to the end: a request is counted when its response has been sent.
    await (await fetch(`${server.baseUrl}/api/lessons/chain-rule-computational-graphs/state`)).text();
    const response = await fetch(`${server.baseUrl}/api/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(
      /autodidact_http_requests_total\{route="\/api\/lessons\/:slug\/state",method="GET",status="200"\} [1-9]/,
    );
    expect(text).toContain('autodidact_http_request_duration_seconds_bucket');
    expect(text).toContain('autodidact_database_errors_total');
    expect(text).toMatch(/^autodidact_lti_outbox_depth 0$/m);
  });
});

describe('db:backup beside the running server', () => {
  it('copies every answer the server acknowledged, with integrity ok', async () => {
    const acknowledged: string[] = [];
    for (let i = 0; i < 5; i++) {
      const cookie = await newSession(server.baseUrl);
      const state = (await (
        await fetch(`${server.baseUrl}/api/lessons/chain-rule-computational-graphs/state`, { headers: { cookie } })
      ).json()) as { questions: { id: string; kind: string; options?: { key: string }[] }[] };
      const question = state.questions.find((entry) => entry.kind === 'single-choice')!;
      const response = await fetch(`${server.baseUrl}/api/quiz/answers`, {
        method: 'POST',
        headers: {
          cookie,
          'content-type': 'application/json',
          origin: server.baseUrl,
          'sec-fetch-site': 'same-origin',
        },
        body: JSON.stringify({ questionId: question.id, attempt: 1, answer: { choice: question.options![0]!.key } }),
      });
      expect(response.status).toBe(200);
      acknowledged.push(question.id);
    }
    const out = path.join(path.dirname(database.file!), 'backup.db');
    const ran = spawnSync(process.execPath, ['lib/cli/backup.mjs', '--out', out], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: database.url },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(ran.status, ran.stderr).toBe(0);
    const copy = new Database(out, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      const { n } = copy.prepare('SELECT COUNT(*) AS n FROM Response').get() as { n: number };
      expect(n).toBe(acknowledged.length);
    } finally {
      copy.close();
    }
    expect((await fetch(`${server.baseUrl}/api/health`)).status).toBe(200);
  });
});
