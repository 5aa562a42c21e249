import 'server-only';

import { z } from 'zod';

import { nameSchema } from '../api/names';
import type { Db } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { parseOrThrow } from '../http';
import { createCohort, newJoinCode } from '../learner-service';
import { requireCohortRole, requireInstructor } from './access';
import { recordAudit } from './audit';
import { cohortRoleSchema, type CohortRole } from './staff';

export interface ClassSummary {
  id: string;
  name: string;
  joinCode: string;
  createdAt: Date;
  archivedAt: Date | null;
  learners: number;
  /** The signed-in instructor's role in it (staff.ts). */
  role: CohortRole;
}

/**
 * The signed-in instructor's classes (their own and those shared with them), newest first, with
 * learner counts; archived classes only when asked for (`{ archived: true }` lists those alone).
 */
export async function listMyClasses(
  db: Db,
  headers: Headers,
  options: { archived?: boolean } = {},
): Promise<ClassSummary[]> {
  const instructor = await requireInstructor(db, headers);
  const cohorts = await db.cohort.findMany({
    where: {
      OR: [{ ownerId: instructor.id }, { staff: { some: { instructorId: instructor.id } } }],
      archivedAt: options.archived ? { not: null } : null,
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    select: {
      id: true,
      name: true,
      joinCode: true,
      createdAt: true,
      archivedAt: true,
      ownerId: true,
      staff: { where: { instructorId: instructor.id }, select: { role: true } },
      _count: { select: { enrollments: true } },
    },
  });
  return cohorts.map(({ _count, ownerId, staff, ...cohort }) => {
    const granted = cohortRoleSchema.safeParse(staff[0]?.role);
    const role: CohortRole = ownerId === instructor.id ? 'owner' : granted.success ? granted.data : 'ta';
    return { ...cohort, learners: _count.enrollments, role };
  });
}

/** NFC, no direction overrides or invisible characters (lib/server/api/names.ts). */
export const classNameSchema = nameSchema(80);

export const createClassSchema = z.object({ name: classNameSchema }).strict();

export async function createClass(db: Db, headers: Headers, input: unknown): Promise<{ id: string; joinCode: string }> {
  const instructor = await requireInstructor(db, headers);
  const { name } = parseOrThrow(createClassSchema, input);
  const created = await createCohort(db, { name, ownerId: instructor.id });
  await recordAudit(db, created.id, { id: instructor.id, name: instructor.name }, 'class-created', { name });
  return created;
}

/** A new join code for the class; the old one stops working at once. Learners already in the class stay. */
export async function rotateJoinCode(db: Db, headers: Headers, cohortId: unknown): Promise<{ joinCode: string }> {
  const { cohort, instructor } = await requireCohortRole(db, headers, cohortId, 'instructor');
  for (let tries = 0; tries < 5; tries++) {
    const joinCode = newJoinCode();
    try {
      await db.cohort.update({ where: { id: cohort.id }, data: { joinCode }, select: { id: true } });
      await recordAudit(db, cohort.id, { id: instructor.id, name: instructor.name }, 'join-code-replaced');
      return { joinCode };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  throw new Error('could not find an unused join code in 5 tries');
}
