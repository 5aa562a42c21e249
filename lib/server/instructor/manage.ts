import 'server-only';

import { z } from 'zod';

import { changePassword, emailSchema } from '../auth/accounts';
import type { Db } from '../db/client';
import { HttpError, parseOrThrow } from '../http';
import { findQuestion } from '../quiz-content';
import { parseId, requireCohortRole, requireInstructor, requireLearnerInOwnedCohort, type OwnedCohort } from './access';
import { auditLogOf, recordAudit, type AuditEntry } from './audit';
import { classNameSchema } from './classes';
import { cohortRoleSchema, grantCohortRole, listCohortStaff, revokeCohortRole, type CohortRole } from './staff';

/**
 * The instructor's everyday tasks on a class (issue 19), each behind the role check it needs
 * (staff.ts) and each written to the class's audit log (audit.ts):
 *
 *   rename, archive / reopen                         instructor / owner
 *   learners who joined but never started            any staff (read)
 *   remove a learner from the class                  instructor
 *   delete a learner's data everywhere               instructor, and only when every class the
 *                                                    learner is in is one where they may do so
 *   extra attempts on a question, reset attempts     instructor
 *   share with a co-instructor or TA, stop sharing   owner
 *   audit log                                        any staff (read)
 */

const actorOf = (owned: OwnedCohort) => ({ id: owned.instructor.id, name: owned.instructor.name });

export const renameSchema = z.object({ name: classNameSchema }).strict();

export async function renameClass(db: Db, headers: Headers, cohortId: unknown, input: unknown): Promise<void> {
  const owned = await requireCohortRole(db, headers, cohortId, 'instructor');
  const { name } = parseOrThrow(renameSchema, input);
  if (name === owned.cohort.name) return;
  await db.$transaction(async (tx) => {
    await tx.cohort.update({ where: { id: owned.cohort.id }, data: { name }, select: { id: true } });
    await recordAudit(tx, owned.cohort.id, actorOf(owned), 'class-renamed', { from: owned.cohort.name, to: name });
  });
}

/** Archived classes leave the class list (a "show archived" link brings them back) and take no new learners. */
export async function setClassArchived(db: Db, headers: Headers, cohortId: unknown, archived: unknown): Promise<void> {
  const owned = await requireCohortRole(db, headers, cohortId, 'owner');
  const flag = parseOrThrow(z.boolean(), archived, ['archived']);
  if (flag === (owned.cohort.archivedAt !== null)) return;
  await db.$transaction(async (tx) => {
    await tx.cohort.update({
      where: { id: owned.cohort.id },
      data: { archivedAt: flag ? new Date() : null },
      select: { id: true },
    });
    await recordAudit(tx, owned.cohort.id, actorOf(owned), flag ? 'class-archived' : 'class-unarchived');
  });
}

export interface NotStartedLearner {
  learnerId: string;
  name: string;
  joinedAt: Date;
}

/**
 * Learners who joined the class but have done nothing yet in any lesson: no section read, no
 * widget used, no answer, graded or practice.
 */
export async function learnersNotStarted(db: Db, headers: Headers, cohortId: unknown): Promise<NotStartedLearner[]> {
  const { cohort } = await requireCohortRole(db, headers, cohortId, 'ta');
  const rows = await db.enrollment.findMany({
    where: {
      cohortId: cohort.id,
      learner: { events: { none: {} }, responses: { none: {} }, practiceResponses: { none: {} } },
    },
    orderBy: [{ joinedAt: 'asc' }, { learnerId: 'asc' }],
    take: 1000,
    select: { joinedAt: true, learner: { select: { id: true, displayName: true } } },
  });
  return rows.map(({ joinedAt, learner }) => ({
    learnerId: learner.id,
    name: learner.displayName ?? `Learner ${learner.id.slice(0, 8)}`,
    joinedAt,
  }));
}

/** Takes the learner out of this class; their data stays (they may be in other classes). */
export async function removeLearner(db: Db, headers: Headers, cohortId: unknown, learnerId: unknown): Promise<void> {
  const owned = await requireLearnerInOwnedCohort(db, headers, cohortId, learnerId, 'instructor');
  await db.$transaction(async (tx) => {
    await tx.enrollment.deleteMany({ where: { cohortId: owned.cohort.id, learnerId: owned.learner.id } });
    await recordAudit(tx, owned.cohort.id, actorOf(owned), 'learner-removed', { learnerId: owned.learner.id });
  });
}

