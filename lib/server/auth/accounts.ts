import 'server-only';

import { createHash, randomBytes, randomUUID } from 'node:crypto';

import { APIError } from 'better-auth/api';
import { z } from 'zod';

import { nameSchema } from '../api/names';
import type { Db } from '../db/client';
import { HttpError, parseOrThrow } from '../http';
import { authFor, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './auth';
import { hashPassword, verifyPassword, weakPasswordReason } from './password';
import { clientAddress } from '../api/client-address';
import { clearAttempts, consumeAttempt, emailKey, LOGIN_RULES, type ThrottleRule } from './throttle';

/**
 * Instructor accounts: creating them (setup page, CLI), signing in and out, and reading the
 * signed-in instructor from request headers. Every function takes the request's headers rather
 * than reading Next's request context, so integration tests drive the same code with plain
 * Headers objects.
 */

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be an email address'));
export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);
/** NFC, no direction overrides or invisible characters (lib/server/api/names.ts). */
export const instructorNameSchema = nameSchema(80);

export const newInstructorSchema = z
  .object({ name: instructorNameSchema, email: emailSchema, password: passwordSchema })
  .strict();
export type NewInstructor = z.infer<typeof newInstructorSchema>;

export const signInSchema = z
  .object({
    email: emailSchema,
    // Not the full password rule: a wrong-length password is just a wrong password.
    password: z.string().min(1, 'must not be empty').max(MAX_PASSWORD_LENGTH, 'is too long'),
  })
  .strict();

export const setupSchema = newInstructorSchema.extend({ token: z.string().trim().min(20).max(200) }).strict();

export interface Instructor {
  id: string;
  name: string;
  email: string;
}

/**
 * Creates an instructor with a password, in one transaction, as better-auth's own sign-up would:
 * an Instructor row and a "credential" account whose accountId is the instructor id.
 * `inTransaction` lets the setup flow add its token check to the same transaction.
 */
export async function createInstructor(
  db: Db,
  input: NewInstructor,
  inTransaction?: (tx: Parameters<Parameters<Db['$transaction']>[0]>[0]) => Promise<void>,
): Promise<Instructor> {
  const data = parseOrThrow(newInstructorSchema, input);
  await assertStrongPassword(data.password, [data.name, data.email]);
  // Hashing takes tens of milliseconds; keep it outside the transaction's lock.
  const passwordHash = await hashPassword(data.password);
  const id = randomUUID();
  try {
    return await db.$transaction(async (tx) => {
      if (inTransaction) await inTransaction(tx);
      const instructor = await tx.instructor.create({
        data: { id, name: data.name, email: data.email, emailVerified: false },
        select: { id: true, name: true, email: true },
      });
      await tx.instructorAccount.create({
        data: { id: randomUUID(), userId: id, accountId: id, providerId: 'credential', password: passwordHash },
        select: { id: true },
      });
      return instructor;
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'P2002') {
      throw new HttpError(409, 'email-taken', `An instructor with the email ${data.email} already exists.`);
    }
    throw error;
  }
}

/** Refuses a common or easily guessed password (zxcvbn-ts, password.ts) with a 400 that says why. */
export async function assertStrongPassword(password: string, related: readonly string[]): Promise<void> {
  const reason = await weakPasswordReason(password, related);
  if (reason) throw new HttpError(400, 'weak-password', `Password ${reason}.`, [`password: ${reason}`]);
}

// --- one-time setup token for the first instructor ---

export const SETUP_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export async function instructorCount(db: Db): Promise<number> {
  return db.instructor.count();
}

/**
 * A new setup token when no instructor exists yet (null otherwise). The database keeps only its
 * hash, so any instance can check it and a database dump does not reveal it. Called at server
 * start; each start issues a fresh token, and older ones stay valid until they expire or one is used.
 */
export async function issueSetupTokenIfNeeded(
  db: Db,
  now = new Date(),
): Promise<{ token: string; expiresAt: Date } | null> {
  if ((await instructorCount(db)) > 0) {
    await db.setupToken.deleteMany({});
    return null;
  }
  await db.setupToken.deleteMany({ where: { expiresAt: { lte: now } } });
  const token = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + SETUP_TOKEN_TTL_MS);
  await db.setupToken.create({ data: { tokenHash: sha256(token), expiresAt }, select: { id: true } });
  return { token, expiresAt };
}

