// A second process holds SQLite's write lock for 6 s (BEGIN IMMEDIATE, a write, sleep, COMMIT)
// while learners answer, send beacons and start sessions through the real route handlers. Every
// request must either wait and succeed (busy_timeout is 10 s, lib/server/db/client.ts) or get a
// clear, retryable 503 with Retry-After (never a 500), and every acknowledged write must still be
// there after a restart (a fresh client on the same file), with PRAGMA integrity_check ok.
//
// prisma/orm#29933 reports acknowledged writes lost after SQLITE_BUSY at COMMIT in Prisma 7.x:
// the failed COMMIT leaves the connection inside its transaction, and later autocommit writes are
// acknowledged but never committed. The same close-transaction code is in 6.19.3 (COMMIT failing
// skips the adapter's commit(), and the rollback that follows is refused as "already committed").
// That COMMIT can only fail in SQLite's rollback-journal mode; in WAL mode, which the app sets on
// every connection, a writer holds the WAL write lock from its first write to COMMIT. The last
// test here proves the app's connection is in WAL mode and that the case does not arise with the
// app's settings (docs/decisions/009 records the upstream risk).
//
// Always SQLite (this file ignores TEST_DATABASE): the lock is SQLite's.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { migrate } from '@/lib/cli/migrate.mjs';
import { LESSON_SLUGS } from '@/lib/content/catalog';
import { postAnswerHandler, postProgressHandler, postSessionHandler } from '@/lib/server/api/handlers';
import { syncRows } from '@/lib/server/content-sync';
import { createDb, type Db } from '@/lib/server/db/client';
import { PrismaClient } from '@/lib/server/db/generated/sqlite/client';
import { handle } from '@/lib/server/http';

import { LESSON, newLearner, post, type Learner } from './helpers/learner-client';
import { createTestDatabase, type TestDatabase } from './helpers/test-database';

process.env.SESSION_SECRET ??= 'integration-tests-secret-0123456789abcdef';

const root = path.resolve(import.meta.dirname, '..', '..');
const HOLD_MS = 6_000;

let database: TestDatabase;
let file: string;

beforeAll(async () => {
  database = await createTestDatabase('sqlite');
  file = database.url.replace(/^file:/, '');
  await syncRows(
    database.db,
    LESSON_SLUGS.map((slug, index) => ({ slug, title: slug, order: index + 1 })),
  );
});
afterAll(async () => {
  await database?.cleanup();
});

/**
 * Another process that takes the write lock, writes a row, holds the lock for `holdMs`, and
 * commits. Resolves once it holds the lock; `done` resolves when it has committed and exited.
 */
