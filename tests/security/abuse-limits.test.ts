// Issue 19, "findings from trying to break it", each as a regression test against the real route
// handlers and a real database: spoofed X-Forwarded-For, sign-in lockout through unknown emails,
// no rate limits, the loose CSRF check, direction-override names, made-up section ids and weak
// passwords. Client addresses come in the x-autodidact-peer header, exactly as the server's
// socket hook (lib/server/api/client-address.ts) sets it.
import { randomUUID } from 'node:crypto';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createInstructor, signIn } from '@/lib/server/auth/accounts';
import { clientAddress, normaliseAddress, PEER_HEADER, trustedProxyList } from '@/lib/server/api/client-address';
import { HttpError } from '@/lib/server/http';
import { createClass } from '@/lib/server/instructor/classes';
import { configureRateLimits, RATE_LIMITS } from '@/lib/server/rate-limit';

import { newLearner } from '../integration/helpers/learner-client';
import { createQuizDatabase } from '../integration/helpers/quiz-database';
import type { TestDatabase } from '../integration/helpers/test-database';
import { getStateRoute, LESSON, learnerPosts, snapshot } from './route-client';

const PASSWORD = 'correct horse battery staple';
let database: TestDatabase;

beforeAll(async () => {
  database = await createQuizDatabase();
  await createInstructor(database.db, { name: 'Ada', email: 'ada@example.org', password: PASSWORD });
});
afterAll(async () => {
  configureRateLimits({ factor: 1 });
  await database?.cleanup();
});
afterEach(async () => {
  // Fresh counters for each test.
  configureRateLimits({ factor: 1 });
  await database.db.loginThrottle.deleteMany({});
});

async function status(run: () => Promise<unknown>): Promise<number> {
  try {
    await run();
    return 200;
  } catch (error) {
    if (error instanceof HttpError) return error.status;
    throw error;
  }
}

describe('client address', () => {
  const none = trustedProxyList(undefined);
  const proxies = trustedProxyList('10.0.0.0/8,127.0.0.1');

  it('is the TCP peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    const headers = new Headers({ [PEER_HEADER]: '203.0.113.9', 'x-forwarded-for': '1.2.3.4' });
    expect(clientAddress(headers, none)).toBe('203.0.113.9');
    expect(clientAddress(new Headers({ 'x-forwarded-for': '1.2.3.4' }), none)).toBeNull();
  });

  it('walks X-Forwarded-For from the right past trusted proxies only', () => {
    const via = (xff: string, peer = '10.0.0.2') =>
      clientAddress(new Headers({ [PEER_HEADER]: peer, 'x-forwarded-for': xff }), proxies);
    // The client prepended a fake entry; the proxy appended the real one.
    expect(via('6.6.6.6, 198.51.100.7')).toBe('198.51.100.7');
    expect(via('198.51.100.7, 10.1.2.3')).toBe('198.51.100.7');
    expect(via('not-an-ip')).toBe('10.0.0.2');
    // A peer that is not a trusted proxy is the client, forwarded header or not.
    expect(via('198.51.100.7', '192.0.2.1')).toBe('192.0.2.1');
  });

  it('normalises IPv4-mapped IPv6 and refuses non-addresses', () => {
    expect(normaliseAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normaliseAddress('[::1]')).toBe('::1');
    expect(normaliseAddress('localhost')).toBeNull();
  });
});

