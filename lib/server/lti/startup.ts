import 'server-only';

import { getDb } from '../db/client';
import { ensureSigningKey } from './keys';
import { startLtiOutboxWorker } from './outbox';

/**
 * Server start (instrumentation.ts): the tool's first signing key is made if there is none, and
 * the grade passback worker starts, which delivers whatever a previous run left pending.
 */
export async function startLti(): Promise<void> {
  await ensureSigningKey(await getDb());
  startLtiOutboxWorker();
}
