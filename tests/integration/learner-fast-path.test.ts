// The learner fast path (lib/server/api/fast-path.ts) serves POST /api/progress and POST
// /api/quiz/answers from a real Node HTTP server before the framework. It must answer exactly as
// the routes do: each request below goes once through a real socket to the fast path and once,
// as a web Request, through the route's handler, and both must give the same status and body.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { installLearnerFastPath } from '@/lib/server/api/fast-path';
import { securityHeaders } from '@/lib/security-headers.mjs';

import type { SubmissionOutcome } from '@/lib/server/quiz-service';

import {
  choiceLetters,
  LESSON,
  newLearner,
  outcome,
  sendProgress,
  submit,
  type Learner,
} from './helpers/learner-client';
import { createQuizDatabase } from './helpers/quiz-database';
import type { TestDatabase } from './helpers/test-database';

let database: TestDatabase;
let server: http.Server;
let base: string;
let learner: Learner;

beforeAll(async () => {
  database = await createQuizDatabase();
  learner = await newLearner(database.db);
  installLearnerFastPath(() => Promise.resolve(database.db));
  // What Next would answer: anything the fast path leaves alone reaches this listener.
  server = http.createServer((_req, res) => {
    res.writeHead(418, { 'Content-Type': 'text/plain' });
    res.end('framework');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await database?.cleanup();
});

/** A raw HTTP request (fetch cannot send some of these headers): status, headers, body text. */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Buffer,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${base}${path}`, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode!, headers: response.headers, text: Buffer.concat(chunks).toString() }),
      );
    });
    request.on('error', reject);
    request.end(body);
  });
}

const section = (target: string) => ({
  id: randomUUID(),
  type: 'section-viewed',
  lessonSlug: LESSON,
  target,
  at: Date.now(),
});

describe('learner fast path', () => {
  it('stores a beacon and answers with the same headers as the route', async () => {
    const batch = { events: [section('aha'), section('worked-example')] };
    const fast = await raw(
      'POST',
      '/api/progress',
      { 'content-type': 'application/json', cookie: learner.cookie },
      JSON.stringify(batch),
    );
    expect(fast.status).toBe(200);
    expect(JSON.parse(fast.text)).toEqual({ stored: 2 });
    const rows = await database.db.progressEvent.findMany({
      where: { learnerId: learner.learnerId, clientEventId: { in: batch.events.map((event) => event.id) } },
    });
    expect(rows).toHaveLength(2);
    // The route stores nothing twice: the same batch again is acknowledged with 0 new.
    const viaRoute = await sendProgress(database.db, learner.cookie, batch);
    expect(await viaRoute.json()).toEqual({ stored: 0 });
    expect(fast.headers['cache-control']).toBe('no-store');
    expect(fast.headers['content-type']).toBe('application/json');
    for (const { key, value } of securityHeaders()) expect(fast.headers[key.toLowerCase()]).toBe(value);
  });

  const refusals: { name: string; headers: Record<string, string>; body: string; cookie?: boolean }[] = [
    { name: 'no session', headers: {}, body: JSON.stringify({ events: [section('aha')] }), cookie: false },
    { name: 'invalid JSON', headers: {}, body: '{"events": [' },
    { name: 'empty body', headers: {}, body: '' },
    { name: 'unknown field', headers: {}, body: JSON.stringify({ events: [section('aha')], extra: 1 }) },
    { name: 'unknown section', headers: {}, body: JSON.stringify({ events: [section('no-such-section')] }) },
    { name: 'text/plain', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ events: [] }) },
    { name: 'opaque origin', headers: { origin: 'null' }, body: JSON.stringify({ events: [section('aha')] }) },
    {
      name: 'cross-site',
      headers: { 'sec-fetch-site': 'cross-site' },
      body: JSON.stringify({ events: [section('aha')] }),
    },
    { name: 'over the size cap', headers: {}, body: JSON.stringify({ events: [], pad: 'x'.repeat(70_000) }) },
  ];
  for (const refusal of refusals) {
    it(`refuses a beacon like the route does: ${refusal.name}`, async () => {
      const headers = {
        'content-type': 'application/json',
        ...(refusal.cookie === false ? {} : { cookie: learner.cookie }),
        ...refusal.headers,
      };
      const fast = await raw('POST', '/api/progress', { host: new URL(base).host, ...headers }, refusal.body);
      const { postProgressHandler } = await import('@/lib/server/api/handlers');
      const route = await postProgressHandler(
        new Request(`${base}/api/progress`, { method: 'POST', headers, body: refusal.body }),
        database.db,
      );
      expect(fast.status).toBeGreaterThanOrEqual(400);
      expect(fast.status).toBeLessThan(500);
      expect({ status: fast.status, body: JSON.parse(fast.text) as unknown }).toEqual({
        status: route.status,
        body: (await route.json()) as unknown,
      });
    });
  }

  it('grades an answer, replays it, and keeps the route’s status codes', async () => {
    const fresh = await newLearner(database.db);
    const { wrong } = choiceLetters(fresh.learnerId, 'graph-purpose');
    const body = JSON.stringify({ questionId: 'graph-purpose', attempt: 1, answer: { choice: wrong } });
    const headers = { 'content-type': 'application/json', cookie: fresh.cookie };
    const first = await raw('POST', '/api/quiz/answers', headers, body);
    expect(first.status).toBe(200);
    const graded = JSON.parse(first.text) as SubmissionOutcome;
    expect(graded.result).toMatchObject({ attempt: 1, score: 0, correct: false });
    // The same attempt again, through the route this time: a replay of what the fast path stored.
    const replay = await submit(database.db, fresh.cookie, body);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await outcome(replay)).result).toEqual(graded.result);
    const again = await raw('POST', '/api/quiz/answers', headers, body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await database.db.response.count({ where: { learnerId: fresh.learnerId } })).toBe(1);
    // A letter that was never offered: the same 400 from both, and no attempt used.
    const bad = JSON.stringify({ questionId: 'graph-purpose', attempt: 2, answer: { choice: 'H' } });
    const fastBad = await raw('POST', '/api/quiz/answers', headers, bad);
    const routeBad = await submit(database.db, fresh.cookie, bad);
    expect(fastBad.status).toBe(400);
    expect(JSON.parse(fastBad.text)).toEqual(await routeBad.json());
    expect(await database.db.response.count({ where: { learnerId: fresh.learnerId } })).toBe(1);
  });

  it('survives a client that leaves mid-body, and stores nothing of it', async () => {
    const event = section('aha');
    const body = JSON.stringify({ events: [event] });
    await new Promise<void>((resolve) => {
      const request = http.request(`${base}/api/progress`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: learner.cookie, 'content-length': body.length },
      });
      request.on('error', () => resolve());
      request.write(body.slice(0, 10), () => setTimeout(() => request.destroy(), 50));
      request.on('close', () => resolve());
    });
    const after = await raw(
      'POST',
      '/api/progress',
      { 'content-type': 'application/json', cookie: learner.cookie },
      JSON.stringify({ events: [section('aha')] }),
    );
    expect(after.status).toBe(200);
    expect(await database.db.progressEvent.count({ where: { clientEventId: event.id } })).toBe(0);
  });

  it('leaves every other request to the framework', async () => {
    const cases: [string, string][] = [
      ['GET', '/api/progress'],
      ['POST', '/api/progress?x=1'],
      ['POST', '/api/progress/'],
      ['PUT', '/api/quiz/answers'],
      ['POST', '/api/learner'],
      ['POST', '/__proto__'],
    ];
    for (const [method, path] of cases) {
      const body = method === 'GET' ? undefined : '{}';
      const response = await raw(method, path, { 'content-type': 'application/json', cookie: learner.cookie }, body);
      expect({ method, path, status: response.status, text: response.text }).toEqual({
        method,
        path,
        status: 418,
        text: 'framework',
      });
    }
  });
});
