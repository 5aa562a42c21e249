import 'server-only';

import type { Db } from '../db/client';
import { log } from '../log';

/**
 * Refused launches and registrations are logged (stderr) and kept in LtiAuditLog: the one table a
 * refused launch may write to (issue 18). A failure to write the log never changes the answer.
 */
export async function audit(db: Db, event: string, issuer: string | null, detail: string): Promise<void> {
  log.warn({ lti: event, issuer, detail }, `lti ${event}`);
  try {
    await db.ltiAuditLog.create({
      data: { event, issuer: issuer?.slice(0, 2048) ?? null, detail: detail.slice(0, 2000) },
      select: { id: true },
    });
  } catch (error) {
    log.error({ err: error }, 'lti audit log write failed');
  }
}