async function holdWriteLock(holdMs: number): Promise<{ done: Promise<number>; child: ChildProcess }> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1], { timeout: 10000 });
    db.exec('BEGIN IMMEDIATE');
    db.prepare('INSERT INTO "LoginThrottle" ("key", "failures", "windowStartMs") VALUES (?, 1, 0)').run('lock-holder-' + Date.now());
    process.stdout.write('locked\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.argv[2]));
    db.exec('COMMIT');
    db.close();
    process.stdout.write('committed\\n');
  `;
  const child = spawn(process.execPath, ['-e', script, file, String(holdMs)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const done = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`lock holder exited (${code}) before locking`)));
  });
  return { done, child };
}

interface Sent {
  kind: 'answer' | 'progress' | 'session';
  status: number;
  retryAfter: string | null;
  code: string | null;
  learner?: Learner;
  questionId?: string;
  eventId?: string;
}

async function outcome(kind: Sent['kind'], response: Response, extra: Partial<Sent> = {}): Promise<Sent> {
  const body = (await response.json()) as { error?: { code: string } };
  return {
    kind,
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    code: body.error?.code ?? null,
    ...extra,
  };
}

/** The app's route wrappers: handle() around the handler, as app/api/** does. */
function send(db: Db, learner: Learner, kind: 'answer' | 'progress', questionId = 'edge-sigmoid'): Promise<Sent> {
  if (kind === 'answer') {
    const request = post(
      '/api/quiz/answers',
      { questionId, attempt: 1, answer: { parts: { value: 0.125 } } },
      learner.cookie,
    );
    return handle(() => postAnswerHandler(request, db)).then((response) =>
      outcome('answer', response, { learner, questionId }),
    );
  }
  const eventId = randomUUID();
  const request = post(
    '/api/progress',
    { events: [{ id: eventId, type: 'section-viewed', lessonSlug: LESSON, target: 'aha', at: Date.now() }] },
    learner.cookie,
  );
  return handle(() => postProgressHandler(request, db)).then((response) =>
    outcome('progress', response, { learner, eventId }),
  );
}

/** A fresh client on the same file, as a restarted server would open it. */
async function afterRestart<T>(check: (db: Db) => Promise<T>): Promise<T> {
  const db = await createDb(database.url);
  try {
    return await check(db);
  } finally {
    await db.$disconnect();
  }
}

function integrityCheck(): string {
  const connection = new Database(file, { readonly: true });
  try {
    return connection.pragma('integrity_check', { simple: true }) as string;
  } finally {
    connection.close();
  }
}

describe('a second process holding the SQLite write lock for 6 s', () => {
  it('writers wait or get a retryable 503, never a 500; every acknowledged write survives a restart', async () => {
    const learners = await Promise.all(Array.from({ length: 8 }, () => newLearner(database.db)));
    const questions = ['edge-sigmoid', 'gradient-dl-dw', 'reused-node'];
    const holder = await holdWriteLock(HOLD_MS);
    const started = Date.now();
    const sent = await Promise.all([
      ...learners.map((learner, index) => send(database.db, learner, 'answer', questions[index % questions.length])),
      ...learners.slice(0, 4).map((learner) => send(database.db, learner, 'progress')),
      handle(() =>
        postSessionHandler(new Request('http://localhost/api/session', { method: 'POST' }), database.db),
      ).then((response) => outcome('session', response)),
    ]);
    const waited = Date.now() - started;
    expect(await holder.done).toBe(0);

    // Each request waited for the lock (busy_timeout) or was refused with a clear, retryable 503.
    for (const result of sent) {
      expect([200, 503], JSON.stringify(result)).toContain(result.status);
      if (result.status === 503) {
        expect(result.code).toBe('database-busy');
        expect(Number(result.retryAfter)).toBeGreaterThan(0);
      }
    }
    // The writes really were held up by the lock (so the test exercised it).
    expect(waited).toBeGreaterThanOrEqual(HOLD_MS - 1000);
    console.log(
      `[lock] statuses after a ${HOLD_MS} ms lock: ${JSON.stringify(sent.map((s) => `${s.kind}:${s.status}`))} (${waited} ms)`,
    );

    // Retry what was refused, as the client does (answers and beacons are idempotent).
    const retried = await Promise.all(
      sent.map((result) =>
        result.status === 503 && result.learner && result.kind !== 'session'
          ? send(database.db, result.learner, result.kind, result.questionId)
          : Promise.resolve(result),
      ),
    );
    expect(retried.every((result) => result.status === 200)).toBe(true);

    // A write after the lock, then a restart: everything acknowledged is there.
    const late = await newLearner(database.db);
    expect((await send(database.db, late, 'answer')).status).toBe(200);
    const acknowledged = [
      ...retried.filter((result) => result.kind === 'answer'),
      { learner: late, questionId: 'edge-sigmoid' },
    ];
    await afterRestart(async (db) => {
      for (const { learner, questionId } of acknowledged) {
        const row = await db.response.findUnique({
          where: {
            learnerId_questionId_attempt: { learnerId: learner!.learnerId, questionId: questionId!, attempt: 1 },
          },
        });
        expect(row, `${learner!.learnerId} ${questionId}`).not.toBeNull();
      }
      expect(await db.response.count()).toBe(acknowledged.length);
      expect(await db.loginThrottle.count({ where: { key: { startsWith: 'lock-holder-' } } })).toBe(1);
      const events = retried.filter((result) => result.kind === 'progress').map((result) => result.eventId!);
      expect(await db.progressEvent.count({ where: { clientEventId: { in: events } } })).toBe(events.length);
    });
    expect(integrityCheck()).toBe('ok');
  }, 60_000);

  it('runs in WAL mode with the busy timeout set, the settings that keep a COMMIT from hitting SQLITE_BUSY', async () => {
    const db = await createDb(database.url);
    try {
      const [mode] = await db.$queryRawUnsafe<{ journal_mode: string }[]>('PRAGMA journal_mode');
      const [timeout] = await db.$queryRawUnsafe<{ timeout: bigint | number }[]>('PRAGMA busy_timeout');
      const [sync] = await db.$queryRawUnsafe<{ synchronous: bigint | number }[]>('PRAGMA synchronous');
      expect(mode?.journal_mode).toBe('wal');
      expect(Number(timeout?.timeout)).toBe(10_000);
      // NORMAL: the adapter fsyncs the log before a write is acknowledged (lib/server/db/wal-sync.ts).
      expect(Number(sync?.synchronous)).toBe(1);
    } finally {
      await db.$disconnect();
    }
  });

  it('a transaction whose snapshot went stale during the lock (SQLITE_BUSY_SNAPSHOT) is rolled back and the connection keeps committing', async () => {
    // A batch transaction that reads and then writes: the progress handler's upserts. The holder
    // commits a write while the transaction waits, so its read snapshot is stale when it writes.
    const learner = await newLearner(database.db);
    const holder = await holdWriteLock(1_500);
    const during = await send(database.db, learner, 'progress');
    expect(await holder.done).toBe(0);
    expect([200, 503]).toContain(during.status);
    // Whatever happened, the connection is not left inside a transaction: later writes commit and survive.
    const after = await send(database.db, learner, 'progress');
    expect(after.status).toBe(200);
    const answer = await send(database.db, learner, 'answer', 'reused-node');
    expect(answer.status).toBe(200);
    await afterRestart(async (db) => {
      expect(await db.progressEvent.count({ where: { clientEventId: after.eventId! } })).toBe(1);
      expect(await db.response.count({ where: { learnerId: learner.learnerId, questionId: 'reused-node' } })).toBe(1);
      if (during.status === 200) {
        expect(await db.progressEvent.count({ where: { clientEventId: during.eventId! } })).toBe(1);
      }
    });
    expect(integrityCheck()).toBe('ok');
  }, 30_000);

  // Switching needs a moment alone with the file: SQLite waits the busy timeout (10 s), then fails.
  // The client also checks the mode the switch reports, so it can never run outside WAL silently.
  it('the server refuses to start on a file it cannot switch to WAL mode', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'autodidact-journal-'));
    const journalFile = path.join(dir, 'delete-mode.db');
    try {
      await migrate(`file:${journalFile}`);
      // Another process has the file open in rollback-journal mode, mid-read: the switch cannot happen.
      const other = new Database(journalFile);
      other.pragma('journal_mode = DELETE');
      other.exec('BEGIN');
      other.prepare('SELECT COUNT(*) FROM "Learner"').get();
      try {
        await expect(createDb(`file:${journalFile}`)).rejects.toThrow(/database is locked|instead of WAL/);
      } finally {
        other.exec('COMMIT');
        other.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('why WAL mode is required: Prisma 6.19.3 and a busy COMMIT (prisma/orm#29933)', () => {
  it('in rollback-journal mode a COMMIT that hits SQLITE_BUSY leaves the connection in its transaction and later acknowledged writes are lost', async () => {
    // A canary for the upstream bug, outside the app's settings: if this starts failing after a
    // Prisma upgrade, the bug is fixed and the WAL guard in lib/server/db/client.ts is belt and braces only.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'autodidact-29933-'));
    const journalFile = path.join(dir, 'delete-mode.db');
    try {
      await migrate(`file:${journalFile}`);
      const client = new PrismaClient({
        adapter: new PrismaBetterSQLite3({ url: `file:${journalFile}`, timeout: 300 }),
      });
      await client.learner.create({ data: { id: 'before' } });
      // A reader's SHARED lock blocks the EXCLUSIVE lock a rollback-journal COMMIT needs.
      const reader = new Database(journalFile);
      reader.exec('BEGIN');
      reader.prepare('SELECT COUNT(*) FROM "Learner"').get();
      await expect(
        client.$transaction([
          client.learner.create({ data: { id: 'in-tx-1' } }),
          client.learner.create({ data: { id: 'in-tx-2' } }),
        ]),
      ).rejects.toThrow(/SocketTimeout|timed out|SQLITE_BUSY|locked/i);
      reader.exec('COMMIT');
      reader.close();
      // Acknowledged without error…
      await client.learner.create({ data: { id: 'acknowledged-after' } });
      await client.$disconnect();
      // …but gone once the process lets go of the file.
      const check = new Database(journalFile, { readonly: true });
      const ids = (check.prepare('SELECT id FROM "Learner" ORDER BY id').all() as { id: string }[]).map(
        (row) => row.id,
      );
      check.close();
      expect(ids).toEqual(['before']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
