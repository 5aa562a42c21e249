import 'server-only';

import { createHmac } from 'node:crypto';

import { stringifySetCookie } from 'cookie';

import { authFor } from '../auth/auth';
import type { Db } from '../db/client';

/**
 * Signs an LMS instructor in after a verified launch, the way better-auth's own sign-in does: a
 * session row made by its internal adapter, and its session cookie signed with its secret
 * (HMAC-SHA256, `token.signature`, as better-call's setSignedCookie writes it), so every
 * instructor page reads it through the unchanged `currentInstructor`. Any instructor session the
 * browser held before is left alone; it simply stops being the one the cookie names.
 */
export async function startInstructorSession(db: Db, instructorId: string, headers: Headers): Promise<string[]> {
  const context = await authFor(db).$context;
  const session = await context.internalAdapter.createSession(instructorId, false, {
    userAgent: headers.get('user-agent')?.slice(0, 500) ?? null,
  });
  if (!session) throw new Error('better-auth did not create a session');
  const { name, attributes } = context.authCookies.sessionToken;
  const signature = createHmac('sha256', context.secret).update(session.token).digest('base64');
  return [
    stringifySetCookie({
      name,
      value: `${session.token}.${signature}`,
      path: attributes.path ?? '/',
      httpOnly: attributes.httpOnly ?? true,
      secure: attributes.secure ?? false,
      sameSite: 'lax',
      maxAge: context.sessionConfig.expiresIn,
    }),
  ];
}
