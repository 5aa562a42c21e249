import 'server-only';

import type { Db } from '../db/client';

/**
 * The per-class audit log (issue 19): who did what to a class and its learners, newest first on
 * the class's "Audit log" page. Rows name learners by id only, never by name or answer, so the
 * log keeps no personal data after a learner is deleted. It outlives instructor accounts: the
 * actor's name is copied into the row.
 */

export const AUDIT_ACTIONS = {
  'class-created': 'Created the class',
  'class-renamed': 'Renamed the class',
  'class-archived': 'Archived the class',
  'class-unarchived': 'Reopened the class',
  'join-code-replaced': 'Replaced the join code',
  'staff-granted': 'Shared the class',
  'staff-revoked': 'Stopped sharing the class',
  'learner-removed': 'Removed a learner from the class',
  'learner-deleted': "Deleted a learner's data",
  'learner-deleted-self': 'A learner deleted their own data',
  'attempts-granted': 'Gave a learner extra attempts',
  'attempts-reset': "Reset a learner's attempts",
  'data-downloaded': 'Downloaded class data',
} as const;
export type AuditAction = keyof typeof AUDIT_ACTIONS;

export interface AuditActor {
  id: string | null;
  name: string;
}

/** Scalar details only: ids, counts, names of classes and files. */
export type AuditDetail = Record<string, string | number | boolean | null>;

type Writer = Pick<Db, 'auditEvent'>;

export async function recordAudit(
  db: Writer,
  cohortId: string,
  actor: AuditActor,
  action: AuditAction,
  detail: AuditDetail = {},
): Promise<void> {
  await db.auditEvent.create({
    data: {
      cohortId,
      actorId: actor.id,
      actorName: actor.name,
      action,
      detail: Object.keys(detail).length > 0 ? JSON.stringify(detail) : null,
    },
    select: { id: true },
  });
}

export interface AuditEntry {
  id: string;
  at: Date;
  actorName: string;
  action: string;
  /** The action in words (the raw action for one this version does not know). */
  label: string;
  detail: AuditDetail;
}

/** The class's log, newest first, at most `limit` rows (callers check access first). */
export async function auditLogOf(db: Db, cohortId: string, limit = 500): Promise<AuditEntry[]> {
  const rows = await db.auditEvent.findMany({
    where: { cohortId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
  });
  return rows.map((row) => {
    let detail: AuditDetail = {};
    try {
      detail = row.detail ? (JSON.parse(row.detail) as AuditDetail) : {};
    } catch {
      detail = {};
    }
    const label = Object.hasOwn(AUDIT_ACTIONS, row.action) ? AUDIT_ACTIONS[row.action as AuditAction] : row.action;
    return { id: row.id, at: row.createdAt, actorName: row.actorName, action: row.action, label, detail };
  });
}
