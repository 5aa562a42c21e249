'use server';

import { revalidatePath } from 'next/cache';
import { headers } from 'next/headers';

import { getDb } from '@/lib/server/db/client';
import { HttpError } from '@/lib/server/http';
import { withInstructor } from '@/lib/server/instructor/next';
import {
  addMyPlatform,
  myRegistrationLink,
  removeMyPlatform,
  retryDeliveriesNow,
  syncRosterNow,
} from '@/lib/server/lti/instructor';

/** Server actions of the LMS connections page and the class dashboard's LMS section; every permission check is in lib/server/lti/instructor.ts. */

export interface LmsFormState {
  error: string | null;
  issues?: string[];
  message?: string;
  link?: string;
}

function text(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function failure(error: unknown): LmsFormState {
  if (error instanceof HttpError && error.status < 500 && error.status !== 401) {
    return { error: error.message, ...(error.issues ? { issues: error.issues } : {}) };
  }
  if (error instanceof HttpError && error.status === 502) return { error: error.message };
  throw error;
}

export async function addPlatformAction(_previous: LmsFormState, form: FormData): Promise<LmsFormState> {
  const input = {
    issuer: text(form, 'issuer'),
    clientId: text(form, 'clientId'),
    deploymentId: text(form, 'deploymentId'),
    authUrl: text(form, 'authUrl'),
    tokenUrl: text(form, 'tokenUrl'),
    jwksUrl: text(form, 'jwksUrl'),
    ...(text(form, 'name') ? { name: text(form, 'name') } : {}),
  };
  try {
    const platform = await addMyPlatform(await getDb(), new Headers(await headers()), input);
    revalidatePath('/instructor/lms');
    return { error: null, message: `Connected ${platform.name}.` };
  } catch (error) {
    return failure(error);
  }
}

export async function registrationLinkAction(_previous: LmsFormState): Promise<LmsFormState> {
  try {
    const link = await myRegistrationLink(await getDb(), new Headers(await headers()));
    return { error: null, link: link.url, message: `Valid once, until ${link.expiresAt.toUTCString()}.` };
  } catch (error) {
    return failure(error);
  }
}

export async function removePlatformAction(form: FormData): Promise<void> {
  await withInstructor((db, requestHeaders) => removeMyPlatform(db, requestHeaders, form.get('platformId')));
  revalidatePath('/instructor/lms');
}

export async function retryDeliveriesAction(form: FormData): Promise<void> {
  const cohortId = form.get('cohortId');
  await withInstructor((db, requestHeaders) => retryDeliveriesNow(db, requestHeaders, cohortId));
  if (typeof cohortId === 'string') revalidatePath(`/instructor/classes/${cohortId}`);
}

export async function syncRosterAction(_previous: LmsFormState, form: FormData): Promise<LmsFormState> {
  const cohortId = form.get('cohortId');
  try {
    const result = await syncRosterNow(await getDb(), new Headers(await headers()), cohortId);
    if (typeof cohortId === 'string') revalidatePath(`/instructor/classes/${cohortId}`);
    return { error: null, message: `Roster synced: ${result.members} members, ${result.learners} learners.` };
  } catch (error) {
    return failure(error);
  }
}
