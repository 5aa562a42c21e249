import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createLogger, currentRequestId, requestIdFrom, withRequestId } from '@/lib/server/log';
import { installRequestObserver, metrics, routeLabel } from '@/lib/server/metrics';

describe('request ids', () => {
  it('keeps a plain id from a proxy and replaces anything else', () => {
    expect(requestIdFrom('abc12345-proxy')).toBe('abc12345-proxy');
    for (const bad of [undefined, null, '', 'short', 'has space in it', 'x'.repeat(65), 'line\nbreak-forged']) {
      const id = requestIdFrom(bad);
      expect(id).not.toBe(bad);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('is visible to code running inside the request, across awaits, and not outside', async () => {
    expect(currentRequestId()).toBeUndefined();
    const seen = await withRequestId('req-00000001', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return currentRequestId();
    });
    expect(seen).toBe('req-00000001');
    expect(currentRequestId()).toBeUndefined();
  });

  it('is written on each JSON log line, with a readable level', () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (line: string) => void lines.push(line) });
    withRequestId('req-00000002', () => logger.warn({ cohortId: 'c1' }, 'join code replaced'));
    logger.warn('outside any request');
    const [inside, outside] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(inside).toMatchObject({ level: 'warn', reqId: 'req-00000002', cohortId: 'c1', msg: 'join code replaced' });
    expect(typeof inside?.time).toBe('string');
    expect(outside).not.toHaveProperty('reqId');
  });
});

describe('route labels', () => {
  it('maps paths to a fixed set, ignoring query strings and ids', () => {
    expect(routeLabel('/api/quiz/answers')).toBe('/api/quiz/answers');
    expect(routeLabel('/api/lessons/chain-rule/state?x=1')).toBe('/api/lessons/:slug/state');
    expect(routeLabel('/lessons/chain-rule')).toBe('/lessons/:slug');
    expect(routeLabel('/api/instructor/classes/abc/responses.csv')).toBe('/api/instructor/*');
    expect(routeLabel('/wp-admin/setup.php')).toBe('other');
    expect(routeLabel('/api/made-up')).toBe('/api/other');
  });
});

describe('the request observer on a real HTTP server', () => {
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    installRequestObserver();
    installRequestObserver(); // twice is a no-op, not a double count
    server = http.createServer((req, res) => {
      const inside = currentRequestId();
      res.statusCode = req.url === '/api/progress' ? 503 : 200;
      res.end(JSON.stringify({ inside, header: req.headers['x-request-id'] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('gives each request an id, in its context and its response, and counts it once', async () => {
    const before = await counted('/api/quiz/answers', 'POST', '200');
    const response = await fetch(`${base}/api/quiz/answers`, { method: 'POST', body: '{}' });
    const body = (await response.json()) as { inside: string; header: string };
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body).toEqual({ inside: id, header: id });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await counted('/api/quiz/answers', 'POST', '200')).toBe(before + 1);
  });

  it('keeps the id a proxy sent, and counts server errors by status', async () => {
    const before = await counted('/api/progress', 'GET', '503');
    const response = await fetch(`${base}/api/progress`, { headers: { 'X-Request-Id': 'lb-1234567890' } });
    expect(response.headers.get('x-request-id')).toBe('lb-1234567890');
    await response.text();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await counted('/api/progress', 'GET', '503')).toBe(before + 1);
    const text = await metrics().registry.metrics();
    expect(text).toContain(
      'autodidact_http_request_duration_seconds_bucket{le="0.3",route="/api/progress",method="GET"}',
    );
  });
});

async function counted(route: string, method: string, status: string): Promise<number> {
  const json = await metrics().requests.get();
  return (
    json.values.find(
      (value) => value.labels.route === route && value.labels.method === method && value.labels.status === status,
    )?.value ?? 0
  );
}
