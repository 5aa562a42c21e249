import 'server-only';

import { randomInt } from 'node:crypto';

import { z } from 'zod';

import { nameSchema } from './api/names';
import { answerStatementsFor } from './db/answer-offload';
import type { Db } from './db/client';
import { isUniqueViolation } from './db/errors';
import { HttpError } from './http';
import type { LearnerView } from './quiz-service';

/** Letters and digits that cannot be confused when read aloud or copied from a board (no 0/O, 1/I/L). */
const JOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const JOIN_CODE_LENGTH = 8;

/** What a join code looks like, in the words the learner's form uses too. */
export const JOIN_CODE_HELP =
  'A class join code is 4 to 16 letters and digits, usually 8 like K7QM2XPA. Your teacher gives it to you.';

/** Upper case, without spaces and dashes. */
export function normaliseJoinCode(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, '');
}

// NFC, no direction overrides or invisible characters (issue 19; lib/server/api/names.ts). Empty
// after cleaning is refused: send null to clear the name.
const displayNameSchema = nameSchema(40);

export const learnerUpdateSchema = z
  .object({
    displayName: displayNameSchema.nullable().optional(),
    // Spaces and dashes people type between groups are dropped; the message is shown to learners.
    joinCode: z
      .string()
      .max(40, JOIN_CODE_HELP)
      .transform(normaliseJoinCode)
      .pipe(z.string().regex(/^[A-Z0-9]{4,16}$/, JOIN_CODE_HELP)),
  })
  .partial()
  .strict()
  .refine((update) => update.displayName !== undefined || update.joinCode !== undefined, {
    message: 'send displayName, joinCode or both',
  });
export type LearnerUpdate = z.infer<typeof learnerUpdateSchema>;

/** What the learner panel shows: the display name and the classes joined, in joining order. */
export async function learnerView(db: Db, learnerId: string): Promise<LearnerView> {
  return viewOf(await answerStatementsFor(db).run('updateLearnerRows', { learnerId, joinedAt: new Date() }));
}

function viewOf(rows: { displayName: string | null; cohorts: string[] } | null): LearnerView {
  if (!rows) throw new HttpError(401, 'no-session', 'No valid session: open the lesson page to start one.');
  return { displayName: rows.displayName, cohorts: rows.cohorts.map((name) => ({ name })) };
}

/**
 * Sets the display name and/or joins a cohort. Joining twice is not an error. Raw statements on
 * the database worker (db/learner-statements.ts): every learner of a class joins once, often
 * together at the start of a lesson, and the ORM's four queries cost the event loop more than a
 * whole answer (docs/decisions/018).
 */
export async function updateLearner(db: Db, learnerId: string, update: LearnerUpdate): Promise<LearnerView> {
  const statements = answerStatementsFor(db);
  let cohortId: string | undefined;
  if (update.joinCode !== undefined) {
    const cohort = await statements.run('findCohortByJoinCode', update.joinCode);
    // An archived class (issue 19) takes no new learners; say so rather than "unknown code".
    if (cohort?.archived) {
      throw new HttpError(
        422,
        'class-archived',
        'This class has been closed by its teacher: it takes no new learners.',
      );
    }
    if (!cohort)
      throw new HttpError(
        422,
        'unknown-join-code',
        `No class uses the join code "${update.joinCode}". Check it with your teacher.`,
      );
    cohortId = cohort.id;
  }
  // One transaction: the name and the enrollment are stored together or not at all.
  const view = await statements.run('updateLearnerRows', {
    learnerId,
    displayName: update.displayName,
    cohortId,
    joinedAt: new Date(),
  });
  return viewOf(view);
}

/** A random join code: 8 characters from an alphabet without 0/O or 1/I/L, which are easy to misread. */
export function newJoinCode(): string {
  return Array.from({ length: JOIN_CODE_LENGTH }, () => JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)]).join(
    '',
  );
}

/** A cohort with a fresh join code. For instructors (issue 6) and tests. */
export async function createCohort(
  db: Db,
  input: { name: string; ownerId?: string | null },
): Promise<{ id: string; joinCode: string }> {
  for (let tries = 0; tries < 5; tries++) {
    const joinCode = newJoinCode();
    try {
      return await db.cohort.create({
        data: { name: input.name, ownerId: input.ownerId ?? null, joinCode },
        select: { id: true, joinCode: true },
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  throw new Error('could not find an unused join code in 5 tries');
}