/**
 * Deletes the learner and everything they left (the Learner row; every learner table cascades:
 * sessions, answers, practice, events, progress, reports, resume codes, grants, memberships, LMS
 * links and pending grade deliveries). Refused when the learner is also in a class this instructor
 * may not change: that class's instructors decide for their class (remove them from yours instead).
 */
export async function deleteLearnerData(
  db: Db,
  headers: Headers,
  cohortId: unknown,
  learnerId: unknown,
  confirm: unknown,
): Promise<{ classes: number }> {
  const owned = await requireLearnerInOwnedCohort(db, headers, cohortId, learnerId, 'instructor');
  parseOrThrow(z.literal('DELETE', { message: 'type DELETE to confirm' }), confirm, ['confirm']);
  const memberships = await db.enrollment.findMany({
    where: { learnerId: owned.learner.id },
    select: {
      cohortId: true,
      cohort: {
        select: { ownerId: true, staff: { where: { instructorId: owned.instructor.id }, select: { role: true } } },
      },
    },
  });
  const foreign = memberships.filter(
    ({ cohort }) =>
      cohort.ownerId !== owned.instructor.id &&
      !cohort.staff.some(({ role }) => role === 'owner' || role === 'instructor'),
  );
  if (foreign.length > 0) {
    throw new HttpError(
      409,
      'learner-in-other-classes',
      `This learner is also in ${foreign.length} class${foreign.length === 1 ? '' : 'es'} you do not run. Remove them from your class instead, or ask that class's instructor.`,
    );
  }
  await db.$transaction(async (tx) => {
    // Logged in each of the learner's classes before the row goes (the log keeps only the id).
    for (const { cohortId: id } of memberships) {
      await recordAudit(tx, id, actorOf(owned), 'learner-deleted', { learnerId: owned.learner.id });
    }
    await tx.learner.delete({ where: { id: owned.learner.id }, select: { id: true } });
  });
  return { classes: memberships.length };
}

const grantSchema = z
  .object({
    questionId: z.string().min(1).max(100),
    extraAttempts: z.coerce.number().int().min(1, 'must be at least 1').max(20, 'must be at most 20'),
  })
  .strict();

/** Adds extra attempts on one question for one learner (added to any earlier grant, at most 20 in all). */
export async function grantExtraAttempts(
  db: Db,
  headers: Headers,
  cohortId: unknown,
  learnerId: unknown,
  input: unknown,
): Promise<{ extraAttempts: number }> {
  const owned = await requireLearnerInOwnedCohort(db, headers, cohortId, learnerId, 'instructor');
  const { questionId, extraAttempts } = parseOrThrow(grantSchema, input);
  if (!findQuestion(questionId)) throw new HttpError(422, 'unknown-question', `Unknown question "${questionId}".`);
  return db.$transaction(async (tx) => {
    const existing = await tx.attemptGrant.findUnique({
      where: { learnerId_questionId: { learnerId: owned.learner.id, questionId } },
      select: { extraAttempts: true },
    });
    const total = Math.min(20, (existing?.extraAttempts ?? 0) + extraAttempts);
    await tx.attemptGrant.upsert({
      where: { learnerId_questionId: { learnerId: owned.learner.id, questionId } },
      create: { learnerId: owned.learner.id, questionId, extraAttempts: total },
      update: { extraAttempts: total },
      select: { learnerId: true },
    });
    await recordAudit(tx, owned.cohort.id, actorOf(owned), 'attempts-granted', {
      learnerId: owned.learner.id,
      questionId,
      added: extraAttempts,
      extraAttempts: total,
    });
    return { extraAttempts: total };
  });
}

const resetSchema = z.object({ questionId: z.string().min(1).max(100) }).strict();

/**
 * Resets one learner's graded attempts at one question: their answers to it are deleted, so they
 * start it afresh with every attempt (and any grant) available. The audit log keeps the count.
 */
export async function resetAttempts(
  db: Db,
  headers: Headers,
  cohortId: unknown,
  learnerId: unknown,
  input: unknown,
): Promise<{ deleted: number }> {
  const owned = await requireLearnerInOwnedCohort(db, headers, cohortId, learnerId, 'instructor');
  const { questionId } = parseOrThrow(resetSchema, input);
  if (!findQuestion(questionId)) throw new HttpError(422, 'unknown-question', `Unknown question "${questionId}".`);
  return db.$transaction(async (tx) => {
    const { count } = await tx.response.deleteMany({ where: { learnerId: owned.learner.id, questionId } });
    await recordAudit(tx, owned.cohort.id, actorOf(owned), 'attempts-reset', {
      learnerId: owned.learner.id,
      questionId,
      deleted: count,
    });
    return { deleted: count };
  });
}

