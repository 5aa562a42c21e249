import 'server-only';

import { z } from 'zod';

import { serverEnv } from '@/lib/env';
import { CONTROL_CHARACTERS } from '@/lib/lti/claims';

import type { Db } from '../db/client';
import { HttpError, parseOrThrow } from '../http';

/**
 * Registered platforms (LMSs) and their deployments, and the tool's own URLs that an LMS
 * administrator pastes. Used by the CLI, the LMS connections page and Dynamic Registration.
 */

export function baseUrl(): string {
  const env = serverEnv();
  return env.AUTODIDACT_BASE_URL ?? `http://localhost:${env.PORT}`;
}

export function toolUrls(base = baseUrl()) {
  return {
    login: `${base}/lti/login`,
    redirect: `${base}/lti/launch`,
    launch: `${base}/lti/launch`,
    jwks: `${base}/lti/jwks`,
    deepLinking: `${base}/lti/launch`,
    // The target link URI of an activity: a lesson page (or any, with a custom `lesson=` parameter).
    targetLink: (lessonSlug: string) => `${base}/lessons/${lessonSlug}`,
  };
}

const httpUrl = z
  .string()
  .trim()
  .max(2048)
  .url('must be a URL')
  .refine((value) => /^https?:\/\//.test(value), 'must be an http(s) URL');

export const platformInputSchema = z
  .object({
    issuer: httpUrl,
    clientId: z.string().trim().min(1, 'must not be empty').max(255),
    deploymentId: z.string().trim().min(1, 'must not be empty').max(255),
    authUrl: httpUrl,
    tokenUrl: httpUrl,
    jwksUrl: httpUrl,
    name: z
      .string()
      .trim()
      .max(120)
      .refine((value) => !new RegExp(CONTROL_CHARACTERS.source).test(value), 'must not contain control characters')
      .optional(),
  })
  .strict();
export type PlatformInput = z.infer<typeof platformInputSchema>;

export interface PlatformSummary {
  id: string;
  issuer: string;
  clientId: string;
  name: string;
  authUrl: string;
  tokenUrl: string;
  jwksUrl: string;
  deployments: string[];
  ownerId: string | null;
}

/**
 * Adds a platform (or a deployment to a known one: the same issuer and client id). An instructor
 * may add deployments only to platforms they registered themselves.
 */
export async function addPlatform(db: Db, input: unknown, ownerId: string | null = null): Promise<PlatformSummary> {
  const data = parseOrThrow(platformInputSchema, input);
  const existing = await db.ltiPlatform.findUnique({
    where: { issuer_clientId: { issuer: data.issuer, clientId: data.clientId } },
  });
  if (existing && ownerId !== null && existing.ownerId !== ownerId) {
    throw new HttpError(409, 'platform-taken', 'This LMS and client id are already registered by someone else.');
  }
  const platform = existing
    ? await db.ltiPlatform.update({
        where: { id: existing.id },
        data: {
          authUrl: data.authUrl,
          tokenUrl: data.tokenUrl,
          jwksUrl: data.jwksUrl,
          ...(data.name ? { name: data.name } : {}),
        },
      })
    : await db.ltiPlatform.create({
        data: {
          issuer: data.issuer,
          clientId: data.clientId,
          name: data.name ?? new URL(data.issuer).host,
          authUrl: data.authUrl,
          tokenUrl: data.tokenUrl,
          jwksUrl: data.jwksUrl,
          ownerId,
        },
      });
  await db.ltiDeployment.upsert({
    where: { platformId_deploymentId: { platformId: platform.id, deploymentId: data.deploymentId } },
    create: { platformId: platform.id, deploymentId: data.deploymentId },
    update: {},
  });
  await db.ltiAuditLog.create({
    data: {
      event: 'platform-added',
      issuer: data.issuer,
      detail: `client ${data.clientId}, deployment ${data.deploymentId}`,
    },
  });
  return (await listPlatforms(db, { id: platform.id }))[0]!;
}

export async function listPlatforms(db: Db, where: { id?: string; ownerId?: string } = {}): Promise<PlatformSummary[]> {
  const rows = await db.ltiPlatform.findMany({
    where,
    orderBy: { createdAt: 'asc' },
    include: { deployments: { select: { deploymentId: true }, orderBy: { createdAt: 'asc' } } },
  });
  return rows.map((row) => ({
    id: row.id,
    issuer: row.issuer,
    clientId: row.clientId,
    name: row.name,
    authUrl: row.authUrl,
    tokenUrl: row.tokenUrl,
    jwksUrl: row.jwksUrl,
    ownerId: row.ownerId,
    deployments: row.deployments.map((deployment) => deployment.deploymentId),
  }));
}

/** Removes platforms by issuer (and client id when given); their classes stay, their LTI links go. */
export async function removePlatform(db: Db, issuer: string, clientId?: string, ownerId?: string): Promise<number> {
  const removed = await db.ltiPlatform.deleteMany({
    where: { issuer, ...(clientId ? { clientId } : {}), ...(ownerId ? { ownerId } : {}) },
  });
  if (removed.count > 0) {
    await db.ltiAuditLog.create({
      data: { event: 'platform-removed', issuer, detail: `${removed.count} registration(s)` },
    });
  }
  return removed.count;
}

/** The platform for a login or launch: by issuer and client id; by issuer alone when it has one registration. */
export async function findPlatform(db: Db, issuer: string, clientId: string | undefined) {
  if (clientId) return db.ltiPlatform.findUnique({ where: { issuer_clientId: { issuer, clientId } } });
  const rows = await db.ltiPlatform.findMany({ where: { issuer }, take: 2 });
  return rows.length === 1 ? rows[0]! : null;
}

/** A platform's origins (issuer and authorization URL): the only pages that may frame what it launches. */
export function originsOf(platform: { issuer: string; authUrl: string }): string[] {
  const origins = new Set<string>();
  for (const value of [platform.issuer, platform.authUrl]) {
    try {
      origins.add(new URL(value).origin);
    } catch {
      // Stored URLs were validated; skip anything odd rather than widen the policy.
    }
  }
  return [...origins];
}
