'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';

import type { ManageState } from '@/app/_components/instructor/ManageForm';
import { HttpError } from '@/lib/server/http';
import { deleteLearnerData, grantExtraAttempts, removeLearner, resetAttempts } from '@/lib/server/instructor/manage';
import { withInstructor } from '@/lib/server/instructor/next';

/** One learner's controls (issue 19). Each permission check is inside the data function it calls. */

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

function failure(error: unknown): ManageState {
  if (error instanceof HttpError && error.status < 500) {
    return { error: error.message, ...(error.issues ? { issues: error.issues } : {}) };
  }
  throw error;
}

/** The ids as posted; the data functions validate them (a missing or odd one is a 400, then a 404 page). */
function ids(form: FormData) {
  return { cohortId: text(form, 'cohortId'), learnerId: text(form, 'learnerId') };
}

function refresh({ cohortId, learnerId }: ReturnType<typeof ids>) {
  revalidatePath(`/instructor/classes/${cohortId}/learners/${learnerId}`);
}

export async function grantAttemptsAction(_previous: ManageState, form: FormData): Promise<ManageState> {
  const { cohortId, learnerId } = ids(form);
  try {
    const { extraAttempts } = await withInstructor((db, headers) =>
      grantExtraAttempts(db, headers, cohortId, learnerId, {
        questionId: text(form, 'questionId'),
        extraAttempts: text(form, 'extraAttempts'),
      }),
    );
    refresh({ cohortId, learnerId });
    return {
      error: null,
      done: `Done: ${extraAttempts} extra attempt${extraAttempts === 1 ? '' : 's'} on that question in all.`,
    };
  } catch (error) {
    return failure(error);
  }
}

export async function resetAttemptsAction(_previous: ManageState, form: FormData): Promise<ManageState> {
  const { cohortId, learnerId } = ids(form);
  try {
    const { deleted } = await withInstructor((db, headers) =>
      resetAttempts(db, headers, cohortId, learnerId, { questionId: text(form, 'questionId') }),
    );
    refresh({ cohortId, learnerId });
    return {
      error: null,
      done: `Reset: ${deleted} answer${deleted === 1 ? '' : 's'} removed; the question starts afresh.`,
    };
  } catch (error) {
    return failure(error);
  }
}

export async function removeLearnerAction(_previous: ManageState, form: FormData): Promise<ManageState> {
  const { cohortId, learnerId } = ids(form);
  try {
    await withInstructor((db, headers) => removeLearner(db, headers, cohortId, learnerId));
  } catch (error) {
    return failure(error);
  }
  revalidatePath(`/instructor/classes/${cohortId}`);
  redirect(`/instructor/classes/${cohortId}?removed=1`);
}

export async function deleteLearnerAction(_previous: ManageState, form: FormData): Promise<ManageState> {
  const { cohortId, learnerId } = ids(form);
  try {
    await withInstructor((db, headers) => deleteLearnerData(db, headers, cohortId, learnerId, text(form, 'confirm')));
  } catch (error) {
    return failure(error);
  }
  revalidatePath(`/instructor/classes/${cohortId}`);
  redirect(`/instructor/classes/${cohortId}?deleted=1`);
}
