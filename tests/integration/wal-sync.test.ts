import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { PrismaClient } from '@/lib/server/db/generated/sqlite/client';
import { DurableSqliteAdapterFactory, GroupSync } from '@/lib/server/db/wal-sync';

/**
 * SQLite writes are acknowledged only after an fsync of the write-ahead log that started after
 * they committed (lib/server/db/wal-sync.ts, docs/decisions/010). The grouping logic is checked
 * with a flush the test controls; the adapter with a real SQLite file and the generated client.
 */

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

function deferred(): Deferred {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** Resolves after pending promise callbacks have run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupSync', () => {
  it('answers a caller only after a flush that started after its call, and shares flushes among callers', async () => {
    const flushes: Deferred[] = [];
    const group = new GroupSync(() => {
      const flush = deferred();
      flushes.push(flush);
      return flush.promise;
    });
    const done: string[] = [];
    const first = group.sync().then(() => done.push('first'));
    // Arrive during the first flush: it may have started before their writes, so they wait for the next one.
    const second = group.sync().then(() => done.push('second'));
    const third = group.sync().then(() => done.push('third'));
    await settle();
    expect(flushes).toHaveLength(1);

    flushes[0]!.resolve();
    await first;
    await settle();
    expect(done).toEqual(['first']);
    expect(flushes).toHaveLength(2); // one more flush, for both later callers

    flushes[1]!.resolve();
    await Promise.all([second, third]);
    expect(done).toEqual(['first', 'second', 'third']);
    expect(flushes).toHaveLength(2);
    expect(group.flushes).toBe(2);

    // Idle again: the next caller starts a flush at once.
    const fourth = group.sync();
    await settle();
    expect(flushes).toHaveLength(3);
    flushes[2]!.resolve();
    await fourth;
  });

  it('rejects the callers of a failed flush and gives the waiting group a new attempt', async () => {
    let calls = 0;
    const gate = deferred();
    const group = new GroupSync(async () => {
      calls++;
      if (calls === 1) {
        await gate.promise;
        throw new Error('EIO');
      }
    });
    const failing = group.sync();
    const waiting = group.sync();
    gate.resolve();
    await expect(failing).rejects.toThrow('EIO');
    await expect(waiting).resolves.toBeUndefined();
    expect(calls).toBe(2);
    expect(group.flushes).toBe(1);
  });
});

describe('DurableSqliteAdapterFactory on a real SQLite file', () => {
  let folder: string;
  let factory: DurableSqliteAdapterFactory;
  let db: PrismaClient;

  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'autodidact-wal-'));
    const file = path.join(folder, 'wal.db');
    factory = new DurableSqliteAdapterFactory(new PrismaBetterSQLite3({ url: `file:${file}` }), file);
    db = new PrismaClient({ adapter: factory });
    await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await db.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
    await db.$executeRawUnsafe('CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  });
  afterAll(async () => {
    await db?.$disconnect();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('flushes the log before a write outside a transaction resolves', async () => {
    const before = factory.flushes;
    expect(await db.$executeRaw`INSERT INTO note (body) VALUES (${'one'})`).toBe(1);
    expect(factory.flushes).toBeGreaterThan(before);
    const returned = await db.$queryRaw<{ id: bigint }[]>`INSERT INTO note (body) VALUES (${'two'}) RETURNING id`;
    expect(returned).toHaveLength(1);
    expect(factory.flushes).toBeGreaterThan(before + 1);
  });

  it('does not flush for a read', async () => {
    const before = factory.flushes;
    const rows = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM note`;
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
    expect(factory.flushes).toBe(before);
  });

  it('flushes once a transaction commits, not for its statements, and not for a rollback', async () => {
    let during = -1;
    const before = factory.flushes;
    await db.$transaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO note (body) VALUES (${'three'})`;
      await tx.$executeRaw`INSERT INTO note (body) VALUES (${'four'})`;
      during = factory.flushes;
    });
    expect(during).toBe(before);
    expect(factory.flushes).toBeGreaterThan(before);

    const afterCommit = factory.flushes;
    await expect(
      db.$transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO note (body) VALUES (${'never'})`;
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(factory.flushes).toBe(afterCommit);
    const bodies = await db.$queryRaw<{ body: string }[]>`SELECT body FROM note ORDER BY id`;
    expect(bodies.map((row) => row.body)).toEqual(['one', 'two', 'three', 'four']);
  });

  it('shares flushes among writes that arrive together, each still resolving after one', async () => {
    const before = factory.flushes;
    const writes = Array.from(
      { length: 20 },
      (_, i) => db.$executeRaw`INSERT INTO note (body) VALUES (${`batch-${i}`})`,
    );
    expect(await Promise.all(writes)).toEqual(Array.from({ length: 20 }, () => 1));
    const used = factory.flushes - before;
    expect(used).toBeGreaterThanOrEqual(1);
    expect(used).toBeLessThan(20);
  });
});
