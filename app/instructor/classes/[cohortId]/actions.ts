'use server';

import { revalidatePath } from 'next/cache';

import { rotateJoinCode } from '@/lib/server/instructor/classes';
import { withInstructor } from '@/lib/server/instructor/next';

/** Replaces the class's join code; the permission check is inside rotateJoinCode. */
export async function rotateJoinCodeAction(form: FormData): Promise<void> {
  const cohortId = form.get('cohortId');
  await withInstructor((db, headers) => rotateJoinCode(db, headers, cohortId));
  if (typeof cohortId === 'string') revalidatePath(`/instructor/classes/${cohortId}`);
}
