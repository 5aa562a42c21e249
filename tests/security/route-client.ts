// Shared by the hostile-input and fuzz tests: the app's real route handler modules (app/api/**),
// called in-process with real Request objects against the test file's own database (getDb()
// returns it, see tests/integration/helpers/test-database.ts), and a cheap snapshot of every
// table a learner endpoint can write, to prove that a refused request wrote nothing.
import Database from 'better-sqlite3';

import * as instructorOverview from '@/app/api/instructor/classes/[cohortId]/overview.csv/route';
import * as instructorResponses from '@/app/api/instructor/classes/[cohortId]/responses.csv/route';
import * as instructorXapi from '@/app/api/instructor/classes/[cohortId]/xapi.json/route';
import * as learnerRoute from '@/app/api/learner/route';
import * as stateRoute from '@/app/api/lessons/[slug]/state/route';
import * as progressRoute from '@/app/api/progress/route';
import * as answersRoute from '@/app/api/quiz/answers/route';
import * as sessionRoute from '@/app/api/session/route';
import { createInstructor, signIn } from '@/lib/server/auth/accounts';
import type { Db } from '@/lib/server/db/client';
import { createClass } from '@/lib/server/instructor/classes';

import { BASE, LESSON } from '../integration/helpers/learner-client';
import type { TestDatabase } from '../integration/helpers/test-database';

export { BASE, LESSON };

export type Body = string | ReadableStream<Uint8Array> | undefined;

export interface Call {
  method?: 'GET' | 'POST';
  body?: Body;
  headers?: Record<string, string>;
}

function request(path: string, { method = 'POST', body, headers = {} }: Call): Request {
  const init: RequestInit & { duplex?: 'half' } = {
    method,
    headers: { ...(method === 'POST' ? { 'content-type': 'application/json' } : {}), ...headers },
  };
  if (body !== undefined) {
    init.body = body;
    if (typeof body !== 'string') init.duplex = 'half';
  }
  return new Request(`${BASE}${path}`, init);
}

/** The learner-facing state-changing routes, by path. */
export const learnerPosts = {
  '/api/session': (call: Call) => sessionRoute.POST(request('/api/session', call)),
  '/api/quiz/answers': (call: Call) => answersRoute.POST(request('/api/quiz/answers', call)),
  '/api/progress': (call: Call) => progressRoute.POST(request('/api/progress', call)),
  '/api/learner': (call: Call) => learnerRoute.POST(request('/api/learner', call)),
} as const;
export type LearnerPostPath = keyof typeof learnerPosts;

export function getStateRoute(slug: string, call: Call = {}): Promise<Response> {
  return stateRoute.GET(request(`/api/lessons/${encodeURIComponent(slug)}/state`, { ...call, method: 'GET' }), {
    params: Promise.resolve({ slug }),
  });
}

/** The instructor downloads (route handlers); pages and actions are covered by instructor-access.test.ts. */
export const instructorGets = {
  'overview.csv': instructorOverview.GET,
  'responses.csv': instructorResponses.GET,
  'xapi.json': instructorXapi.GET,
} as const;
export type InstructorGetName = keyof typeof instructorGets;

export async function getInstructorRoute(
  name: InstructorGetName,
  cohortId: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  const response = await instructorGets[name](
    request(`/api/instructor/classes/${encodeURIComponent(cohortId)}/${name}`, { method: 'GET', headers }),
    { params: Promise.resolve({ cohortId }) },
  );
  // Read (and so finish) a streamed download, so no cursor is left open against the database.
  const body = await response.arrayBuffer();
  return new Response(body, { status: response.status, headers: response.headers });
}

export interface Snapshot {
  counts: string;
  names: string;
}

const TABLES = ['Learner', 'Session', 'Response', 'ProgressEvent', 'LessonProgress', 'Enrollment', 'Cohort'];
const COUNTS_SQL = `SELECT ${TABLES.map((table) => `(SELECT COUNT(*) FROM "${table}") AS "${table}"`).join(', ')}`;
const NAMES_SQL = `SELECT COALESCE("displayName", '-') || '|' || COALESCE((SELECT MAX("lastSectionId") FROM "LessonProgress" p WHERE p."learnerId" = l."id"), '-') AS v FROM "Learner" l ORDER BY l."id"`;

function snapshotOf(counts: Record<string, unknown> | undefined, names: { v: unknown }[]): Snapshot {
  return {
    counts: TABLES.map((table) => `${table}=${String(counts?.[table])}`).join(' '),
    names: names.map((row) => String(row.v)).join(','),
  };
}

/**
 * Row counts of every table a learner endpoint writes, plus the display names and resume
 * points (updates that do not change a count).
 */
export async function snapshot(db: Db): Promise<Snapshot> {
  const [counts] = await db.$queryRawUnsafe<Record<string, bigint | number>[]>(COUNTS_SQL);
  return snapshotOf(counts, await db.$queryRawUnsafe<{ v: string | null }[]>(NAMES_SQL));
}

/**
 * The same snapshot, fast: on SQLite through a read-only better-sqlite3 connection of its own
 * (WAL: it sees every committed write, in microseconds instead of a Prisma round trip), so
 * 10,000 fuzz cases stay quick; on PostgreSQL through the test's client.
 */
export function snapshotter(database: TestDatabase): { take: () => Promise<Snapshot>; close: () => void } {
  if (database.kind !== 'sqlite') return { take: () => snapshot(database.db), close: () => {} };
  const connection = new Database(database.url.replace(/^file:/, ''), { readonly: true, fileMustExist: true });
  const counts = connection.prepare<[], Record<string, number>>(COUNTS_SQL);
  const names = connection.prepare<[], { v: string }>(NAMES_SQL);
  return {
    take: () => Promise.resolve(snapshotOf(counts.get(), names.all())),
    close: () => connection.close(),
  };
}

export interface InstructorFixture {
  /** Cookie header of the class owner. */
  owner: string;
  /** Cookie header of another instructor. */
  other: string;
  cohortId: string;
  joinCode: string;
  otherCohortId: string;
  otherJoinCode: string;
}

function cookieHeader(setCookies: readonly string[]): string {
  return setCookies.map((value) => value.split(';')[0]).join('; ');
}

/** Two instructors, each with one class. */
export async function twoInstructors(db: Db, tag: string): Promise<InstructorFixture> {
  const password = 'a long enough passphrase 1234';
  const emails = [`owner-${tag}@example.org`, `other-${tag}@example.org`];
  for (const email of emails) await createInstructor(db, { name: email, email, password });
  const [owner, other] = await Promise.all(
    emails.map(async (email) => cookieHeader((await signIn(db, new Headers(), { email, password })).setCookies)),
  );
  const mine = await createClass(db, new Headers({ cookie: owner! }), { name: `Mine ${tag}` });
  const theirs = await createClass(db, new Headers({ cookie: other! }), { name: `Theirs ${tag}` });
  const rows = await db.cohort.findMany({ where: { id: { in: [mine.id, theirs.id] } } });
  const code = (id: string) => rows.find((row) => row.id === id)!.joinCode;
  return {
    owner: owner!,
    other: other!,
    cohortId: mine.id,
    joinCode: code(mine.id),
    otherCohortId: theirs.id,
    otherJoinCode: code(theirs.id),
  };
}
