import 'server-only';

import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';

import { serverEnv } from '@/lib/env';

import { type Prisma as PostgresPrisma, PrismaClient as PostgresPrismaClient } from './generated/postgresql/client';
import { type Prisma as SqlitePrisma, PrismaClient } from './generated/sqlite/client';
import { offloadAnswerStatements } from './answer-offload';
import { DurableSqliteAdapterFactory } from './wal-sync';
import { log } from '../log';

/**
 * The database client every caller uses, whichever database DATABASE_URL names. Typed as the
 * SQLite client: both generated clients come from the same models (prisma/postgresql/
 * schema.prisma is generated from prisma/schema.prisma, and a test fails if they differ in
 * anything but provider, URL and output folder), so their model APIs are the same; the
 * check below makes the compiler confirm it for every model.
 */
export type Db = PrismaClient;

// Compile-time proof of that claim, model by model: the same model names and the same row
// types (scalars, enums included). tsc fails here when they drift apart, e.g. when the
// PostgreSQL client was not regenerated after a schema change (run `npm install`, which runs
// both `prisma generate`s). Input types are deliberately not compared: they differ by design
// where the providers do (PostgreSQL's `createMany` takes `skipDuplicates`, SQLite's does
// not), and TypeScript cannot relate two copies of Prisma's generic method types anyway.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type SqliteModels = SqlitePrisma.TypeMap['model'];
type PostgresModels = PostgresPrisma.TypeMap['model'];
type ModelMismatches = {
  [M in keyof SqliteModels]: M extends keyof PostgresModels
    ? Same<SqliteModels[M]['payload']['scalars'], PostgresModels[M]['payload']['scalars']> extends true
      ? never
      : M
    : M;
}[keyof SqliteModels];
type AssertTrue<T extends [true, true]> = T;
export type PostgresClientMatchesSqlite = AssertTrue<
  [Same<keyof SqliteModels, keyof PostgresModels>, Same<ModelMismatches, never>]
>;

// One client per process, kept on globalThis so dev-mode hot reloads do not open a new
// connection (or pool) on every edit (create-t3-app's pattern).
const globalForDb = globalThis as unknown as { autodidactDb?: Promise<Db> };

/** SQLite file path for a `file:` URL, relative to the working directory like the adapter. */
export function sqlitePath(url: string): string {
  return url.replace(/^file:/, '');
}

async function connectSqlite(url: string): Promise<Db> {
  // better-sqlite3's `timeout` is SQLite's busy timeout: a writer waits this long for a lock
  // held by another process (a script, a second server) before failing with SQLITE_BUSY.
  // Every write resolves only after an fsync of the write-ahead log that started after it
  // committed, run off the event loop (wal-sync.ts, docs/decisions/010).
  const adapter = new DurableSqliteAdapterFactory(new PrismaBetterSQLite3({ url, timeout: 10_000 }), sqlitePath(url));
  const client = new PrismaClient({ adapter });
  // WAL lets readers proceed during a write and is what the log fsync above relies on. The
  // adapter sets no journal mode (see docs/decisions/001-stack-and-offline-prisma.md).
  const [mode] = await client.$queryRawUnsafe<{ journal_mode: string }[]>('PRAGMA journal_mode = WAL');
  if (mode?.journal_mode !== 'wal') {
    await client.$disconnect();
    // Outside WAL mode a COMMIT can fail with SQLITE_BUSY, and Prisma 6.19 then leaves the
    // connection inside the transaction: later writes are acknowledged but never committed
    // (prisma/orm#29933, reproduced in tests/integration/sqlite-write-lock.test.ts). Refuse to run.
    throw new Error(
      `SQLite database ${url} stayed in "${mode?.journal_mode}" journal mode instead of WAL (another process may hold it open in rollback-journal mode); refusing to start, see docs/decisions/009`,
    );
  }
  // NORMAL: SQLite does not fsync inside COMMIT; the adapter does it before any write is
  // acknowledged, so an acknowledged commit still survives a power cut, as with FULL.
  await client.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
  await client.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  return client;
}

