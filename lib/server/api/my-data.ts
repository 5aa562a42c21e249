import 'server-only';

import { z } from 'zod';

import type { Db } from '../db/client';
import { assertSameOrigin, handle, HttpError, json, parseOrThrow, readJson } from '../http';
import { deleteOwnLearnerData, exportLearnerData } from '../privacy/learner-data';
import { consume } from '../rate-limit';
import { requireSession, SESSION_COOKIE, sessionIdFrom } from '../session';
import { clientAddress } from './client-address';

/**
 * A learner's own data (issue 19; docs/privacy.md), from the lesson page's "Your data" control:
 *
 *   GET  /api/me/data     everything stored about the session's learner, as a JSON download
 *   POST /api/me/delete   {"confirm":"DELETE"}: deletes it all and ends the session (the next
 *                         page load starts a fresh, empty one)        200 | 400 401 403 415 429
 */

/** An expired cookie: the browser drops the session it held. */
const CLEAR_SESSION = `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`;

async function limit(request: Request): Promise<void> {
  await consume('learner-api:client', clientAddress(request.headers));
  await consume('my-data:session', await sessionIdFrom(request));
}

export function getMyDataHandler(request: Request, db: Db, now = new Date()): Promise<Response> {
  return handle(async () => {
    await limit(request);
    const session = await requireSession(db, request);
    const data = await exportLearnerData(db, session.learnerId, now);
    if (!data) throw new HttpError(401, 'no-session', 'No valid session: open the lesson page to start one.');
    return json(data, {
      headers: {
        'Content-Disposition': `attachment; filename="autodidact-my-data-${now.toISOString().slice(0, 10)}.json"`,
      },
    });
  });
}

export const deleteMyDataSchema = z
  .object({ confirm: z.literal('DELETE', { message: 'must be "DELETE" to confirm' }) })
  .strict();

export function postDeleteMyDataHandler(request: Request, db: Db): Promise<Response> {
  return handle(async () => {
    assertSameOrigin(request);
    await limit(request);
    parseOrThrow(deleteMyDataSchema, await readJson(request, 1024));
    const session = await requireSession(db, request);
    await deleteOwnLearnerData(db, session.learnerId);
    const response = json({ deleted: true });
    response.headers.append('Set-Cookie', CLEAR_SESSION);
    return response;
  });
}
