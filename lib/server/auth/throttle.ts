import 'server-only';

import type { Db } from '../db/client';

/**
 * Failed-login limiting that every app instance shares: counters live in the LoginThrottle
 * table, and one SQL statement both counts an attempt and reads the count, so concurrent
 * guesses cannot all slip past a stale read (the gap better-auth's own storage API closes the
 * same way). An attempt is counted before the password is checked; a successful sign-in clears
 * the account's counter, so what accumulates is failures.
 */

export interface ThrottleRule {
  /** Attempts allowed per window. */
  max: number;
  windowMs: number;
}

export const LOGIN_RULES = {
  /** Guessing one instructor's password: 5 tries per 15 minutes. */
  email: { max: 5, windowMs: 15 * 60 * 1000 },
  /**
   * One client address trying many accounts (the address from lib/server/api/client-address.ts:
   * X-Forwarded-For counts only from AUTODIDACT_TRUSTED_PROXIES). Failures on unknown emails
   * have a separate bucket of the same size, so they cannot lock out real accounts.
   */
  ip: { max: 30, windowMs: 15 * 60 * 1000 },
} as const satisfies Record<string, ThrottleRule>;

export interface ThrottleResult {
  allowed: boolean;
  /** Seconds until the window resets, when refused. */
  retryAfterSeconds: number;
}

/** Counts one attempt against `key` and says whether it is within the rule. */
export async function consumeAttempt(
  db: Db,
  key: string,
  rule: ThrottleRule,
  now = Date.now(),
): Promise<ThrottleResult> {
  const expiredBefore = now - rule.windowMs;
  // Qualified column names in DO UPDATE: PostgreSQL would otherwise find them ambiguous with EXCLUDED.
  const rows = await db.$queryRaw<{ failures: number | bigint; windowStartMs: number | bigint }[]>`
    INSERT INTO "LoginThrottle" ("key", "failures", "windowStartMs") VALUES (${key}, 1, ${now})
    ON CONFLICT ("key") DO UPDATE SET
      "failures" = CASE WHEN "LoginThrottle"."windowStartMs" <= ${expiredBefore} THEN 1 ELSE "LoginThrottle"."failures" + 1 END,
      "windowStartMs" = CASE WHEN "LoginThrottle"."windowStartMs" <= ${expiredBefore} THEN ${now} ELSE "LoginThrottle"."windowStartMs" END
    RETURNING "failures", "windowStartMs"`;
  const row = rows[0];
  if (!row) throw new Error('LoginThrottle upsert returned no row');
  const failures = Number(row.failures);
  const resetAt = Number(row.windowStartMs) + rule.windowMs;
  return { allowed: failures <= rule.max, retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now) / 1000)) };
}

export async function clearAttempts(db: Db, key: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key } });
}

export function emailKey(email: string): string {
  return `email:${email.trim().toLowerCase()}`;
}
