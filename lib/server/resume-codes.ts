import 'server-only';

import { createHash, randomInt } from 'node:crypto';

import { z } from 'zod';

import { clientAddress } from './api/client-address';
import type { Db } from './db/client';
import { assertSameOrigin, handle, HttpError, json, parseOrThrow, readJson, TooManyRequests } from './http';
import { consume as consumeRequest } from './rate-limit';
import { createSessionFor, requireSession, sessionCookie, sessionIdFrom } from './session';

/**
 * Resume codes: carry a learner's progress to another device (issue 16, "keep the learner's
 * state"; docs/decisions/014). The learner asks for a code on the device that has their progress
 * and types it (or opens its link) on the other one, which then gets a session for the same
 * learner: every answer, practice round, reading position and widget setting comes along.
 *
 * Not guessable: 10 characters from a 31-letter alphabet (31^10 ≈ 8.2e14, about 49 bits), made
 * with the operating system's random source; only their SHA-256 is stored (a fast hash is enough
 * for a random secret of this size, unlike a password); each works once and for 24 hours; a new
 * code replaces the learner's older ones; and guesses are limited per client address, per
 * browser session and for the whole site (failures only), in the database so every instance
 * counts the same guesses. At the site-wide limit an attacker tries at most 300 codes per 15
 * minutes, so with 10,000 live codes a guess succeeds with probability about 300 × 10^4 / 8.2e14
 * ≈ 4e-9 per window.
 */

/** The join code's alphabet: no 0/O or 1/I/L, which are easy to misread or mistype. */
export const RESUME_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const RESUME_CODE_LENGTH = 10;
export const RESUME_CODE_TTL_MS = 24 * 60 * 60 * 1000;

export interface ThrottleRule {
  max: number;
  windowMs: number;
}

export const RESUME_RULES = {
  /** Tries (right or wrong) from one client address. */
  ip: { max: 10, windowMs: 15 * 60 * 1000 },
  /** Tries from one browser session (the limit when the address is unknown or shared). */
  session: { max: 10, windowMs: 15 * 60 * 1000 },
  /** Wrong codes from everyone together: bounds a guesser with many addresses. */
  all: { max: 300, windowMs: 15 * 60 * 1000 },
} as const satisfies Record<string, ThrottleRule>;

export const MAX_RESUME_BYTES = 1024;

/** Upper case, without the spaces and dashes people type between groups. */
export function normaliseResumeCode(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, '');
}

/** XXXXX-XXXXX, the way the code is shown and read aloud. */
export function formatResumeCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

export const redeemSchema = z
  .object({
    code: z
      .string()
      .max(40, 'A resume code is 10 letters and digits.')
      .transform(normaliseResumeCode)
      .pipe(
        z
          .string()
          .regex(
            new RegExp(`^[${RESUME_CODE_ALPHABET}]{${RESUME_CODE_LENGTH}}$`),
            'A resume code is 10 letters and digits, like ABCDE-23456 (no 0, 1, I, L or O).',
          ),
      ),
  })
  .strict();

export function hashResumeCode(code: string): string {
  return createHash('sha256').update(normaliseResumeCode(code)).digest('hex');
}

function newCode(): string {
  return Array.from(
    { length: RESUME_CODE_LENGTH },
    () => RESUME_CODE_ALPHABET[randomInt(RESUME_CODE_ALPHABET.length)],
  ).join('');
}

/** A fresh code for this learner; their older codes stop working. Returns the code itself (shown once). */
export async function createResumeCode(
  db: Db,
  learnerId: string,
  now = new Date(),
): Promise<{ code: string; expiresAt: Date }> {
  const code = newCode();
  const expiresAt = new Date(now.getTime() + RESUME_CODE_TTL_MS);
  await db.$transaction([
    db.resumeCode.deleteMany({ where: { learnerId } }),
    db.resumeCode.create({ data: { codeHash: hashResumeCode(code), learnerId, createdAt: now, expiresAt } }),
  ]);
  return { code, expiresAt };
}

/** Counts one event against `key`; one statement, so concurrent guesses cannot slip past a stale read. */
async function consume(
  db: Db,
  key: string,
  rule: ThrottleRule,
  now: number,
): Promise<{ count: number; resetAt: number }> {
  const expiredBefore = now - rule.windowMs;
  const rows = await db.$queryRaw<{ failures: number | bigint; windowStartMs: number | bigint }[]>`
    INSERT INTO "ResumeThrottle" ("key", "failures", "windowStartMs") VALUES (${key}, 1, ${now})
    ON CONFLICT ("key") DO UPDATE SET
      "failures" = CASE WHEN "ResumeThrottle"."windowStartMs" <= ${expiredBefore} THEN 1 ELSE "ResumeThrottle"."failures" + 1 END,
      "windowStartMs" = CASE WHEN "ResumeThrottle"."windowStartMs" <= ${expiredBefore} THEN ${now} ELSE "ResumeThrottle"."windowStartMs" END
    RETURNING "failures", "windowStartMs"`;
  const row = rows[0];
  if (!row) throw new Error('ResumeThrottle upsert returned no row');
  return { count: Number(row.failures), resetAt: Number(row.windowStartMs) + rule.windowMs };
}

