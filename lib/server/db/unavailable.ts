import 'server-only';

/**
 * Recognises errors that mean "the database cannot serve this right now, try again shortly": a
 * SQLite write lock held longer than the busy timeout (another process writing), and a
 * PostgreSQL server that is restarting, refusing connections, or dropped the connection. The
 * route handlers answer these with 503 and Retry-After instead of a 500 (docs/decisions/009); the
 * client's retry is safe because answers and progress events are idempotent.
 *
 * Checked by shape along the error's cause chain, because the same condition arrives as a
 * Prisma known-request error (P1001 …), as a driver-adapter error carrying the driver's kind
 * (`SocketTimeout` is how @prisma/adapter-better-sqlite3 reports SQLITE_BUSY), or as a raw
 * `pg`/Node error (ECONNREFUSED, "Connection terminated unexpectedly") when getDb() connects.
 */

export interface Unavailable {
  code: 'database-busy' | 'database-unavailable' | 'database-full';
  message: string;
  retryAfterSeconds: number;
}

/** Prisma codes: cannot reach / timed out / closed / pool timeout / server busy. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
/** Driver-adapter error kinds (Prisma's DriverAdapterError `cause.kind`). */
const ADAPTER_KINDS = new Set(['SocketTimeout', 'DatabaseNotReachable', 'ConnectionClosed', 'TooManyConnections']);
/** PostgreSQL SQLSTATEs: connection exceptions (08…), shutdown/cannot connect now (57P0…), too many connections. */
const SQLSTATE = /^(08\d{3}|57P0[1-4]|53300)$/;
const NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTCONN', 'EHOSTUNREACH']);
const MESSAGES =
  /SQLITE_BUSY|database is locked|Connection terminated|terminating connection|the database system is (starting up|shutting down|in recovery)|Can't reach database server|Timed out fetching a new connection|connection pool/i;
const BUSY = /SQLITE_BUSY|database is locked|SocketTimeout|P1008/i;
/**
 * The disk (or a quota) is full: SQLite's SQLITE_FULL ("database or disk is full"), a write or
 * fsync failing with ENOSPC / EDQUOT / EFBIG, PostgreSQL's disk_full (53100). SQLite rolls the
 * statement back, so nothing half-written stays, and earlier commits are untouched (issue 19).
 */
const FULL_CODES = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT', 'EFBIG', '53100']);
const FULL_MESSAGES = /database or disk is full|No space left on device|disk quota exceeded|File too large/i;

function isFull(link: Record<string, unknown>): boolean {
  for (const key of ['code', 'originalCode']) {
    const value = link[key];
    if (typeof value === 'string' && (FULL_CODES.has(value) || value.startsWith('SQLITE_FULL'))) return true;
  }
  for (const key of ['message', 'originalMessage']) {
    const value = link[key];
    if (typeof value === 'string' && FULL_MESSAGES.test(value)) return true;
  }
  return false;
}

function* chain(error: unknown): Generator<Record<string, unknown>> {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && !seen.has(current) && seen.size < 8) {
    seen.add(current);
    const record = current as Record<string, unknown>;
    yield record;
    if (record.errors instanceof Array) for (const inner of record.errors as unknown[]) yield* chain(inner);
    current = record.cause ?? record.originalError;
  }
}

export function databaseUnavailable(error: unknown): Unavailable | null {
  let matched = false;
  let busy = false;
  for (const link of chain(error)) {
    if (isFull(link)) {
      return {
        code: 'database-full',
        message:
          'The server has run out of disk space, so this was not saved. Your earlier work is safe. Please try again later; sending the same request again is safe.',
        retryAfterSeconds: 60,
      };
    }
    const code = typeof link.code === 'string' ? link.code : undefined;
    const kind = typeof link.kind === 'string' ? link.kind : undefined;
    const originalCode = typeof link.originalCode === 'string' ? link.originalCode : undefined;
    const message = typeof link.message === 'string' ? link.message : '';
    if (
      (code && (PRISMA_CODES.has(code) || NODE_CODES.has(code) || SQLSTATE.test(code))) ||
      (kind && ADAPTER_KINDS.has(kind)) ||
      (originalCode && (SQLSTATE.test(originalCode) || originalCode.startsWith('SQLITE_BUSY'))) ||
      MESSAGES.test(message)
    ) {
      matched = true;
      if (BUSY.test(`${code ?? ''} ${kind ?? ''} ${originalCode ?? ''} ${message}`)) busy = true;
    }
  }
  if (!matched) return null;
  return busy
    ? {
        code: 'database-busy',
        message:
          'The database is busy with another write. Please try again in a moment; sending the same request again is safe.',
        retryAfterSeconds: 2,
      }
    : {
        code: 'database-unavailable',
        message:
          'The database is unavailable right now. Please try again in a few seconds; sending the same request again is safe.',
        retryAfterSeconds: 5,
      };
}
