import 'server-only';

import { createHmac, randomUUID } from 'node:crypto';

import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';

import { serverEnv } from '@/lib/env';

import { databaseProvider, type Db } from '../db/client';
import { sessionSecret } from '../secret';
import { hashPassword, verifyPassword } from './password';

/**
 * Instructor authentication through better-auth (docs/decisions/008). The library owns the
 * session cookie, the session rows and password verification; we call it from server code only
 * (`auth.api.*`). Its HTTP handler is deliberately not mounted: sign-up is closed, and sign-in
 * goes through lib/server/auth/accounts.ts, which adds the database-backed failed-login limit.
 */

export const INSTRUCTOR_SESSION_DAYS = 7;
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;
export const INSTRUCTOR_COOKIE_PREFIX = 'autodidact-instructor';

function createAuth(db: Db) {
  const env = serverEnv();
  return betterAuth({
    appName: 'Autodidact',
    // Derived rather than reused, so the learner cookie seal and the instructor cookie signature
    // never share a key.
    secret: createHmac('sha256', sessionSecret()).update('autodidact instructor auth v1').digest('base64url'),
    baseURL: env.AUTODIDACT_BASE_URL ?? `http://localhost:${env.PORT}`,
    database: prismaAdapter(db, { provider: databaseProvider() }),
    telemetry: { enabled: false },
    emailAndPassword: {
      enabled: true,
      // Accounts come from the one-time setup page or `npm run instructor:create` only.
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      password: { hash: hashPassword, verify: verifyPassword },
    },
    user: { modelName: 'instructor' },
    session: {
      modelName: 'instructorSession',
      expiresIn: INSTRUCTOR_SESSION_DAYS * 24 * 60 * 60,
      updateAge: 24 * 60 * 60,
      // No signed cookie cache: every request reads the session row, so sign-out takes effect at once.
      cookieCache: { enabled: false },
    },
    account: { modelName: 'instructorAccount' },
    verification: { modelName: 'authVerification' },
    // better-auth's limiter only guards its HTTP handler, which is not mounted; failed sign-ins are
    // limited in the database by lib/server/auth/throttle.ts instead.
    rateLimit: { enabled: false },
    advanced: {
      cookiePrefix: INSTRUCTOR_COOKIE_PREFIX,
      useSecureCookies: env.NODE_ENV === 'production',
      database: { generateId: () => randomUUID() },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

// One instance per database client: the app has one; integration tests swap clients per file.
const instances = new WeakMap<Db, Auth>();

export function authFor(db: Db): Auth {
  let auth = instances.get(db);
  if (!auth) {
    auth = createAuth(db);
    instances.set(db, auth);
  }
  return auth;
}