/** The site-wide count of wrong codes in the current window, without counting anything. */
async function peek(db: Db, key: string, rule: ThrottleRule, now: number): Promise<{ count: number; resetAt: number }> {
  const row = await db.resumeThrottle.findUnique({ where: { key } });
  if (!row || Number(row.windowStartMs) <= now - rule.windowMs) return { count: 0, resetAt: now };
  return { count: row.failures, resetAt: Number(row.windowStartMs) + rule.windowMs };
}

function tooMany(resetAt: number, now: number): TooManyRequests {
  const seconds = Math.max(1, Math.ceil((resetAt - now) / 1000));
  const minutes = Math.ceil(seconds / 60);
  return new TooManyRequests(
    `Too many tries with resume codes. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`,
    seconds,
  );
}

/** The per-client and per-session request limits every learner endpoint passes (decision 019). */
export async function limitLearnerCall(request: Request): Promise<string | null> {
  const session = await sessionIdFrom(request);
  await consumeRequest('learner-api:client', clientAddress(request.headers));
  await consumeRequest('learner-api:session', session);
  return session;
}

export interface RedeemContext {
  /** The client's address, when known. */
  ip: string | null;
  /** The browser's current session id, when it has one. */
  sessionId: string | null;
}

/**
 * Checks a code and, when it is live, uses it up: the row is deleted in the same statement that
 * reads it, so two devices racing with one code cannot both get in. Returns the learner's id.
 */
export async function redeemResumeCode(
  db: Db,
  code: string,
  context: RedeemContext,
  now = Date.now(),
): Promise<string> {
  const all = await peek(db, 'all', RESUME_RULES.all, now);
  if (all.count >= RESUME_RULES.all.max) throw tooMany(all.resetAt, now);
  for (const [key, rule] of [
    [`ip:${context.ip ?? 'unknown'}`, RESUME_RULES.ip],
    ...(context.sessionId ? [[`session:${context.sessionId}`, RESUME_RULES.session] as const] : []),
  ] as const) {
    const counted = await consume(db, key, rule, now);
    if (counted.count > rule.max) throw tooMany(counted.resetAt, now);
  }
  const rows = await db.$queryRaw<{ learnerId: string; expiresAt: Date | string | number }[]>`
    DELETE FROM "ResumeCode" WHERE "codeHash" = ${hashResumeCode(code)}
    RETURNING "learnerId", "expiresAt"`;
  const row = rows[0];
  if (!row || new Date(row.expiresAt).getTime() <= now) {
    await consume(db, 'all', RESUME_RULES.all, now);
    throw new HttpError(
      422,
      'unknown-resume-code',
      'That code does not work. It may be mistyped, already used, or older than a day. Make a new code on your other device.',
    );
  }
  return row.learnerId;
}

/** POST /api/learner/resume-code: a new code for the learner of this session.  200 | 401 403 */
export function postResumeCodeHandler(request: Request, db: Db): Promise<Response> {
  return handle(async () => {
    assertSameOrigin(request);
    await limitLearnerCall(request);
    const session = await requireSession(db, request);
    const { code, expiresAt } = await createResumeCode(db, session.learnerId);
    return json({ code: formatResumeCode(code), expiresAt: expiresAt.toISOString() });
  });
}

/**
 * POST /api/session/resume {code}: this browser continues as the code's learner. Its previous
 * session ends (that learner's data stays, as it would if the cookie were cleared).
 * 200 | 400 403 413 422 429
 */
export function postResumeHandler(request: Request, db: Db): Promise<Response> {
  return handle(async () => {
    assertSameOrigin(request);
    const previous = await limitLearnerCall(request);
    const { code } = parseOrThrow(redeemSchema, await readJson(request, MAX_RESUME_BYTES));
    const learnerId = await redeemResumeCode(db, code, { ip: clientAddress(request.headers), sessionId: previous });
    const session = await createSessionFor(db, learnerId);
    if (previous) await db.session.deleteMany({ where: { id: previous } });
    const response = json({ ok: true });
    response.headers.append('Set-Cookie', await sessionCookie(session));
    return response;
  });
}
