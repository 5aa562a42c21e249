'use server';

import type { ManageState } from '@/app/_components/instructor/ManageForm';
import { HttpError } from '@/lib/server/http';
import { changeMyPassword } from '@/lib/server/instructor/manage';
import { withInstructor } from '@/lib/server/instructor/next';

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/** Changes the password (checked against the current one) and signs out the instructor's other browsers. */
export async function changePasswordAction(_previous: ManageState, form: FormData): Promise<ManageState> {
  if (text(form, 'newPassword') !== text(form, 'repeatPassword')) {
    return { error: 'The two new passwords are different: type the same one twice.' };
  }
  try {
    const { otherSessionsEnded } = await withInstructor((db, headers) =>
      changeMyPassword(db, headers, {
        currentPassword: text(form, 'currentPassword'),
        newPassword: text(form, 'newPassword'),
      }),
    );
    return {
      error: null,
      done: `Password changed. ${otherSessionsEnded} other signed-in browser${otherSessionsEnded === 1 ? ' was' : 's were'} signed out.`,
    };
  } catch (error) {
    if (error instanceof HttpError && error.status < 500) {
      return { error: error.message, ...(error.issues ? { issues: error.issues } : {}) };
    }
    throw error;
  }
}
