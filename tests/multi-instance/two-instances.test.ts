// Two production instances (`next start` of one build, ports 3162 and 3163) on one PostgreSQL
// database, with the same SESSION_SECRET and NEXT_SERVER_ACTIONS_ENCRYPTION_KEY, as a
// multi-instance deployment runs. What a learner does through one instance is what the other
// sees; concurrent identical submissions split across both store one row; the production cookie
// is HttpOnly, Secure and SameSite=Lax; and hostile headers get nowhere against the real server.
//
// Needs a build: `npm run test:multi-instance` serves NEXT_DIST_DIR (default `.next`, the build
// `npm test` makes). Needs the PostgreSQL server (TEST_POSTGRES_URL, default root@127.0.0.1).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  type AppServer,
  cookieOf,
  newSession,
  scratchDatabase,
  type ScratchDatabase,
  startAppServer,
} from './app-server';

const LESSON = 'chain-rule-computational-graphs';
let database: ScratchDatabase;
let a: AppServer;
let b: AppServer;
let sql: pg.Client;

beforeAll(async () => {
  database = await scratchDatabase('postgresql', { prefix: 'autodidact_multi' });
  [a, b] = await Promise.all([
    startAppServer({ port: 3162, databaseUrl: database.url }),
    startAppServer({ port: 3163, databaseUrl: database.url }),
  ]);
  sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
}, 180_000);

afterAll(async () => {
  await sql?.end();
  await Promise.all([a?.stop(), b?.stop()]);
  await database?.drop();
}, 60_000);

async function count(query: string, params: unknown[] = []): Promise<number> {
  const result = await sql.query<{ n: string }>(query, params);
  return Number(result.rows[0]!.n);
}

