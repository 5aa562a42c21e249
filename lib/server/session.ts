import 'server-only';

import { randomBytes, randomUUID } from 'node:crypto';

import { parseCookie, stringifySetCookie } from 'cookie';
import { sealData, unsealData } from 'iron-session';
import { z } from 'zod';

import { serverEnv } from '@/lib/env';

import { answerStatementsFor } from './db/answer-offload';
import type { Db } from './db/client';
import { HttpError, type RequestHead } from './http';
import { sessionSecret } from './secret';

/**
 * Anonymous learner sessions. The session row in the database is the truth (so several app
 * instances can share it, and nothing session-related lives in one process's memory); the
 * cookie carries its random id sealed by iron-session, so a forged or tampered cookie is
 * rejected before any database lookup and the secret can be rotated.
 */

export const SESSION_COOKIE = 'autodidact_session';
export const SESSION_TTL_SECONDS = 180 * 24 * 60 * 60;

const sealedSchema = z.object({ sid: z.string().min(16).max(100) }).strict();

export interface LearnerSession {
  id: string;
  learnerId: string;
}

/**
 * Cookies this process has already unsealed, with the seal's own expiry. Unsealing (HMAC check
 * and AES decryption through WebCrypto) cost about half a millisecond per request under load
 * (docs/decisions/009). This memoizes a pure function of the cookie text and the secret, so it is
 * not state that instances must share: another instance unseals the same cookie to the same id.
 * Only verified seals are cached, and seals this process made itself (sessionCookie), whose
 * content it knows; the session row is still read on every request, so a deleted or expired
 * session is refused at once. Bounded; the oldest entries go first.
 */
const unsealed = new Map<string, { sid: string; expiresAt: number; secret: string }>();
const UNSEALED_MAX = 10_000;

/** Iron seals end `*<expiration ms>*<hmac salt>*<hmac>`; the HMAC covers the expiration. */
function sealExpiry(sealed: string): number {
  const parts = sealed.split('*');
  const expiration = Number(parts[parts.length - 3]);
  return Number.isFinite(expiration) && expiration > 0 ? expiration : 0;
}

/** Caches a verified (or freshly sealed) cookie's session id until its seal expires. */
function remember(sealed: string, sid: string, secret: string): void {
  const expiresAt = sealExpiry(sealed);
  if (expiresAt <= Date.now()) return;
  if (unsealed.size >= UNSEALED_MAX) unsealed.delete(unsealed.keys().next().value!);
  unsealed.set(sealed, { sid, expiresAt, secret });
}

/** The session id from the request's cookie, or null when absent, tampered with or expired. */
export async function sessionIdFrom(request: RequestHead): Promise<string | null> {
  const header = request.headers.get('cookie');
  if (!header) return null;
  const sealed = parseCookie(header)[SESSION_COOKIE];
  if (!sealed || sealed.length > 4096) return null;
  const secret = sessionSecret();
  const known = unsealed.get(sealed);
  if (known && known.secret === secret && known.expiresAt > Date.now()) return known.sid;
  try {
    const data = await unsealData<unknown>(sealed, { password: secret, ttl: SESSION_TTL_SECONDS });
    const parsed = sealedSchema.safeParse(data);
    if (!parsed.success) return null;
    remember(sealed, parsed.data.sid, secret);
    return parsed.data.sid;
  } catch {
    return null;
  }
}

/** A new learner and their session, in one transaction (on the database worker, db/learner-statements.ts). */
export async function createSession(db: Db): Promise<LearnerSession> {
  const id = randomBytes(32).toString('base64url');
  const learnerId = randomUUID();
  const createdAt = new Date();
  const expiresAt = new Date(createdAt.getTime() + SESSION_TTL_SECONDS * 1000);
  await answerStatementsFor(db).run('insertLearnerSession', { sessionId: id, learnerId, createdAt, expiresAt });
  return { id, learnerId };
}

/** A new session for an existing learner: a resume code opened on another device (resume-codes.ts). */
export async function createSessionFor(db: Db, learnerId: string): Promise<LearnerSession> {
  const id = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_TTL_SECONDS * 1000);
  return db.session.create({ data: { id, expiresAt, learnerId }, select: { id: true, learnerId: true } });
}

/** `Set-Cookie` value for a session: HttpOnly, SameSite=Lax, Secure in production. */
export async function sessionCookie(session: LearnerSession): Promise<string> {
  const secret = sessionSecret();
  const sealed = await sealData({ sid: session.id }, { password: secret, ttl: SESSION_TTL_SECONDS });
  // This process sealed it, so its content is known without unsealing: the learner's next
  // request (usually their first answer) skips the unseal.
  remember(sealed, session.id, secret);
  return stringifySetCookie({
    name: SESSION_COOKIE,
    value: sealed,
    httpOnly: true,
    sameSite: 'lax',
    secure: serverEnv().NODE_ENV === 'production',
    path: '/',
    // A minute shorter than the seal, so the browser drops the cookie before the seal expires.
    maxAge: SESSION_TTL_SECONDS - 60,
  });
}

/** The learner's session, or a 401 that says how to get one. */
export async function requireSession(db: Db, request: RequestHead): Promise<LearnerSession> {
  const session = await findSession(db, await sessionIdFrom(request));
  if (!session) throw new HttpError(401, 'no-session', 'No valid session: open the lesson page to start one.');
  return session;
}

export async function findSession(db: Db, id: string | null): Promise<LearnerSession | null> {
  if (!id) return null;
  // One indexed read on every request, raw (the ORM's query compilation cost three times the read
  // itself, docs/decisions/009) and on the database worker (docs/decisions/018).
  const row = await answerStatementsFor(db).run('findSessionRow', id);
  if (!row || row.expiresAt.getTime() <= Date.now()) return null;
  return { id: row.id, learnerId: row.learnerId };
}

/** The existing session, or a new one plus the cookie that carries it. */
export async function ensureSession(
  db: Db,
  request: Request,
): Promise<{ session: LearnerSession; setCookie: string | null }> {
  const existing = await findSession(db, await sessionIdFrom(request));
  if (existing) return { session: existing, setCookie: null };
  const session = await createSession(db);
  return { session, setCookie: await sessionCookie(session) };
}
