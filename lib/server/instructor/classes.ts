import 'server-only';

import { z } from 'zod';

import { nameSchema } from '../api/names';
import type { Db } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { parseOrThrow } from '../http';
import { createCohort, newJoinCode } from '../learner-service';
import { requireCohortRole, requireInstructor } from './access';

export interface ClassSummary {
  id: string;
  name: string;
  joinCode: string;
  createdAt: Date;
  learners: number;
}

/** The signed-in instructor's classes, newest first, with learner counts. */
export async function listMyClasses(db: Db, headers: Headers): Promise<ClassSummary[]> {
  const instructor = await requireInstructor(db, headers);
  const cohorts = await db.cohort.findMany({
    // Classes they created and classes shared with them (staff.ts).
    where: { OR: [{ ownerId: instructor.id }, { staff: { some: { instructorId: instructor.id } } }] },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    select: { id: true, name: true, joinCode: true, createdAt: true, _count: { select: { enrollments: true } } },
  });
  return cohorts.map(({ _count, ...cohort }) => ({ ...cohort, learners: _count.enrollments }));
}

/** NFC, no direction overrides or invisible characters (lib/server/api/names.ts). */
export const classNameSchema = nameSchema(80);

export const createClassSchema = z.object({ name: classNameSchema }).strict();

export async function createClass(db: Db, headers: Headers, input: unknown): Promise<{ id: string; joinCode: string }> {
  const instructor = await requireInstructor(db, headers);
  const { name } = parseOrThrow(createClassSchema, input);
  return createCohort(db, { name, ownerId: instructor.id });
}

/** A new join code for the class; the old one stops working at once. Learners already in the class stay. */
export async function rotateJoinCode(db: Db, headers: Headers, cohortId: unknown): Promise<{ joinCode: string }> {
  const { cohort } = await requireCohortRole(db, headers, cohortId, 'instructor');
  for (let tries = 0; tries < 5; tries++) {
    const joinCode = newJoinCode();
    try {
      await db.cohort.update({ where: { id: cohort.id }, data: { joinCode }, select: { id: true } });
      return { joinCode };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  throw new Error('could not find an unused join code in 5 tries');
}