/** Each question of the course with this learner's attempts and grant, for the learner page's controls. */
export async function learnerAttempts(
  db: Db,
  headers: Headers,
  cohortId: unknown,
  learnerId: unknown,
): Promise<{ questionId: string; prompt: string; used: number; maxAttempts: number; extraAttempts: number }[]> {
  const owned = await requireLearnerInOwnedCohort(db, headers, cohortId, learnerId, 'ta');
  const [counts, grants, questions] = await Promise.all([
    db.response.groupBy({ by: ['questionId'], where: { learnerId: owned.learner.id }, _count: { _all: true } }),
    db.attemptGrant.findMany({
      where: { learnerId: owned.learner.id },
      select: { questionId: true, extraAttempts: true },
    }),
    db.question.findMany({
      orderBy: [{ lessonSlug: 'asc' }, { position: 'asc' }],
      select: { id: true, prompt: true, maxAttempts: true },
    }),
  ]);
  const used = new Map(counts.map((row) => [row.questionId, row._count._all]));
  const extra = new Map(grants.map((row) => [row.questionId, row.extraAttempts]));
  return questions.map((question) => ({
    questionId: question.id,
    prompt: question.prompt,
    used: used.get(question.id) ?? 0,
    maxAttempts: question.maxAttempts,
    extraAttempts: extra.get(question.id) ?? 0,
  }));
}

// --- sharing ---

const shareSchema = z.object({ email: emailSchema, role: cohortRoleSchema.exclude(['owner']) }).strict();

export async function shareClass(
  db: Db,
  headers: Headers,
  cohortId: unknown,
  input: unknown,
): Promise<{ name: string; role: CohortRole }> {
  const owned = await requireCohortRole(db, headers, cohortId, 'owner');
  const { email, role } = parseOrThrow(shareSchema, input);
  const instructor = await db.instructor.findUnique({ where: { email }, select: { id: true, name: true } });
  // Only existing accounts: an administrator creates accounts (npm run instructor:create).
  if (!instructor) {
    throw new HttpError(
      422,
      'unknown-instructor',
      `No instructor account uses ${email}. Ask your administrator to create one (npm run instructor:create), then share again.`,
    );
  }
  if (instructor.id === owned.instructor.id) {
    throw new HttpError(422, 'share-with-self', 'You already own this class.');
  }
  await grantCohortRole(db, owned.cohort.id, instructor.id, role);
  await recordAudit(db, owned.cohort.id, actorOf(owned), 'staff-granted', { instructor: instructor.name, role });
  return { name: instructor.name, role };
}

export async function unshareClass(db: Db, headers: Headers, cohortId: unknown, instructorId: unknown): Promise<void> {
  const owned = await requireCohortRole(db, headers, cohortId, 'owner');
  const id = parseId(instructorId, 'instructorId');
  const staff = await listCohortStaff(db, owned.cohort.id);
  const person = staff.find((entry) => entry.instructorId === id);
  if (!person || person.creator) {
    throw new HttpError(422, 'not-shared', 'This person has no shared role in this class to remove.');
  }
  await revokeCohortRole(db, owned.cohort.id, id);
  await recordAudit(db, owned.cohort.id, actorOf(owned), 'staff-revoked', {
    instructor: person.name,
    role: person.role,
  });
}

export async function classStaff(db: Db, headers: Headers, cohortId: unknown) {
  const owned = await requireCohortRole(db, headers, cohortId, 'ta');
  return { ...owned, staff: await listCohortStaff(db, owned.cohort.id) };
}

export async function classAuditLog(
  db: Db,
  headers: Headers,
  cohortId: unknown,
): Promise<OwnedCohort & { entries: AuditEntry[] }> {
  const owned = await requireCohortRole(db, headers, cohortId, 'ta');
  return { ...owned, entries: await auditLogOf(db, owned.cohort.id) };
}

/** The account page's password change, behind the same instructor check as every other page. */
export async function changeMyPassword(
  db: Db,
  headers: Headers,
  input: unknown,
): Promise<{ otherSessionsEnded: number }> {
  await requireInstructor(db, headers);
  return changePassword(db, headers, input);
}