async function connectPostgres(url: string, poolSize: number): Promise<Db> {
  // DATABASE_POOL_SIZE is per instance: N instances open up to N × poolSize connections, which
  // must stay under the server's max_connections (docs/decisions/006).
  const adapter = new PrismaPg(
    { connectionString: url, max: poolSize, application_name: 'autodidact' },
    {
      // A dropped idle connection (server restart, network blip) must not crash the process;
      // the pool discards it and the next query opens a new one.
      onPoolError: (error) => log.error({ detail: error.message }, 'PostgreSQL pool error'),
    },
  );
  const client = new PostgresPrismaClient({ adapter });
  // Fail at startup, with the URL's problem, rather than on the first request.
  await client.$queryRawUnsafe('SELECT 1');
  // The cast is sound because of PostgresClientMatchesSqlite above; the two classes differ only in
  // provider-specific internals that no caller touches.
  return client as unknown as Db;
}

/**
 * A new client for `url` (file: for SQLite, postgresql:// for PostgreSQL). The app uses
 * getDb(); this is for tests and scripts that need a database of their own.
 */
export async function createDb(url: string, { poolSize = 10 }: { poolSize?: number } = {}): Promise<Db> {
  if (url.startsWith('file:')) return connectSqlite(url);
  if (/^postgres(ql)?:\/\//.test(url)) return connectPostgres(url, poolSize);
  throw new Error(`Database URL must start with file: (SQLite) or postgresql:// (PostgreSQL); got "${url}"`);
}

/** Connections of the answer worker's PostgreSQL pool: 2 group reads and 4 group inserts in flight. */
const ANSWER_WORKER_POOL_SIZE = 6;

/** The process's one client, for DATABASE_URL (and, in the server, its answer worker's). */
export function getDb(): Promise<Db> {
  // async, so a bad environment (serverEnv throws) becomes a rejection like any connect error.
  globalForDb.autodidactDb ??= (async () => {
    const { DATABASE_URL, DATABASE_POOL_SIZE, AUTODIDACT_ANSWER_WORKER } = serverEnv();
    const db = await createDb(DATABASE_URL, { poolSize: DATABASE_POOL_SIZE });
    // The answer path's statements get a client of their own on a worker thread (decision 011);
    // its pool only needs room for the batches the answer reader and writer keep in flight.
    if (AUTODIDACT_ANSWER_WORKER === '1') {
      offloadAnswerStatements(db, DATABASE_URL, Math.min(DATABASE_POOL_SIZE, ANSWER_WORKER_POOL_SIZE));
    }
    return db;
  })().catch((error: unknown) => {
    globalForDb.autodidactDb = undefined;
    throw error;
  });
  return globalForDb.autodidactDb;
}

/**
 * Makes getDb() return `db` (or connect afresh from DATABASE_URL when undefined). Only the
 * integration-test helper calls this, so code under test that calls getDb() itself uses the
 * test's own database.
 */
export function setDbForTests(db: Db | undefined): void {
  globalForDb.autodidactDb = db ? Promise.resolve(db) : undefined;
}

/** Which database DATABASE_URL selects; for health output and logs. */
export function databaseProvider(): 'sqlite' | 'postgresql' {
  return serverEnv().DATABASE_URL.startsWith('file:') ? 'sqlite' : 'postgresql';
}

/**
 * Which database a given client talks to. Prisma exposes it only as the generated client's
 * `_activeProvider` field; read here, in one place, for code that takes a client as a parameter
 * (tests pass clients of either kind, so DATABASE_URL cannot tell).
 */
export function providerOf(db: Db): 'sqlite' | 'postgresql' {
  return (db as unknown as { _activeProvider?: string })._activeProvider === 'sqlite' ? 'sqlite' : 'postgresql';
}