describe('sign-in throttling', () => {
  it('keys on the peer, so 60 spoofed X-Forwarded-For values get 30 password checks, not 60', async () => {
    let checked = 0;
    for (let index = 0; index < 60; index++) {
      const headers = new Headers({ [PEER_HEADER]: '198.51.100.20', 'x-forwarded-for': `10.9.${index}.1` });
      const email = `nobody${index}@example.org`;
      const result = await status(() => signIn(database.db, headers, { email, password: 'wrong wrong wrong' }));
      if (result === 401) checked++;
      else expect(result).toBe(429);
    }
    expect(checked).toBe(30);
  });

  it('does not let failures on unknown emails lock a real account out, from the same address', async () => {
    const headers = new Headers({ [PEER_HEADER]: '198.51.100.30' });
    const statuses: number[] = [];
    for (let index = 0; index < 40; index++) {
      statuses.push(
        await status(() =>
          signIn(database.db, headers, { email: `made-up-${index}@example.org`, password: 'guess guess' }),
        ),
      );
    }
    expect(statuses.filter((code) => code === 429).length).toBeGreaterThan(0);
    expect(await status(() => signIn(database.db, headers, { email: 'ada@example.org', password: PASSWORD }))).toBe(
      200,
    );
    await database.db.loginThrottle.deleteMany({});
  });

  it('still limits guesses at a real account per address, whatever X-Forwarded-For says', async () => {
    await createInstructor(database.db, { name: 'Bea', email: 'bea@example.org', password: PASSWORD });
    const statuses: number[] = [];
    for (let index = 0; index < 8; index++) {
      const headers = new Headers({ [PEER_HEADER]: '198.51.100.40', 'x-forwarded-for': `1.1.1.${index}` });
      statuses.push(
        await status(() => signIn(database.db, headers, { email: 'bea@example.org', password: 'nope nope nope' })),
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
  });
});

describe('rate limits on learner endpoints', () => {
  it('answers 429 with Retry-After once one client has created its sessions, and serves another client', async () => {
    const limit = RATE_LIMITS['session-create:client'].points;
    const before = await database.db.session.count();
    const statuses = new Map<number, number>();
    let retryAfter: string | null = null;
    for (let index = 0; index < limit + 20; index++) {
      const response = await learnerPosts['/api/session']({ headers: { [PEER_HEADER]: '192.0.2.50' } });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status === 429) {
        retryAfter = response.headers.get('retry-after');
        expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/wait \d+ seconds/);
      }
    }
    expect(statuses.get(200)).toBe(limit);
    expect(statuses.get(429)).toBe(20);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Refused requests made no rows.
    expect((await database.db.session.count()) - before).toBe(limit);
    const other = await learnerPosts['/api/session']({ headers: { [PEER_HEADER]: '192.0.2.51' } });
    expect(other.status).toBe(200);
  });

  it('limits join-code guesses per session, but not codes that match', async () => {
    const learner = await newLearner(database.db);
    const headers = { cookie: learner.cookie, [PEER_HEADER]: '192.0.2.60' };
    const statuses: number[] = [];
    for (let index = 0; index < RATE_LIMITS['join-failure:session'].points + 3; index++) {
      const response = await learnerPosts['/api/learner']({
        body: JSON.stringify({ joinCode: `ZZZZ${1000 + index}` }),
        headers,
      });
      statuses.push(response.status);
    }
    expect(statuses.filter((code) => code === 422)).toHaveLength(RATE_LIMITS['join-failure:session'].points);
    expect(statuses.slice(-3)).toEqual([429, 429, 429]);

    // Another learner joining real classes many times is never limited by this rule.
    const owner = await signedInOwner();
    const { joinCode } = await createClass(database.db, owner, { name: 'Real class' });
    const second = await newLearner(database.db);
    for (let index = 0; index < RATE_LIMITS['join-failure:session'].points + 3; index++) {
      const response = await learnerPosts['/api/learner']({
        body: JSON.stringify({ joinCode }),
        headers: { cookie: second.cookie, [PEER_HEADER]: '192.0.2.61' },
      });
      expect(response.status).toBe(200);
    }
  });

  it('limits requests per session', async () => {
    const learner = await newLearner(database.db);
    const limit = RATE_LIMITS['learner-api:session'].points;
    let refused = 0;
    for (let index = 0; index < limit + 5; index++) {
      const response = await getStateRoute(LESSON, { headers: { cookie: learner.cookie } });
      if (response.status === 429) refused++;
    }
    // newLearner's own request had no session yet, so the session's budget is all here.
    expect(refused).toBe(5);
  });

  it('can be switched off (load tests from one address) or scaled', async () => {
    configureRateLimits('off');
    for (let index = 0; index < 200; index++) {
      expect((await learnerPosts['/api/session']({ headers: { [PEER_HEADER]: '192.0.2.70' } })).status).toBe(200);
    }
    configureRateLimits({ factor: 0.05 });
    const statuses: number[] = [];
    for (let index = 0; index < 8; index++) {
      statuses.push((await learnerPosts['/api/session']({ headers: { [PEER_HEADER]: '192.0.2.71' } })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
  });
});

async function signedInOwner(): Promise<Headers> {
  const result = await signIn(database.db, new Headers(), { email: 'ada@example.org', password: PASSWORD });
  return new Headers({ cookie: result.setCookies.map((value) => value.split(';')[0]).join('; ') });
}

describe('CSRF on the JSON API', () => {
  it('refuses Origin null, cross-site and same-site requests, and bodies that are not JSON; writes nothing', async () => {
    const learner = await newLearner(database.db);
    const body = JSON.stringify({ displayName: 'Changed' });
    const before = await snapshot(database.db);
    const cases: [Record<string, string>, number][] = [
      [{ origin: 'null' }, 403],
      [{ origin: 'null', 'content-type': 'text/plain' }, 403],
      [{ 'content-type': 'text/plain' }, 415],
      [{ 'content-type': 'application/x-www-form-urlencoded' }, 415],
      [{ 'sec-fetch-site': 'cross-site' }, 403],
      [{ 'sec-fetch-site': 'same-site' }, 403],
      [{ origin: 'https://evil.example' }, 403],
    ];
    for (const [headers, expected] of cases) {
      const response = await learnerPosts['/api/learner']({ body, headers: { cookie: learner.cookie, ...headers } });
      expect([headers, response.status]).toEqual([headers, expected]);
    }
    expect(await snapshot(database.db)).toEqual(before);
    // The browser's own request passes.
    const ok = await learnerPosts['/api/learner']({
      body,
      headers: { cookie: learner.cookie, origin: 'http://localhost:3131', 'sec-fetch-site': 'same-origin' },
    });
    expect(ok.status).toBe(200);
    // POST /api/session has no body and needs no Content-Type.
    const session = await learnerPosts['/api/session']({ headers: { 'content-type': '' } });
    expect(session.status).toBe(200);
  });
});

describe('names', () => {
  it('refuses direction overrides and strips zero-width characters, in NFC', async () => {
    const learner = await newLearner(database.db);
    const set = (displayName: string) =>
      learnerPosts['/api/learner']({ body: JSON.stringify({ displayName }), headers: { cookie: learner.cookie } });
    const spoof = await set('Eve\u202Etxt.exe');
    expect(spoof.status).toBe(400);
    expect(((await spoof.json()) as { error: { message: string } }).error.message).toMatch(/text-direction/);
    expect((await set('\u2067Ada\u2069')).status).toBe(400);
    expect((await set('\u200B\u200D\uFEFF')).status).toBe(400);

    const cleaned = await set('A\u200Bda Love\u2060lace\u0301');
    expect(cleaned.status).toBe(200);
    const row = await database.db.learner.findUniqueOrThrow({ where: { id: learner.learnerId } });
    expect(row.displayName).toBe('Ada Lovelace\u0301'.normalize('NFC'));
    expect(row.displayName).toBe('Ada Lovelac\u00e9');

    const owner = await signedInOwner();
    expect(await status(() => createClass(database.db, owner, { name: 'Period\u202E 1' }))).toBe(400);
  });
});

describe('progress events', () => {
  it('accept only the lesson’s own section ids and widget kinds', async () => {
    const learner = await newLearner(database.db);
    const send = (type: string, target: string, extra: Record<string, unknown> = {}) =>
      learnerPosts['/api/progress']({
        body: JSON.stringify({
          events: [{ id: randomUUID(), type, lessonSlug: LESSON, target, at: Date.now(), ...extra }],
        }),
        headers: { cookie: learner.cookie },
      });
    const unknown = await send('section-viewed', 'attacker-section');
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain('not a section');
    expect((await send('widget-used', 'evil:x', { data: { control: 'w' } })).status).toBe(400);
    expect(await database.db.lessonProgress.count({ where: { learnerId: learner.learnerId } })).toBe(0);

    expect((await send('section-viewed', 'worked-example')).status).toBe(200);
    expect((await send('widget-used', 'forward-pass:fp', { data: { control: 'w' } })).status).toBe(200);
    const progress = await database.db.lessonProgress.findFirstOrThrow({ where: { learnerId: learner.learnerId } });
    expect(progress.lastSectionId).toBe('worked-example');
  });
});

describe('password policy', () => {
  it('refuses common and repetitive passwords, and ones built from the person’s name', async () => {
    for (const password of ['aaaaaaaaaaaa', 'password1234', 'qwertyuiop12', 'charlottebrontë']) {
      const result = await status(() =>
        createInstructor(database.db, {
          name: 'Charlotte Brontë',
          email: `c${randomUUID().slice(0, 6)}@example.org`,
          password,
        }),
      );
      expect([password, result]).toEqual([password, 400]);
    }
    expect(
      await status(() =>
        createInstructor(database.db, { name: 'Cleo', email: 'cleo@example.org', password: PASSWORD }),
      ),
    ).toBe(200);
  });
});
