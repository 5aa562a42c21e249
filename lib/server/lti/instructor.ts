import 'server-only';

import type { Db } from '../db/client';
import { HttpError } from '../http';
import { requireCohortRole, requireInstructor, requireOwnedCohort } from '../instructor/access';
import { classSyncStatus, retryClassDeliveries, type ClassSyncStatus } from './outbox';
import { addPlatform, listPlatforms, removePlatform, toolUrls, type PlatformSummary } from './platforms';
import { createRegistrationLink } from './registration';
import { syncClassRoster } from './roster';

/**
 * What instructors do with LMS connections, each call checking the session and the permission
 * itself (lib/server/instructor/access.ts): the LMS section of a class dashboard, its "retry now"
 * and "sync roster" actions, and the LMS connections page (platforms the instructor registered).
 */

/** The class's LMS section; any staff of the class may read it. Null for classes made with a join code. */
export async function lmsSection(db: Db, headers: Headers, cohortId: unknown): Promise<ClassSyncStatus | null> {
  const { cohort } = await requireOwnedCohort(db, headers, cohortId);
  return classSyncStatus(db, cohort.id);
}

/** "Retry now" (instructors and owners, not TAs). */
export async function retryDeliveriesNow(db: Db, headers: Headers, cohortId: unknown): Promise<number> {
  const { cohort } = await requireCohortRole(db, headers, cohortId, 'instructor');
  return retryClassDeliveries(db, cohort.id);
}

/** "Sync roster" (instructors and owners). */
export async function syncRosterNow(
  db: Db,
  headers: Headers,
  cohortId: unknown,
): Promise<{ members: number; learners: number }> {
  const { cohort } = await requireCohortRole(db, headers, cohortId, 'instructor');
  try {
    const result = await syncClassRoster(db, cohort.id);
    if (!result) throw new HttpError(409, 'no-roster', 'The LMS did not offer its roster for this course.');
    return result;
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(
      502,
      'roster-failed',
      `The LMS roster could not be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export interface LmsConnections {
  platforms: PlatformSummary[];
  urls: { login: string; redirect: string; jwks: string; deepLinking: string; lesson: string };
}

export async function myLmsConnections(db: Db, headers: Headers): Promise<LmsConnections> {
  const instructor = await requireInstructor(db, headers);
  const urls = toolUrls();
  return {
    platforms: await listPlatforms(db, { ownerId: instructor.id }),
    urls: {
      login: urls.login,
      redirect: urls.redirect,
      jwks: urls.jwks,
      deepLinking: urls.deepLinking,
      lesson: urls.targetLink('chain-rule-computational-graphs'),
    },
  };
}

export async function addMyPlatform(db: Db, headers: Headers, input: unknown): Promise<PlatformSummary> {
  const instructor = await requireInstructor(db, headers);
  return addPlatform(db, input, instructor.id);
}

export async function removeMyPlatform(db: Db, headers: Headers, platformId: unknown): Promise<void> {
  const instructor = await requireInstructor(db, headers);
  if (typeof platformId !== 'string' || platformId.length > 100)
    throw new HttpError(400, 'invalid-input', 'Which connection?');
  const platform = await db.ltiPlatform.findFirst({ where: { id: platformId, ownerId: instructor.id } });
  if (!platform)
    throw new HttpError(403, 'not-your-connection', 'This LMS connection does not exist or belongs to someone else.');
  await removePlatform(db, platform.issuer, platform.clientId, instructor.id);
}

export async function myRegistrationLink(db: Db, headers: Headers): Promise<{ url: string; expiresAt: Date }> {
  const instructor = await requireInstructor(db, headers);
  return createRegistrationLink(db, instructor.id);
}
