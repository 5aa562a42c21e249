import 'server-only';

import { databaseProvider, getDb } from './db/client';
import { log } from './log';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  database: { provider: 'sqlite' | 'postgresql'; ok: boolean; ms: number; reason?: string };
}

/** A health check that hangs is as bad as a failed one: answer within this. */
const DATABASE_TIMEOUT_MS = 2_000;

/**
 * Whether this instance can serve: the database answers a query within 2 s. Used by
 * /api/health (load balancers, monitoring, the test harness). The reason is plain words, never
 * a connection string or a stack.
 */
export async function checkHealth(): Promise<HealthReport> {
  const started = performance.now();
  const provider = databaseProvider();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${DATABASE_TIMEOUT_MS} ms`)), DATABASE_TIMEOUT_MS);
    });
    const db = await Promise.race([getDb(), timeout]);
    await Promise.race([db.$queryRawUnsafe('SELECT 1'), timeout]);
    return { status: 'ok', database: { provider, ok: true, ms: Math.round(performance.now() - started) } };
  } catch (error) {
    const reason = error instanceof Error && error.message.startsWith('no answer') ? error.message : 'unreachable';
    log.warn({ err: error, provider }, 'health check: database %s', reason);
    return {
      status: 'unavailable',
      database: { provider, ok: false, ms: Math.round(performance.now() - started), reason: `database ${reason}` },
    };
  } finally {
    clearTimeout(timer);
  }
}
