// Instructor accounts and access control (issue 6): every instructor page, action and export is
// refused to nobody (401), to a learner (403) and, for a class, to another instructor (403).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  completeSetup,
  createInstructor,
  currentInstructor,
  issueSetupTokenIfNeeded,
  signIn,
  signOut,
} from '@/lib/server/auth/accounts';
import { HttpError } from '@/lib/server/http';
import { instructorEndpoints, publicInstructorSources } from '@/lib/server/instructor/endpoints';
import { createClass, listMyClasses, rotateJoinCode } from '@/lib/server/instructor/classes';

import { newLearner, updateLearner } from './helpers/learner-client';
import { createQuizDatabase } from './helpers/quiz-database';
import type { TestDatabase } from './helpers/test-database';

const root = path.resolve(import.meta.dirname, '..', '..');
const PASSWORD_A = 'correct horse battery staple';
const PASSWORD_B = 'another long passphrase 42';

let database: TestDatabase;
let owner: Headers;
let other: Headers;
let learnerHeaders: Headers;
let cohortId: string;
let learnerId: string;

/** The Cookie header a browser would send back after these Set-Cookie values. */
function cookieHeader(setCookies: readonly string[]): string {
  return setCookies.map((value) => value.split(';')[0]).join('; ');
}

async function signedIn(email: string, password: string): Promise<Headers> {
  const result = await signIn(database.db, new Headers(), { email, password });
  return new Headers({ cookie: cookieHeader(result.setCookies) });
}

async function refusal(run: () => Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await run();
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, code: error.code };
    throw error;
  }
  return { status: 200, code: 'ok' };
}

beforeAll(async () => {
  database = await createQuizDatabase();
  await createInstructor(database.db, { name: 'Ada', email: 'ada@example.org', password: PASSWORD_A });
  await createInstructor(database.db, { name: 'Bea', email: 'bea@example.org', password: PASSWORD_B });
  owner = await signedIn('ada@example.org', PASSWORD_A);
  other = await signedIn('bea@example.org', PASSWORD_B);
  ({ id: cohortId } = await createClass(database.db, owner, { name: 'Period 1' }));
  const cohort = await database.db.cohort.findUniqueOrThrow({ where: { id: cohortId } });
  const learner = await newLearner(database.db);
  learnerId = learner.learnerId;
  expect((await updateLearner(database.db, learner.cookie, { joinCode: cohort.joinCode })).status).toBe(200);
  learnerHeaders = new Headers({ cookie: learner.cookie });
});
afterAll(async () => {
  await database?.cleanup();
});

/** Files and server actions under the instructor folders, as `app/...` paths (`#name` for actions). */
function instructorSources(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/^(page|route)\.tsx?$/.test(entry)) found.push(path.relative(root, full));
      else if (/^actions\.tsx?$/.test(entry)) {
        for (const match of readFileSync(full, 'utf8').matchAll(/export\s+async\s+function\s+(\w+)/g)) {
          found.push(`${path.relative(root, full)}#${match[1]}`);
        }
      }
    }
  };
  walk(path.join(root, 'app', 'instructor'));
  walk(path.join(root, 'app', 'api', 'instructor'));
  return found.sort();
}

