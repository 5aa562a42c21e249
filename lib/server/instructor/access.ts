import 'server-only';

import { z } from 'zod';

import { currentInstructor, type Instructor } from '../auth/accounts';
import type { Db } from '../db/client';
import { HttpError } from '../http';
import { findSession, sessionIdFrom } from '../session';
import { cohortRoleOf, roleAtLeast, roleTooWeak, type CohortRole, type StaffedCohortRow } from './staff';

/**
 * The permission checks every instructor page, action and export goes through (the shape of
 * epic-stack's requireUserWithPermission). They live here, in the data layer, and each data
 * function in lib/server/instructor calls one of them first, so a new route that calls a data
 * function cannot skip them.
 *
 *   no instructor session, no learner session  → 401 not-signed-in
 *   a learner session but no instructor session → 403 not-an-instructor
 *   an instructor asking for someone else's class (or a class that does not exist) → 403
 *   a TA asking to change something, a co-instructor asking to share or archive → 403 (staff.ts)
 */

export const idSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, 'is not a valid id');

/**
 * An id from the address or a form, or a 400 with the code `invalid-id`: pages turn that code
 * (and only that one) into their 404, since a malformed id names no page (issue 19).
 */
export function parseId(value: unknown, field: string): string {
  const result = idSchema.safeParse(value);
  if (result.success) return result.data;
  throw new HttpError(400, 'invalid-id', `${field}: is not a valid id.`, [`${field}: is not a valid id`]);
}

export async function requireInstructor(db: Db, headers: Headers): Promise<Instructor> {
  const instructor = await currentInstructor(db, headers);
  if (instructor) return { id: instructor.id, name: instructor.name, email: instructor.email };
  const learnerSession = await findSession(
    db,
    await sessionIdFrom(new Request('http://instructor.check/', { headers: { cookie: headers.get('cookie') ?? '' } })),
  );
  if (learnerSession) {
    throw new HttpError(403, 'not-an-instructor', 'This page is for instructors. Sign in with an instructor account.');
  }
  throw new HttpError(401, 'not-signed-in', 'Sign in as an instructor to see this page.');
}

export interface OwnedCohort {
  instructor: Instructor;
  cohort: StaffedCohortRow;
  /** This instructor's role in the class (lib/server/instructor/staff.ts). */
  role: CohortRole;
}

const notYours = () =>
  new HttpError(403, 'not-your-class', 'This class does not exist or belongs to another instructor.');

/**
 * The instructor and the class, when they hold at least `needed` in it (staff.ts). Missing and
 * foreign classes look the same; a weaker role gets a 403 that says what it lacks.
 */
export async function requireCohortRole(
  db: Db,
  headers: Headers,
  cohortId: unknown,
  needed: CohortRole,
): Promise<OwnedCohort> {
  const instructor = await requireInstructor(db, headers);
  const id = parseId(cohortId, 'cohortId');
  const found = await cohortRoleOf(db, instructor.id, id);
  if (!found) throw notYours();
  if (!roleAtLeast(found.role, needed)) throw roleTooWeak(found.role, needed);
  return { instructor, cohort: found.cohort, role: found.role };
}

/**
 * The instructor and the class, when they may see it: its owner, a co-instructor or a TA. For
 * reads (dashboards, downloads); changes call requireCohortRole with 'instructor' or 'owner'.
 */
export async function requireOwnedCohort(db: Db, headers: Headers, cohortId: unknown): Promise<OwnedCohort> {
  return requireCohortRole(db, headers, cohortId, 'ta');
}

/** As requireOwnedCohort (or with a stronger `needed` role), and the learner must be enrolled in that class. */
export async function requireLearnerInOwnedCohort(
  db: Db,
  headers: Headers,
  cohortId: unknown,
  learnerId: unknown,
  needed: CohortRole = 'ta',
): Promise<OwnedCohort & { learner: { id: string; displayName: string | null } }> {
  const owned = await requireCohortRole(db, headers, cohortId, needed);
  const id = parseId(learnerId, 'learnerId');
  const enrollment = await db.enrollment.findUnique({
    where: { cohortId_learnerId: { cohortId: owned.cohort.id, learnerId: id } },
    select: { learner: { select: { id: true, displayName: true } } },
  });
  if (!enrollment) throw new HttpError(403, 'not-your-learner', 'This learner is not in this class.');
  return { ...owned, learner: enrollment.learner };
}
