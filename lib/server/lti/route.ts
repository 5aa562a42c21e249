import 'server-only';

import { getDb, type Db } from '../db/client';
import { databaseUnavailable } from '../db/unavailable';
import { log } from '../log';
import { refusalPage } from './html';

/** Runs an LTI route: an unexpected error becomes a plain page (never a stack trace), a busy database a 503. */
export async function ltiRoute(run: (db: Db) => Promise<Response>): Promise<Response> {
  try {
    return await run(await getDb());
  } catch (error) {
    if (databaseUnavailable(error)) {
      return refusalPage(
        503,
        'Busy, try again',
        'The server is busy right now. Wait a moment and open the activity again.',
        {
          headers: { 'Retry-After': '2' },
        },
      );
    }
    log.error({ err: error }, 'lti route failed: answered 500');
    return refusalPage(500, 'Something went wrong', 'Something went wrong on our side. Please try again.');
  }
}