describe('every instructor endpoint', () => {
  it('is listed, either as protected or as deliberately public', () => {
    const listed = [...instructorEndpoints.map((endpoint) => endpoint.source), ...publicInstructorSources].sort();
    expect(instructorSources()).toEqual(listed);
  });

  it.each(instructorEndpoints.map((endpoint) => [endpoint.source, endpoint] as const))(
    '%s refuses nobody (401), a learner (403) and another instructor (403)',
    async (_source, endpoint) => {
      const context = { cohortId, learnerId };
      expect(await refusal(() => endpoint.call(database.db, new Headers(), context))).toEqual({
        status: 401,
        code: 'not-signed-in',
      });
      expect(await refusal(() => endpoint.call(database.db, learnerHeaders, context))).toEqual({
        status: 403,
        code: 'not-an-instructor',
      });
      // A forged or stale instructor cookie is nobody.
      const forged = new Headers({ cookie: 'autodidact-instructor.session_token=forged.value' });
      expect((await refusal(() => endpoint.call(database.db, forged, context))).status).toBe(401);
      if (endpoint.scope === 'class') {
        expect(await refusal(() => endpoint.call(database.db, other, context))).toEqual({
          status: 403,
          code: 'not-your-class',
        });
      }
      // And the owner gets through, so the refusals above are not refusing everyone (destructive
      // calls are made with an input that fails after the permission check: ownerOutcome).
      expect(await refusal(() => endpoint.call(database.db, owner, context))).toEqual(
        endpoint.ownerOutcome ?? { status: 200, code: 'ok' },
      );
    },
  );

  it('refuses a learner of another class on the timeline', async () => {
    const stranger = await newLearner(database.db);
    const timeline = instructorEndpoints.find((e) => e.source.includes('learners/[learnerId]'));
    expect(timeline).toBeDefined();
    expect(
      await refusal(() => timeline!.call(database.db, owner, { cohortId, learnerId: stranger.learnerId })),
    ).toEqual({ status: 403, code: 'not-your-learner' });
  });

  it('shows each instructor only their own classes', async () => {
    await createClass(database.db, other, { name: 'Bea’s class' });
    // The owner also has the class the table-driven test created through createClassAction.
    expect((await listMyClasses(database.db, owner)).map((c) => c.name).sort()).toEqual(['Period 1', 'Refusal test']);
    expect((await listMyClasses(database.db, other)).map((c) => c.name)).toEqual(['Bea’s class']);
  });

  it('rotates the join code: the old one stops working, members stay', async () => {
    const before = await database.db.cohort.findUniqueOrThrow({ where: { id: cohortId } });
    const { joinCode } = await rotateJoinCode(database.db, owner, cohortId);
    expect(joinCode).not.toBe(before.joinCode);
    expect(joinCode).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
    const late = await newLearner(database.db);
    expect((await updateLearner(database.db, late.cookie, { joinCode: before.joinCode })).status).toBe(422);
    expect((await updateLearner(database.db, late.cookie, { joinCode })).status).toBe(200);
    expect(await database.db.enrollment.count({ where: { cohortId } })).toBe(2);
  });

  it('rejects bad class names with a 400 and writes nothing', async () => {
    const before = await database.db.cohort.count();
    for (const name of ['', '   ', 'x'.repeat(81), 'a\u0000b']) {
      expect((await refusal(() => createClass(database.db, owner, { name }))).status).toBe(400);
    }
    expect((await refusal(() => createClass(database.db, owner, { name: 'ok', ownerId: 'someone' }))).status).toBe(400);
    expect(await database.db.cohort.count()).toBe(before);
  });
});

