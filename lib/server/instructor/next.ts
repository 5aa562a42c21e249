import 'server-only';

import { parseSetCookie } from 'cookie';
import { cookies, headers } from 'next/headers';
import { forbidden, notFound, redirect } from 'next/navigation';

import { getDb, type Db } from '../db/client';
import { HttpError } from '../http';

/**
 * The bridge between Next's request context and the data layer: pages and actions call
 * `withInstructor`, which passes the request headers to a data function and turns its refusals
 * into Next's responses (401 → the sign-in page, 403 → the 403 page, a malformed id → the 404 page). The permission decision
 * itself is made in the data function (lib/server/instructor/access.ts), never here.
 */
export async function withInstructor<T>(run: (db: Db, headers: Headers) => Promise<T>, returnTo?: string): Promise<T> {
  const db = await getDb();
  const requestHeaders = new Headers(await headers());
  try {
    return await run(db, requestHeaders);
  } catch (error) {
    if (error instanceof HttpError && error.status === 401) {
      redirect(returnTo ? `/instructor/login?next=${encodeURIComponent(returnTo)}` : '/instructor/login');
    }
    if (error instanceof HttpError && error.status === 403) forbidden();
    // A malformed id in the address (or a tampered form) names no page: 404, never a 500 (issue 19).
    if (error instanceof HttpError && error.code === 'invalid-id') notFound();
    throw error;
  }
}

/** Copies Set-Cookie header values from better-auth into the response Next is building. */
export async function applySetCookies(setCookies: readonly string[]): Promise<void> {
  const jar = await cookies();
  for (const header of setCookies) {
    const { name, value, ...options } = parseSetCookie(header);
    jar.set(name, value ?? '', {
      ...(options.maxAge !== undefined ? { maxAge: options.maxAge } : {}),
      ...(options.expires ? { expires: options.expires } : {}),
      ...(options.path ? { path: options.path } : {}),
      ...(options.domain ? { domain: options.domain } : {}),
      httpOnly: options.httpOnly ?? false,
      secure: options.secure ?? false,
      sameSite: typeof options.sameSite === 'string' ? options.sameSite : 'lax',
    });
  }
}

/** A safe place to go after sign-in: only paths under /instructor on this site. */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/instructor(\/[A-Za-z0-9/_.?=&%-]*)?$/.test(value) && !value.includes('//')
    ? value
    : '/instructor';
}
