import 'server-only';

import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

import { serverEnv } from '@/lib/env';

import { PrismaClient } from './generated/sqlite/client';

export type Db = PrismaClient;

// One client per process, kept on globalThis so dev-mode hot reloads do not open a new
// connection on every edit (create-t3-app's pattern).
const globalForDb = globalThis as unknown as { autodidactDb?: Promise<Db> };

/** SQLite file path for a `file:` URL, relative to the working directory like the adapter. */
export function sqlitePath(url: string): string {
  return url.replace(/^file:/, '');
}

async function connect(): Promise<Db> {
  const { DATABASE_URL } = serverEnv();
  if (!DATABASE_URL.startsWith('file:')) {
    throw new Error('PostgreSQL support is configured through DATABASE_URL=postgresql://…; see README "Configuration".');
  }
  // better-sqlite3's `timeout` is SQLite's busy timeout: a writer waits this long for a lock
  // held by another process (a script, a second server) before failing with SQLITE_BUSY.
  const adapter = new PrismaBetterSQLite3({ url: DATABASE_URL, timeout: 10_000 });
  const client = new PrismaClient({ adapter });
  // WAL lets readers proceed during a write; FULL makes an acknowledged commit survive a
  // power cut. The adapter sets neither (see docs/decisions/001-stack-and-offline-prisma.md).
  await client.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await client.$executeRawUnsafe('PRAGMA synchronous = FULL');
  await client.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  return client;
}

export function getDb(): Promise<Db> {
  globalForDb.autodidactDb ??= connect().catch((error: unknown) => {
    globalForDb.autodidactDb = undefined;
    throw error;
  });
  return globalForDb.autodidactDb;
}