function postJson(server: AppServer, path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

interface StateQuestion {
  id: string;
  attemptsUsed: number;
  last: unknown;
}
interface State {
  learner: { displayName: string | null };
  lastSectionId: string | null;
  questions: StateQuestion[];
}

async function state(server: AppServer, cookie: string): Promise<{ response: Response; body: State }> {
  const response = await fetch(`${server.baseUrl}/api/lessons/${LESSON}/state`, { headers: { cookie } });
  return { response, body: (await response.json()) as State };
}

describe('two instances, one PostgreSQL database', () => {
  it('a session started on A is the same learner on B: name, answers and progress agree', async () => {
    const cookie = await newSession(a.baseUrl);

    // B honours A's cookie without starting a new session.
    const first = await state(b, cookie);
    expect(first.response.status).toBe(200);
    expect(first.response.headers.get('set-cookie')).toBeNull();

    expect((await postJson(a, '/api/learner', { displayName: 'Ada' }, { cookie })).status).toBe(200);
    const answer = { questionId: 'edge-sigmoid', attempt: 1, answer: { parts: { value: 0.31 } } };
    const viaA = await postJson(a, '/api/quiz/answers', answer, { cookie });
    expect(viaA.status).toBe(200);
    const bodyA = await viaA.text();
    const beacon = {
      events: [
        {
          id: crypto.randomUUID(),
          type: 'section-viewed',
          lessonSlug: LESSON,
          target: 'why-it-matters',
          at: Date.now(),
        },
      ],
    };
    expect((await postJson(a, '/api/progress', beacon, { cookie })).status).toBe(200);

    const seen = await state(b, cookie);
    expect(seen.body.learner.displayName).toBe('Ada');
    expect(seen.body.lastSectionId).toBe('why-it-matters');
    const question = seen.body.questions.find((entry) => entry.id === 'edge-sigmoid')!;
    expect(question.attemptsUsed).toBe(1);
    expect(question.last).toEqual((JSON.parse(bodyA) as { question: StateQuestion }).question.last);

    // The same submission replayed through B returns A's stored result, marked as a replay.
    const replay = await postJson(b, '/api/quiz/answers', answer, { cookie });
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.text()).toBe(bodyA);
    // And the beacon re-sent through B is not stored twice.
    expect(await (await postJson(b, '/api/progress', beacon, { cookie })).json()).toEqual({ stored: 0 });
  });

  it('concurrent identical submissions split across both instances store exactly one response', async () => {
    const cookie = await newSession(a.baseUrl);
    const answer = { questionId: 'chain-factors', attempt: 1, answer: { parts: { dLda: 1.5, dadz: 0.2, dzdw: -2 } } };
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, index) => postJson(index % 2 ? b : a, '/api/quiz/answers', answer, { cookie })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(40).fill(200));
    const bodies = new Set(await Promise.all(responses.map((response) => response.text())));
    expect(bodies.size).toBe(1);
    expect(responses.filter((response) => response.headers.get('idempotent-replayed') === null).length).toBe(1);
    expect(
      await count(
        `SELECT COUNT(*) AS n FROM "Response" r JOIN "Session" s ON s."learnerId" = r."learnerId" WHERE r."questionId" = 'chain-factors'`,
      ),
    ).toBe(1);
  });

  it('concurrent different answers to one attempt across both instances: one wins, the rest get 409', async () => {
    const cookie = await newSession(b.baseUrl);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        postJson(
          index % 2 ? a : b,
          '/api/quiz/answers',
          {
            questionId: 'reused-node',
            attempt: 1,
            answer: { parts: { value: index + 0.5 } },
          },
          { cookie },
        ),
      ),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 200).length).toBe(1);
    expect(statuses.filter((status) => status === 409).length).toBe(19);
    expect(await count(`SELECT COUNT(*) AS n FROM "Response" WHERE "questionId" = 'reused-node'`)).toBe(1);
  });

  it('the production session cookie is HttpOnly, Secure and SameSite=Lax', async () => {
    const response = await fetch(`${a.baseUrl}/api/session`, { method: 'POST' });
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^autodidact_session=Fe26\.2\*/);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*Secure/i);
    expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
  });

  it('a cross-origin POST to each state-changing route is refused with 403 by the real server and writes nothing', async () => {
    const cookie = await newSession(a.baseUrl);
    const tables = `SELECT (SELECT COUNT(*) FROM "Learner") + (SELECT COUNT(*) FROM "Session") + (SELECT COUNT(*) FROM "Response") + (SELECT COUNT(*) FROM "ProgressEvent") AS n`;
    const names = `SELECT COUNT(*) AS n FROM "Learner" WHERE "displayName" = 'Evil'`;
    const before = await count(tables);
    const evil = { origin: 'https://evil.example', cookie };
    const requests: [string, unknown][] = [
      ['/api/session', {}],
      ['/api/quiz/answers', { questionId: 'edge-sigmoid', attempt: 1, answer: { parts: { value: 1 } } }],
      [
        '/api/progress',
        {
          events: [
            { id: crypto.randomUUID(), type: 'section-viewed', lessonSlug: LESSON, target: 'x', at: Date.now() },
          ],
        },
      ],
      ['/api/learner', { displayName: 'Evil' }],
    ];
    for (const server of [a, b]) {
      for (const [path, body] of requests) {
        const response = await postJson(server, path, body, evil);
        expect(response.status, `${server.port} ${path}`).toBe(403);
      }
    }
    expect(await count(tables)).toBe(before);
    expect(await count(names)).toBe(0);
  });

  it('an x-middleware-subrequest header (CVE-2025-29927) changes nothing on the real server', async () => {
    const learner = await newSession(a.baseUrl);
    const cohortId = '00000000-0000-0000-0000-000000000000';
    const paths = [
      `/api/instructor/classes/${cohortId}/overview.csv`,
      `/api/instructor/classes/${cohortId}/responses.csv`,
      `/api/instructor/classes/${cohortId}/xapi.json`,
      '/instructor',
      `/instructor/classes/${cohortId}`,
    ];
    const values = [
      'middleware',
      'middleware:middleware:middleware:middleware:middleware',
      'proxy:proxy:proxy:proxy:proxy',
    ];
    for (const path of paths) {
      for (const cookie of [undefined, learner]) {
        const plain = await fetch(`${b.baseUrl}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
        expect([401, 403, 307, 308], `${path} without the header`).toContain(plain.status);
        for (const value of values) {
          const sneaky = await fetch(`${b.baseUrl}${path}`, {
            redirect: 'manual',
            headers: { 'x-middleware-subrequest': value, ...(cookie ? { cookie } : {}) },
          });
          expect(sneaky.status, `${path} with x-middleware-subrequest: ${value}`).toBe(plain.status);
        }
      }
    }
    // Learner writes without a session stay 401 with the header too.
    const unauth = await postJson(
      a,
      '/api/quiz/answers',
      { questionId: 'edge-sigmoid', attempt: 1, answer: { parts: { value: 1 } } },
      { 'x-middleware-subrequest': values[1]! },
    );
    expect(unauth.status).toBe(401);
  });

  it('both instances report healthy on the shared database', async () => {
    for (const server of [a, b]) {
      const response = await fetch(`${server.baseUrl}/api/health`);
      expect(await response.json()).toMatchObject({ status: 'ok', database: { provider: 'postgresql', ok: true } });
    }
    // Neither instance logged an unexpected error during the run.
    expect(`${a.output()}${b.output()}`).not.toMatch(/\[api\] unexpected error/);
    expect(cookieOf(new Response(null))).toBeNull();
  });
});
