// A fresh, migrated database for one integration test file. `npm run test:integration` uses a
// SQLite file; `npm run test:postgres` sets TEST_DATABASE=postgresql and gets a new database on
// the local PostgreSQL server instead, so the same tests prove both paths.
//
//   const database = await createTestDatabase();   // in beforeAll
//   await database.db.learner.create(...);          // or code under test that calls getDb()
//   await database.cleanup();                       // in afterAll
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import pg from 'pg';

import { migratePostgres } from '@/lib/cli/migrate-postgres.mjs';
import { migrate } from '@/lib/cli/migrate.mjs';
import { createDb, type Db, setDbForTests } from '@/lib/server/db/client';

export type TestDatabaseKind = 'sqlite' | 'postgresql';

export interface TestDatabase {
  kind: TestDatabaseKind;
  /** The database's URL (also put in process.env.DATABASE_URL). */
  url: string;
  /** A client of its own; getDb() returns the same client until cleanup(). */
  db: Db;
  /** Disconnects and deletes the database. */
  cleanup: () => Promise<void>;
}

/** The server test databases are created on; override with TEST_POSTGRES_URL. */
export const TEST_POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://root@127.0.0.1:5432/postgres';

export function testDatabaseKind(): TestDatabaseKind {
  const kind = process.env.TEST_DATABASE ?? 'sqlite';
  if (kind !== 'sqlite' && kind !== 'postgresql') {
    throw new Error(`TEST_DATABASE must be "sqlite" or "postgresql"; got "${kind}"`);
  }
  return kind;
}

/** `url` with its database name replaced. */
export function postgresUrlFor(database: string, adminUrl = TEST_POSTGRES_ADMIN_URL): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs one statement on the admin database (CREATE/DROP DATABASE cannot run in a transaction). */
export async function adminQuery(sql: string, adminUrl = TEST_POSTGRES_ADMIN_URL): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `Cannot reach the PostgreSQL server for tests at ${adminUrl} (start it, or set TEST_POSTGRES_URL): ${String(error)}`,
      { cause: error },
    );
  }
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates an empty PostgreSQL database with a unique name; returns its name and URL. */
export async function createEmptyPostgresDatabase(): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  // Lowercase and unquoted-safe; the random part keeps parallel test files apart.
  const name = `autodidact_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  return {
    name,
    url: postgresUrlFor(name),
    // FORCE ends connections a failed test may have left open, so the drop cannot hang.
    drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

export async function createTestDatabase(kind: TestDatabaseKind = testDatabaseKind()): Promise<TestDatabase> {
  let url: string;
  let remove: () => Promise<void>;
  if (kind === 'postgresql') {
    const database = await createEmptyPostgresDatabase();
    url = database.url;
    remove = database.drop;
    try {
      await migratePostgres(url, { log: () => {} });
    } catch (error) {
      await remove();
      throw error;
    }
  } else {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'autodidact-test-'));
    url = `file:${path.join(dir, 'test.db')}`;
    remove = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }));
    try {
      await migrate(url);
    } catch (error) {
      await remove();
      throw error;
    }
  }
  // A small pool: tests run several files at once against one server.
  const db = await createDb(url, { poolSize: 4 });
  process.env.DATABASE_URL = url;
  setDbForTests(db);
  return {
    kind,
    url,
    db,
    cleanup: async () => {
      setDbForTests(undefined);
      await db.$disconnect();
      await remove();
    },
  };
}
