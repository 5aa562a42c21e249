'use server';

import { revalidatePath } from 'next/cache';

import type { ManageState } from '@/app/_components/instructor/ManageForm';
import { HttpError } from '@/lib/server/http';
import { renameClass, setClassArchived, shareClass, unshareClass } from '@/lib/server/instructor/manage';
import { withInstructor } from '@/lib/server/instructor/next';
import { ROLE_LABELS } from '@/lib/server/instructor/staff';

/** Class settings (issue 19). Each permission check is inside the data function it calls. */

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/** A 4xx becomes the form's message; anything else is a real error. */
async function attempt(run: () => Promise<string>, cohortId: unknown): Promise<ManageState> {
  try {
    const done = await run();
    if (typeof cohortId === 'string') revalidatePath(`/instructor/classes/${cohortId}`, 'layout');
    return { error: null, done };
  } catch (error) {
    if (error instanceof HttpError && error.status < 500) {
      return { error: error.message, ...(error.issues ? { issues: error.issues } : {}) };
    }
    throw error;
  }
}

export async function renameClassAction(_previous: ManageState, form: FormData): Promise<ManageState> {
  const cohortId = form.get('cohortId');
  return attempt(async () => {
    await withInstructor((db, headers) => renameClass(db, headers, cohortId, { name: text(form, 'name') }));
    return 'Renamed.';
  }, cohortId);
}

export async function archiveClassAction(_previous: ManageState, form: FormData): Promise<ManageState> {
  const cohortId = form.get('cohortId');
  const archived = text(form, 'archived') === 'true';
  return attempt(async () => {
    await withInstructor((db, headers) => setClassArchived(db, headers, cohortId, archived));
    return archived ? 'Archived: the class is hidden from your list and takes no new learners.' : 'Reopened.';
  }, cohortId);
}

export async function shareClassAction(_previous: ManageState, form: FormData): Promise<ManageState> {
  const cohortId = form.get('cohortId');
  return attempt(async () => {
    const shared = await withInstructor((db, headers) =>
      shareClass(db, headers, cohortId, { email: text(form, 'email'), role: text(form, 'role') }),
    );
    return `Shared with ${shared.name} as ${ROLE_LABELS[shared.role].toLowerCase()}.`;
  }, cohortId);
}

export async function unshareClassAction(_previous: ManageState, form: FormData): Promise<ManageState> {
  const cohortId = form.get('cohortId');
  return attempt(async () => {
    await withInstructor((db, headers) => unshareClass(db, headers, cohortId, form.get('instructorId')));
    return 'No longer shared with them.';
  }, cohortId);
}
