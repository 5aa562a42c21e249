import 'server-only';

import { isStaffRole, personName, SCOPES } from '@/lib/lti/claims';

import type { Db } from '../db/client';
import { log } from '../log';
import { accessToken, fetchMembers } from './platform-client';

/**
 * Names and Role Provisioning (NRPS 2.0): the course's whole roster becomes the class's roster.
 * Every member gets their (iss, sub) learner now, so a learner who never launched shows in the
 * class overview and its CSV as "not started"; their first launch finds the same learner.
 * Staff members are not enrolled as learners.
 */
export async function syncRoster(db: Db, contextRowId: string): Promise<{ members: number; learners: number }> {
  const context = await db.ltiContext.findUniqueOrThrow({ where: { id: contextRowId }, include: { platform: true } });
  if (!context.membershipsUrl) throw new Error('the LMS did not offer its roster service (NRPS) for this course');
  try {
    const token = await accessToken(db, context.platform, [SCOPES.memberships]);
    const members = await fetchMembers(token, context.membershipsUrl);
    let learners = 0;
    for (const member of members) {
      const name = personName(member);
      const email = member.email?.trim().slice(0, 254) || null;
      const roles = member.roles.join(' ').slice(0, 2000);
      let user = await db.ltiUser.findUnique({
        where: { platformId_sub: { platformId: context.platformId, sub: member.user_id } },
      });
      if (!user) {
        user = await db.$transaction(async (txClient) => {
          const tx = txClient as unknown as Db;
          const learner = await tx.learner.create({ data: { displayName: name }, select: { id: true } });
          return tx.ltiUser.create({
            data: { platformId: context.platformId, sub: member.user_id, learnerId: learner.id, name, email, roles },
          });
        });
      } else {
        await db.ltiUser.update({
          where: { platformId_sub: { platformId: context.platformId, sub: member.user_id } },
          data: { ...(name ? { name } : {}), ...(email ? { email } : {}), roles },
        });
        if (name)
          await db.learner.update({ where: { id: user.learnerId }, data: { displayName: name }, select: { id: true } });
      }
      const active = !member.status || (/active/i.test(member.status) && !/inactive/i.test(member.status));
      if (!isStaffRole(member.roles) && active) {
        await db.enrollment.upsert({
          where: { cohortId_learnerId: { cohortId: context.cohortId, learnerId: user.learnerId } },
          create: { cohortId: context.cohortId, learnerId: user.learnerId },
          update: {},
          select: { cohortId: true },
        });
        learners++;
      }
    }
    await db.ltiContext.update({
      where: { id: contextRowId },
      data: { lastRosterSyncAt: new Date(), rosterError: null },
      select: { id: true },
    });
    return { members: members.length, learners };
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    await db.ltiContext.update({ where: { id: contextRowId }, data: { rosterError: message }, select: { id: true } });
    throw error;
  }
}

/** After an instructor launch: sync without holding up their page; failures show on the dashboard. */
export function syncRosterInBackground(db: Db, contextRowId: string): void {
  void syncRoster(db, contextRowId).catch((error: unknown) => {
    log.warn({ err: error }, 'lti roster sync failed');
  });
}

/** The "sync roster" action of a class dashboard (the caller checks access). */
export async function syncClassRoster(db: Db, cohortId: string): Promise<{ members: number; learners: number } | null> {
  const context = await db.ltiContext.findUnique({ where: { cohortId }, select: { id: true, membershipsUrl: true } });
  if (!context?.membershipsUrl) return null;
  return syncRoster(db, context.id);
}
