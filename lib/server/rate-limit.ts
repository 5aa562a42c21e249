import 'server-only';

import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

import { serverEnv } from '@/lib/env';

import { TooManyRequests } from './http';

/**
 * Rate limits on the learner endpoints (issue 19: 2,000 POST /api/session in 15 s from one
 * client each made rows and slowed everyone; one session made 1,000 join-code guesses at about
 * 7,500 a minute). rate-limiter-flexible's in-memory limiter: a fixed window per key, no
 * database round trip on the hot path. Limits are per app instance (with several instances a
 * client gets up to that many times the limit); the sign-in throttle, which must be exact, stays
 * in the database (lib/server/auth/throttle.ts).
 *
 * Two keys per request: the client address (lib/server/api/client-address.ts; believes
 * X-Forwarded-For only from AUTODIDACT_TRUSTED_PROXIES) and the learner session. The address
 * limits are generous because a whole classroom often shares one public address.
 *
 * AUTODIDACT_RATE_LIMIT: `on` (default), `off` (e.g. `npm run load:class`, which simulates
 * thousands of learners from one loopback address), or a number that multiplies every limit.
 */

export interface LimitRule {
  points: number;
  /** Window in seconds. */
  duration: number;
}

export const RATE_LIMITS = {
  /** New learner sessions (rows) per client address: a class of 120 arriving within a minute. */
  'session-create:client': { points: 120, duration: 60 },
  /** Learner API requests per session: a beacon every 15 s and an answer a minute is about 5. */
  'learner-api:session': { points: 120, duration: 60 },
  /** Learner API requests per client address: 60 learners behind one school address, busy. */
  'learner-api:client': { points: 1200, duration: 60 },
  /** Join-code attempts that fail, per session (a typo or two, not a search). */
  'join-failure:session': { points: 10, duration: 600 },
  /** Join-code attempts that fail, per client address. */
  'join-failure:client': { points: 100, duration: 600 },
  /** Data downloads and deletions per session (each reads or deletes everything the learner has). */
  'my-data:session': { points: 10, duration: 600 },
} as const satisfies Record<string, LimitRule>;

export type LimitName = keyof typeof RATE_LIMITS;

export type RateLimitMode = 'off' | { factor: number };

export function parseRateLimitMode(value: string): RateLimitMode {
  if (value === 'off') return 'off';
  if (value === 'on') return { factor: 1 };
  const factor = Number(value);
  if (!Number.isFinite(factor) || factor <= 0)
    throw new Error(`AUTODIDACT_RATE_LIMIT: "${value}" is not on, off or a number`);
  return { factor };
}

interface LimitState {
  mode: RateLimitMode;
  limiters: Map<LimitName, RateLimiterMemory>;
}
// On globalThis: the server's bundles (each route, and instrumentation's learner fast path,
// api/fast-path.ts) may each hold a copy of this module, and all must spend the same points.
const shared = globalThis as typeof globalThis & { autodidactRateLimits?: LimitState };

/** Sets the mode (tests; the server reads AUTODIDACT_RATE_LIMIT). Fresh counters either way. */
export function configureRateLimits(mode: RateLimitMode): void {
  shared.autodidactRateLimits = { mode, limiters: new Map() };
}

function current(): LimitState {
  if (!shared.autodidactRateLimits) configureRateLimits(parseRateLimitMode(serverEnv().AUTODIDACT_RATE_LIMIT));
  return shared.autodidactRateLimits!;
}

function limiter(name: LimitName): RateLimiterMemory | null {
  const { mode, limiters } = current();
  if (mode === 'off') return null;
  let found = limiters.get(name);
  if (!found) {
    const rule = RATE_LIMITS[name];
    found = new RateLimiterMemory({
      keyPrefix: name,
      points: Math.max(1, Math.round(rule.points * mode.factor)),
      duration: rule.duration,
    });
    limiters.set(name, found);
  }
  return found;
}

function refusal(name: LimitName, msBeforeNext: number): TooManyRequests {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  const wait = seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
  const what = name.startsWith('join-failure')
    ? 'Too many join codes that did not match a class.'
    : name.startsWith('session-create')
      ? 'Too many new sessions from your network.'
      : name.startsWith('my-data')
        ? 'Too many data requests.'
        : 'Too many requests.';
  return new TooManyRequests(`${what} Please wait ${wait} and try again.`, seconds);
}

/**
 * Spends one point of `name` for `key`; throws TooManyRequests when the window's points are used
 * up. A null key (address unknown, no session) is not limited by this rule.
 */
export async function consume(name: LimitName, key: string | null): Promise<void> {
  const found = key === null ? null : limiter(name);
  if (!found || key === null) return;
  try {
    await found.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw refusal(name, error.msBeforeNext);
    throw error;
  }
}

/** Gives a point back (a join code that matched was not a guess). */
export async function refund(name: LimitName, key: string | null): Promise<void> {
  const found = key === null ? null : limiter(name);
  if (found && key !== null) await found.reward(key, 1);
}
