// The runtime client switch (lib/server/db/client.ts): DATABASE_URL picks SQLite or
// PostgreSQL, and callers get the same API either way. Runs against whichever database the
// suite uses (TEST_DATABASE), plus PostgreSQL-only checks of the pool.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { migratePostgres } from '@/lib/cli/migrate-postgres.mjs';
import { createDb, getDb } from '@/lib/server/db/client';

import { createEmptyPostgresDatabase, createTestDatabase, type TestDatabase } from './helpers/test-database';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.cleanup();
});

describe(`the database client (${process.env.TEST_DATABASE ?? 'sqlite'})`, () => {
  it('getDb() returns the test database client', async () => {
    expect(await getDb()).toBe(database.db);
  });

  it('writes and reads through the shared model API, relations and cascades included', async () => {
    const { db } = database;
    await db.lesson.create({ data: { slug: 'client-test', title: 'Client test', order: 99 } });
    await db.question.createMany({
      data: [0, 1, 2].map((position) => ({
        id: `client-test-q${position}`,
        lessonSlug: 'client-test',
        kind: 'choice',
        skill: 'chain-rule',
        prompt: `Prompt ${position}`,
        position,
      })),
    });
    const lesson = await db.lesson.findUniqueOrThrow({
      where: { slug: 'client-test' },
      include: { questions: { orderBy: { position: 'desc' } } },
    });
    expect(lesson.questions.map((question) => question.id)).toEqual([
      'client-test-q2',
      'client-test-q1',
      'client-test-q0',
    ]);
    expect(lesson.updatedAt).toBeInstanceOf(Date);
    await db.lesson.delete({ where: { slug: 'client-test' } });
    expect(await db.question.count({ where: { lessonSlug: 'client-test' } })).toBe(0);
  });

  it('talks to the database kind its URL names', async () => {
    const rows =
      database.kind === 'postgresql'
        ? await database.db.$queryRawUnsafe<{ name: string }[]>('SELECT current_database()::text AS name')
        : await database.db.$queryRawUnsafe<{ name: string }[]>('SELECT sqlite_version() AS name');
    expect(rows).toHaveLength(1);
    if (database.kind === 'postgresql') expect(database.url).toContain(`/${rows[0]!.name}`);
  });

  it('rejects a URL that is neither SQLite nor PostgreSQL', async () => {
    await expect(createDb('mysql://localhost/x')).rejects.toThrow(
      /must start with file: \(SQLite\) or postgresql:\/\//,
    );
  });
});

describe('the PostgreSQL pool', () => {
  it('opens at most DATABASE_POOL_SIZE connections per instance', async () => {
    const scratch = await createEmptyPostgresDatabase();
    try {
      await migratePostgres(scratch.url, { log: () => {} });
      const db = await createDb(scratch.url, { poolSize: 2 });
      try {
        // Six queries that each hold a connection for 300 ms: with two connections they run
        // in three waves, and the server never sees more than two of ours at once. A separate
        // connection watches, so the watching never waits for the pool it measures.
        const watcher = new pg.Client({ connectionString: scratch.url, application_name: 'pool-watcher' });
        await watcher.connect();
        let peak = 0;
        const observe = setInterval(() => {
          watcher
            .query<{ n: string }>(
              "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'autodidact'",
            )
            .then(({ rows }) => {
              peak = Math.max(peak, Number(rows[0]!.n));
            })
            .catch(() => {});
        }, 50);
        const started = Date.now();
        await Promise.all(Array.from({ length: 6 }, () => db.$queryRawUnsafe('SELECT 1 AS done FROM pg_sleep(0.3)')));
        const elapsed = Date.now() - started;
        clearInterval(observe);
        await watcher.end();
        expect(elapsed).toBeGreaterThanOrEqual(850);
        expect(peak).toBe(2);
      } finally {
        await db.$disconnect();
      }
    } finally {
      await scratch.drop();
    }
  });

  it('reports a PostgreSQL server it cannot reach when connecting', async () => {
    await expect(createDb('postgresql://root@127.0.0.1:1/none', { poolSize: 1 })).rejects.toThrow();
  });
});
