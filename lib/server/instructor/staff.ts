import 'server-only';

import { z } from 'zod';

import type { Db } from '../db/client';
import { HttpError } from '../http';

/**
 * Who may do what with a class (issue 19, docs/decisions/019). A class has one owner (its
 * creator, Cohort.ownerId) and any number of staff rows in CohortStaff:
 *
 *   owner       everything, including sharing the class and archiving it
 *   instructor  everything else: rename, replace the join code, remove learners, delete a
 *               learner's data, extra attempts, downloads
 *   ta          read-only: the dashboards and downloads, no changes
 *
 * Every instructor data call goes through `requireCohortRole` (lib/server/instructor/access.ts),
 * which asks `cohortRoleOf` here, so this module is the one place that decides. The LTI launch
 * (lib/server/lti) makes an LMS instructor staff of their course's class with `grantCohortRole`.
 */

export const COHORT_ROLES = ['owner', 'instructor', 'ta'] as const;
export type CohortRole = (typeof COHORT_ROLES)[number];
export const cohortRoleSchema = z.enum(COHORT_ROLES);

const RANK: Record<CohortRole, number> = { ta: 1, instructor: 2, owner: 3 };

/** Whether `role` includes everything `needed` may do. */
export function roleAtLeast(role: CohortRole, needed: CohortRole): boolean {
  return RANK[role] >= RANK[needed];
}

/** Words for people, for the sharing page and refusals. */
export const ROLE_LABELS: Record<CohortRole, string> = {
  owner: 'Owner',
  instructor: 'Co-instructor',
  ta: 'Teaching assistant (read-only)',
};

/** The stronger of two roles (a class's creator is owner even if a staff row says less). */
function stronger(a: CohortRole | null, b: CohortRole | null): CohortRole | null {
  if (!a) return b;
  if (!b) return a;
  return RANK[a] >= RANK[b] ? a : b;
}

function parseRole(role: string): CohortRole | null {
  const parsed = cohortRoleSchema.safeParse(role);
  return parsed.success ? parsed.data : null;
}

export interface StaffedCohortRow {
  id: string;
  name: string;
  joinCode: string;
  createdAt: Date;
  archivedAt: Date | null;
}

/**
 * The class and this instructor's role in it, or null when the class does not exist or the
 * instructor has no role there (the two look the same to callers, so ids cannot be probed).
 */
export async function cohortRoleOf(
  db: Db,
  instructorId: string,
  cohortId: string,
): Promise<{ cohort: StaffedCohortRow; role: CohortRole } | null> {
  const row = await db.cohort.findUnique({
    where: { id: cohortId },
    select: {
      id: true,
      name: true,
      joinCode: true,
      createdAt: true,
      archivedAt: true,
      ownerId: true,
      staff: { where: { instructorId }, select: { role: true } },
    },
  });
  if (!row) return null;
  const role = stronger(row.ownerId === instructorId ? 'owner' : null, parseRole(row.staff[0]?.role ?? ''));
  if (!role) return null;
  const { ownerId: _ownerId, staff: _staff, ...cohort } = row;
  return { cohort, role };
}

/**
 * Gives an instructor a role in a class (replacing any role they had there). Idempotent. The
 * class's creator stays owner whatever this says; making someone else "owner" gives them the
 * owner's rights too (several owners are allowed, like Moodle's managers).
 */
export async function grantCohortRole(db: Db, cohortId: string, instructorId: string, role: CohortRole): Promise<void> {
  const parsed = cohortRoleSchema.parse(role);
  await db.cohortStaff.upsert({
    where: { cohortId_instructorId: { cohortId, instructorId } },
    create: { cohortId, instructorId, role: parsed },
    update: { role: parsed },
    select: { cohortId: true },
  });
}

/** Takes an instructor's staff role away (the class's creator keeps ownership regardless). */
export async function revokeCohortRole(db: Db, cohortId: string, instructorId: string): Promise<boolean> {
  const removed = await db.cohortStaff.deleteMany({ where: { cohortId, instructorId } });
  return removed.count > 0;
}

/** The staff of a class, owner first, for the sharing page. */
export async function listCohortStaff(
  db: Db,
  cohortId: string,
): Promise<{ instructorId: string; name: string; email: string; role: CohortRole; creator: boolean }[]> {
  const cohort = await db.cohort.findUnique({
    where: { id: cohortId },
    select: {
      owner: { select: { id: true, name: true, email: true } },
      staff: {
        select: { role: true, instructor: { select: { id: true, name: true, email: true } } },
        orderBy: { addedAt: 'asc' },
      },
    },
  });
  if (!cohort) return [];
  const people = new Map<
    string,
    { instructorId: string; name: string; email: string; role: CohortRole; creator: boolean }
  >();
  if (cohort.owner) {
    const { id, name, email } = cohort.owner;
    people.set(id, { instructorId: id, name, email, role: 'owner', creator: true });
  }
  for (const { role, instructor } of cohort.staff) {
    const parsed = parseRole(role);
    if (!parsed || people.has(instructor.id)) continue;
    people.set(instructor.id, {
      instructorId: instructor.id,
      name: instructor.name,
      email: instructor.email,
      role: parsed,
      creator: false,
    });
  }
  return [...people.values()].sort((a, b) => RANK[b.role] - RANK[a.role] || a.name.localeCompare(b.name));
}

/** The refusal for a role that is too weak for what was asked. */
export function roleTooWeak(role: CohortRole, needed: CohortRole): HttpError {
  if (role === 'ta') {
    return new HttpError(403, 'read-only', 'Teaching assistants can see this class but not change it.');
  }
  return new HttpError(
    403,
    'owner-only',
    needed === 'owner' ? 'Only the class owner can do this.' : 'You cannot do this in this class.',
  );
}