/**
 * Creates the first instructor with a setup token. The token is spent and the account created in
 * one transaction: a wrong, used or expired token, or an instructor that already exists, leaves
 * nothing behind.
 */
export async function completeSetup(db: Db, input: unknown, now = new Date()): Promise<Instructor> {
  const { token, ...account } = parseOrThrow(setupSchema, input);
  return createInstructor(db, account, async (tx) => {
    const spent = await tx.setupToken.updateMany({
      where: { tokenHash: sha256(token), usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (spent.count !== 1) {
      throw new HttpError(
        403,
        'invalid-setup-token',
        'This setup token is wrong, expired or already used. Restart the server to print a new one.',
      );
    }
    if ((await tx.instructor.count()) > 0) {
      throw new HttpError(409, 'setup-done', 'An instructor account already exists: sign in instead.');
    }
    // One first instructor: every other outstanding token dies with this one.
    await tx.setupToken.deleteMany({ where: { usedAt: null } });
  });
}

// --- sessions ---

/** The signed-in instructor for these request headers, or null. Reads the session row every time. */
export async function currentInstructor(
  db: Db,
  headers: Headers,
): Promise<(Instructor & { sessionId: string }) | null> {
  if (!headers.get('cookie')) return null;
  const session = await authFor(db).api.getSession({ headers, query: { disableCookieCache: true } });
  if (!session) return null;
  return { id: session.user.id, name: session.user.name, email: session.user.email, sessionId: session.session.id };
}

export interface SignInResult {
  instructor: Instructor;
  /** Set-Cookie header values to send back. */
  setCookies: string[];
}

/**
 * Checks email and password. Failed attempts are limited per account and per client address (in
 * the database, see throttle.ts); a correct password after the limit is still refused until the
 * window ends. A new session is created at every sign-in and any session the browser held
 * before is deleted, so a session id can never be planted before login and used after it.
 */
export async function signIn(db: Db, headers: Headers, input: unknown): Promise<SignInResult> {
  const { email, password } = parseOrThrow(signInSchema, input);
  // The client is the TCP peer unless a configured proxy vouches otherwise (issue 19): a
  // client-set X-Forwarded-For no longer picks its own throttle key.
  const ip = clientAddress(headers);
  // Failures on emails that belong to no instructor count against an address bucket of their
  // own, which only slows down guessing at unknown emails: they can never lock a real account
  // out, not even one behind the same address.
  const known = (await db.instructor.count({ where: { email } })) > 0;
  const keys: { key: string; rule: ThrottleRule }[] = [{ key: emailKey(email), rule: LOGIN_RULES.email }];
  if (ip) keys.push({ key: `${known ? 'ip' : 'unknown-email-ip'}:${ip}`, rule: LOGIN_RULES.ip });
  for (const { key, rule } of keys) {
    const result = await consumeAttempt(db, key, rule);
    if (!result.allowed) {
      const minutes = Math.ceil(result.retryAfterSeconds / 60);
      throw new HttpError(
        429,
        'too-many-attempts',
        `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      );
    }
  }
  const previous = await currentInstructor(db, headers);
  let response: Awaited<ReturnType<typeof signInWithLibrary>>;
  try {
    response = await signInWithLibrary(db, headers, email, password);
  } catch (error) {
    if (error instanceof APIError) {
      throw new HttpError(401, 'invalid-credentials', 'That email and password do not match an instructor account.');
    }
    throw error;
  }
  await clearAttempts(db, emailKey(email));
  if (previous) await db.instructorSession.deleteMany({ where: { id: previous.sessionId } });
  const { user } = response.response;
  return {
    instructor: { id: user.id, name: user.name, email: user.email },
    setCookies: response.headers.getSetCookie(),
  };
}

function signInWithLibrary(db: Db, headers: Headers, email: string, password: string) {
  return authFor(db).api.signInEmail({ body: { email, password, rememberMe: true }, headers, returnHeaders: true });
}

/** Deletes the session row (so the cookie is dead everywhere) and returns the cookie-clearing headers. */
export async function signOut(db: Db, headers: Headers): Promise<string[]> {
  const instructor = await currentInstructor(db, headers);
  if (!instructor) return [];
  const result = await authFor(db).api.signOut({ headers, returnHeaders: true });
  // Belt and braces: the row must be gone even if the library's cookie parsing ever changes.
  await db.instructorSession.deleteMany({ where: { id: instructor.sessionId } });
  return result.headers.getSetCookie();
}

// --- passwords (issue 19) ---

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, 'must not be empty').max(MAX_PASSWORD_LENGTH, 'is too long'),
    newPassword: passwordSchema,
  })
  .strict();

async function setPasswordHash(tx: Pick<Db, 'instructorAccount'>, instructorId: string, password: string) {
  const passwordHash = await hashPassword(password);
  const { count } = await tx.instructorAccount.updateMany({
    where: { userId: instructorId, providerId: 'credential' },
    data: { password: passwordHash },
  });
  if (count === 0) throw new HttpError(409, 'no-password', 'This account signs in without a password here.');
}

/**
 * Changes the signed-in instructor's password after checking the current one, and signs out every
 * other browser of theirs (their sessions are deleted); this browser stays signed in. Wrong
 * current passwords count against the account's failed-login limit, so a borrowed session cannot
 * be used to guess it.
 */
export async function changePassword(
  db: Db,
  headers: Headers,
  input: unknown,
): Promise<{ otherSessionsEnded: number }> {
  const instructor = await currentInstructor(db, headers);
  if (!instructor) throw new HttpError(401, 'not-signed-in', 'Sign in as an instructor to change your password.');
  const { currentPassword, newPassword } = parseOrThrow(changePasswordSchema, input);
  const throttle = await consumeAttempt(db, emailKey(instructor.email), LOGIN_RULES.email);
  if (!throttle.allowed) {
    const minutes = Math.ceil(throttle.retryAfterSeconds / 60);
    throw new HttpError(
      429,
      'too-many-attempts',
      `Too many wrong passwords. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    );
  }
  const account = await db.instructorAccount.findFirst({
    where: { userId: instructor.id, providerId: 'credential' },
    select: { password: true },
  });
  if (!account?.password || !(await verifyPassword({ hash: account.password, password: currentPassword }))) {
    throw new HttpError(400, 'wrong-password', 'Your current password is not right.', [
      'currentPassword: is not right',
    ]);
  }
  await clearAttempts(db, emailKey(instructor.email));
  if (newPassword === currentPassword) {
    throw new HttpError(400, 'same-password', 'Choose a new password that differs from the current one.', [
      'newPassword: is the same as the current password',
    ]);
  }
  await assertStrongPassword(newPassword, [instructor.name, instructor.email]);
  return db.$transaction(async (tx) => {
    await setPasswordHash(tx, instructor.id, newPassword);
    const ended = await tx.instructorSession.deleteMany({
      where: { userId: instructor.id, id: { not: instructor.sessionId } },
    });
    return { otherSessionsEnded: ended.count };
  });
}

/**
 * Sets a new password for the instructor with this email (the `npm run instructor:password`
 * command, for a forgotten password): every session of theirs ends and the failed-login counter
 * for the account is cleared.
 */
export async function resetPassword(
  db: Db,
  email: unknown,
  password: unknown,
): Promise<{ name: string; sessionsEnded: number }> {
  const address = parseOrThrow(emailSchema, email, ['email']);
  const newPassword = parseOrThrow(passwordSchema, password, ['password']);
  const instructor = await db.instructor.findUnique({ where: { email: address }, select: { id: true, name: true } });
  if (!instructor) throw new HttpError(404, 'unknown-instructor', `No instructor account uses ${address}.`);
  await assertStrongPassword(newPassword, [instructor.name, address]);
  const sessionsEnded = await db.$transaction(async (tx) => {
    await setPasswordHash(tx, instructor.id, newPassword);
    return (await tx.instructorSession.deleteMany({ where: { userId: instructor.id } })).count;
  });
  await clearAttempts(db, emailKey(address));
  return { name: instructor.name, sessionsEnded };
}