describe('sign-in, sessions and sign-out', () => {
  it('stores an argon2id hash, never the password', async () => {
    const account = await database.db.instructorAccount.findFirstOrThrow({
      where: { user: { email: 'ada@example.org' } },
    });
    expect(account.password).toMatch(/^\$argon2id\$/);
    expect(account.password).not.toContain(PASSWORD_A);
  });

  it('refuses a wrong password and an unknown email the same way', async () => {
    const wrong = await refusal(() =>
      signIn(database.db, new Headers(), { email: 'ada@example.org', password: 'nope nope nope' }),
    );
    const unknown = await refusal(() =>
      signIn(database.db, new Headers(), { email: 'zed@example.org', password: 'nope nope nope' }),
    );
    expect(wrong).toEqual({ status: 401, code: 'invalid-credentials' });
    expect(unknown).toEqual(wrong);
  });

  it('creates a new session at sign-in and deletes the one the browser had', async () => {
    const first = await signedIn('ada@example.org', PASSWORD_A);
    const firstSession = await currentInstructor(database.db, first);
    expect(firstSession).not.toBeNull();
    const result = await signIn(database.db, first, { email: 'ada@example.org', password: PASSWORD_A });
    const second = new Headers({ cookie: cookieHeader(result.setCookies) });
    const secondSession = await currentInstructor(database.db, second);
    expect(secondSession?.sessionId).not.toBe(firstSession?.sessionId);
    expect(await currentInstructor(database.db, first)).toBeNull();
  });

  it('sign-out deletes the session row, so the same cookie is refused afterwards', async () => {
    const session = await signedIn('ada@example.org', PASSWORD_A);
    expect((await refusal(() => listMyClasses(database.db, session))).status).toBe(200);
    const cleared = await signOut(database.db, session);
    expect(cleared.join('\n')).toMatch(/session_token=;|Max-Age=0/i);
    expect((await refusal(() => listMyClasses(database.db, session))).status).toBe(401);
  });

  it('limits failed sign-ins per account in the database, then lets the window expire', async () => {
    const email = 'bea@example.org';
    for (let k = 0; k < 5; k++) {
      expect(
        (await refusal(() => signIn(database.db, new Headers(), { email, password: `wrong ${k} guess` }))).status,
      ).toBe(401);
    }
    // The sixth try is refused before the password is looked at, even the right one.
    expect(await refusal(() => signIn(database.db, new Headers(), { email, password: PASSWORD_B }))).toEqual({
      status: 429,
      code: 'too-many-attempts',
    });
    const row = await database.db.loginThrottle.findUniqueOrThrow({ where: { key: `email:${email}` } });
    expect(row.failures).toBe(6);
    // Another instance sharing the database would see the same row; move its window into the past.
    await database.db.loginThrottle.update({
      where: { key: `email:${email}` },
      data: { windowStartMs: BigInt(Date.now() - 16 * 60 * 1000) },
    });
    expect((await refusal(() => signIn(database.db, new Headers(), { email, password: PASSWORD_B }))).status).toBe(200);
    // Success clears the counter.
    expect(await database.db.loginThrottle.findUnique({ where: { key: `email:${email}` } })).toBeNull();
  });

  it('counts concurrent guesses atomically', async () => {
    const email = 'race@example.org';
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, k) =>
        refusal(() => signIn(database.db, new Headers(), { email, password: `guess ${k} xx` })),
      ),
    );
    expect(results.filter((r) => r.status === 401)).toHaveLength(5);
    expect(results.filter((r) => r.status === 429)).toHaveLength(7);
  });

  it('limits per client address across accounts', async () => {
    // The address the server's socket hook reports (lib/server/api/client-address.ts).
    const headers = new Headers({ 'x-autodidact-peer': '203.0.113.9' });
    const statuses: number[] = [];
    for (let k = 0; k < 31; k++) {
      statuses.push(
        (await refusal(() => signIn(database.db, headers, { email: `u${k}@example.org`, password: 'guess guess' })))
          .status,
      );
    }
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
  });

  it('rejects malformed sign-in input with a 400', async () => {
    for (const body of [
      {},
      { email: 'not-an-email', password: 'x' },
      { email: 'a@b.co', password: '' },
      { email: 'a@b.co', password: 'x', extra: 1 },
    ]) {
      expect((await refusal(() => signIn(database.db, new Headers(), body))).status).toBe(400);
    }
  });
});

describe('first-instructor setup token', () => {
  let fresh: TestDatabase;
  beforeAll(async () => {
    fresh = await createQuizDatabase();
  });
  afterAll(async () => {
    await fresh?.cleanup();
  });

  const account = { name: 'First', email: 'first@example.org', password: 'a long enough password' };

  it('is stored hashed, works once, and only while no instructor exists', async () => {
    const issued = await issueSetupTokenIfNeeded(fresh.db);
    expect(issued).not.toBeNull();
    const stored = await fresh.db.setupToken.findMany();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(issued!.token);

    expect(await refusal(() => completeSetup(fresh.db, { ...account, token: 'x'.repeat(32) }))).toEqual({
      status: 403,
      code: 'invalid-setup-token',
    });
    // A bad password fails validation before the token is spent.
    expect(
      (await refusal(() => completeSetup(fresh.db, { ...account, password: 'short', token: issued!.token }))).status,
    ).toBe(400);
    expect(await fresh.db.instructor.count()).toBe(0);

    const created = await completeSetup(fresh.db, { ...account, token: issued!.token });
    expect(created.email).toBe('first@example.org');
    expect(
      await refusal(() => completeSetup(fresh.db, { ...account, email: 'second@example.org', token: issued!.token })),
    ).toEqual({
      status: 403,
      code: 'invalid-setup-token',
    });
    expect(await fresh.db.instructor.count()).toBe(1);
    expect(await issueSetupTokenIfNeeded(fresh.db)).toBeNull();
    expect(await fresh.db.setupToken.count()).toBe(0);
  });

  it('refuses an expired token', async () => {
    const empty = await createQuizDatabase();
    try {
      const issued = await issueSetupTokenIfNeeded(empty.db, new Date(Date.now() - 25 * 60 * 60 * 1000));
      expect(await refusal(() => completeSetup(empty.db, { ...account, token: issued!.token }))).toEqual({
        status: 403,
        code: 'invalid-setup-token',
      });
      expect(await empty.db.instructor.count()).toBe(0);
    } finally {
      await empty.cleanup();
    }
  });
});
