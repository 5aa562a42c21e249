'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { revalidatePath } from 'next/cache';

import { completeSetup, signIn, signOut } from '@/lib/server/auth/accounts';
import { removeSetupTokenFile } from '@/lib/server/auth/setup-announce';
import { getDb } from '@/lib/server/db/client';
import { HttpError } from '@/lib/server/http';
import { createClass } from '@/lib/server/instructor/classes';
import { applySetCookies, safeReturnPath, withInstructor } from '@/lib/server/instructor/next';

/** What a form shows after a failed submission; fields keep what the user typed (never passwords). */
export interface FormState {
  error: string | null;
  issues?: string[];
  values?: Record<string, string>;
}

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

function failure(error: unknown, values: Record<string, string>): FormState {
  if (error instanceof HttpError && error.status < 500) {
    return { error: error.message, ...(error.issues ? { issues: error.issues } : {}), values };
  }
  throw error;
}

export async function signInAction(_previous: FormState, form: FormData): Promise<FormState> {
  const email = text(form, 'email');
  const db = await getDb();
  try {
    const result = await signIn(db, new Headers(await headers()), { email, password: text(form, 'password') });
    await applySetCookies(result.setCookies);
  } catch (error) {
    return failure(error, { email });
  }
  redirect(safeReturnPath(text(form, 'next')));
}

export async function setupAction(_previous: FormState, form: FormData): Promise<FormState> {
  const values = { name: text(form, 'name'), email: text(form, 'email') };
  try {
    await completeSetup(await getDb(), { ...values, password: text(form, 'password'), token: text(form, 'token') });
  } catch (error) {
    return failure(error, values);
  }
  removeSetupTokenFile();
  redirect('/instructor/login?created=1');
}

export async function signOutAction(): Promise<void> {
  const setCookies = await signOut(await getDb(), new Headers(await headers()));
  await applySetCookies(setCookies);
  redirect('/instructor/login?signedOut=1');
}

export async function createClassAction(_previous: FormState, form: FormData): Promise<FormState> {
  const name = text(form, 'name');
  let id: string;
  try {
    ({ id } = await withInstructor((db, requestHeaders) => createClass(db, requestHeaders, { name })));
  } catch (error) {
    return failure(error, { name });
  }
  revalidatePath('/instructor');
  redirect(`/instructor/classes/${id}`);
}
