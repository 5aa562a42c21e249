import 'server-only';

import { statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

import type { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

/**
 * Durable SQLite commits without an fsync on the event loop (docs/decisions/010).
 *
 * With `synchronous=FULL`, SQLite fsyncs the write-ahead log inside every COMMIT, and because
 * better-sqlite3 is synchronous the whole server waits for the disk (about 0.22 ms a commit on
 * this machine, most of what separated an answer from a no-op request under load). Instead the
 * connection runs with `synchronous=NORMAL` (WAL mode: a commit writes its frames to the log
 * and returns; a crash or power cut can lose the newest commits but never corrupts the file),
 * and this adapter wrapper makes every write wait, before it resolves to its caller, for an
 * fsync of the log started after the write committed. That fsync runs on libuv's thread pool.
 * So nothing is acknowledged before it is on disk, exactly as with FULL, while the event loop
 * keeps serving other requests during the flush.
 *
 * - Writes outside a transaction (a raw INSERT, an implicit single statement) wait after their
 *   statement; a transaction waits in commit(), after Prisma's COMMIT ran. Reads (SELECT) do not.
 * - Flushes are shared: callers that arrive while one is running wait for the next one, which
 *   starts as soon as the running one ends and covers all of them (group fsync).
 * - The log file is opened once and reopened if SQLite replaced it (a new inode at that path).
 */

type SqlDriverAdapter = Awaited<ReturnType<PrismaBetterSQLite3['connect']>>;
type Transaction = Awaited<ReturnType<SqlDriverAdapter['startTransaction']>>;
type SqlQuery = Parameters<SqlDriverAdapter['queryRaw']>[0];

/** Statements that cannot have written anything. Everything else is treated as a write. */
const READ_ONLY = /^\s*SELECT\b/i;

/** Group fsync of one file: every sync() resolves after an fsync that started after the call. */
export class GroupSync {
  private running: Promise<void> | null = null;
  private next: Promise<void> | null = null;
  /** Completed flushes; tests read it to see that a write waited for one. */
  flushes = 0;

  constructor(private readonly flush: () => Promise<void>) {}

  sync(): Promise<void> {
    // A flush is running: it may have started before the caller's write, so wait for the next.
    if (this.next) return this.next;
    if (this.running) {
      this.next = this.running
        .catch(() => {
          // That flush's failure belongs to its own callers; this group gets a fresh attempt.
        })
        .then(() => {
          this.next = null;
          return this.sync();
        });
      return this.next;
    }
    this.running = this.flush()
      .then(() => {
        this.flushes++;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}

/** fsync of SQLite's write-ahead log for database file `databasePath`. */
export function walFlusher(databasePath: string): () => Promise<void> {
  const walPath = `${databasePath}-wal`;
  let handle: FileHandle | null = null;
  let inode = -1;
  return async () => {
    const current = statSync(walPath, { throwIfNoEntry: false });
    // No log: nothing was ever committed to one, so nothing waits to be made durable.
    if (!current) return;
    if (!handle || current.ino !== inode) {
      await handle?.close();
      handle = await open(walPath, 'r+');
      inode = current.ino;
    }
    await handle.sync();
  };
}

function wrapTransaction(transaction: Transaction, group: GroupSync): Transaction {
  return {
    provider: transaction.provider,
    adapterName: transaction.adapterName,
    options: transaction.options,
    queryRaw: (query: SqlQuery) => transaction.queryRaw(query),
    executeRaw: (query: SqlQuery) => transaction.executeRaw(query),
    commit: async () => {
      await transaction.commit();
      await group.sync();
    },
    rollback: () => transaction.rollback(),
  };
}

function wrapAdapter(adapter: SqlDriverAdapter, group: GroupSync): SqlDriverAdapter {
  const afterWrite = async <T>(query: SqlQuery, result: Promise<T>): Promise<T> => {
    const value = await result;
    if (!READ_ONLY.test(query.sql)) await group.sync();
    return value;
  };
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => afterWrite(query, adapter.queryRaw(query)),
    executeRaw: (query) => afterWrite(query, adapter.executeRaw(query)),
    executeScript: async (script) => {
      await adapter.executeScript(script);
      await group.sync();
    },
    startTransaction: async (isolationLevel) => wrapTransaction(await adapter.startTransaction(isolationLevel), group),
    ...(adapter.getConnectionInfo ? { getConnectionInfo: () => adapter.getConnectionInfo!() } : {}),
    dispose: () => adapter.dispose(),
  };
}

/**
 * The better-sqlite3 adapter factory, with every write acknowledged only after the log is on
 * disk. The connection must run in WAL mode with `synchronous=NORMAL` (lib/server/db/client.ts
 * sets both and refuses any other journal mode). `flushes` counts completed log fsyncs.
 */
export class DurableSqliteAdapterFactory {
  readonly provider: SqlDriverAdapter['provider'];
  readonly adapterName: string;
  private readonly group: GroupSync;

  constructor(
    private readonly inner: PrismaBetterSQLite3,
    databasePath: string,
  ) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
    this.group = new GroupSync(walFlusher(databasePath));
  }

  get flushes(): number {
    return this.group.flushes;
  }

  async connect(): Promise<SqlDriverAdapter> {
    return wrapAdapter(await this.inner.connect(), this.group);
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    return this.inner.connectToShadowDb();
  }
}
