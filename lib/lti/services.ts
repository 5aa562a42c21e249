import { z } from 'zod';

/**
 * Pure pieces of the LTI Advantage services: the AGS score body, retry backoff, the Link header's
 * rel="next", and the NRPS membership page schema.
 */

export const SCORE_CONTENT_TYPE = 'application/vnd.ims.lis.v1.score+json';
export const LINE_ITEM_CONTENT_TYPE = 'application/vnd.ims.lis.v2.lineitem+json';
export const LINE_ITEMS_CONTENT_TYPE = 'application/vnd.ims.lis.v2.lineitemcontainer+json';
export const MEMBERSHIPS_CONTENT_TYPE = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';

export type ActivityProgress = 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed';

export interface ScoreBody {
  userId: string;
  scoreGiven: number;
  scoreMaximum: number;
  activityProgress: ActivityProgress;
  gradingProgress: 'FullyGraded';
  timestamp: string;
}

/**
 * The AGS score for a knowledge check: `answered` of `total` questions have a graded attempt and
 * `points` is the sum of each question's latest attempt's score (partial credit included).
 */
export function scoreBody(userId: string, points: number, answered: number, total: number, at: Date): ScoreBody {
  const activityProgress: ActivityProgress =
    answered === 0 ? 'Started' : answered >= total ? 'Completed' : 'InProgress';
  return {
    userId,
    // Rounded to 4 decimals: LMS gradebooks store a few decimals, and 1/3 of a point should not
    // arrive as a 17-digit number.
    scoreGiven: Math.round(points * 10_000) / 10_000,
    scoreMaximum: total,
    activityProgress,
    gradingProgress: 'FullyGraded',
    timestamp: at.toISOString(),
  };
}

/** Exponential backoff with a cap and ±20 % jitter; `attempt` counts failures so far (1 = first). */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

/** Retry-After in milliseconds (seconds or an HTTP date), or null. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

/** Whether a delivery that failed this way should be tried again: network errors, 5xx and 429. */
export function isRetryable(status: number | null): boolean {
  return status === null || status === 429 || status >= 500;
}

/** The URL of rel="next" in an RFC 8288 Link header, resolved against `base`. */
export function nextLink(header: string | null, base: string): string | null {
  if (!header) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!match) continue;
    const params = match[2] ?? '';
    if (/;\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(params)) {
      try {
        return new URL(match[1]!, base).toString();
      } catch {
        return null;
      }
    }
  }
  return null;
}

export const memberSchema = z
  .object({
    user_id: z.string().min(1).max(255),
    roles: z.array(z.string().max(255)).max(100).default([]),
    status: z.string().max(50).optional(),
    name: z.string().max(500).optional(),
    given_name: z.string().max(255).optional(),
    family_name: z.string().max(255).optional(),
    email: z.string().max(320).optional(),
  })
  .passthrough();

export const membershipPageSchema = z
  .object({
    id: z.string().optional(),
    context: z.object({ id: z.string(), title: z.string().optional() }).passthrough().optional(),
    members: z.array(memberSchema).max(10_000),
  })
  .passthrough();

export type Member = z.infer<typeof memberSchema>;

export const tokenResponseSchema = z
  .object({
    access_token: z.string().min(1).max(8192),
    token_type: z.string(),
    expires_in: z.number().positive().optional(),
    scope: z.string().optional(),
  })
  .passthrough();

export const lineItemSchema = z
  .object({
    id: z.string().url(),
    scoreMaximum: z.number().optional(),
    label: z.string().optional(),
    resourceId: z.string().optional(),
    resourceLinkId: z.string().optional(),
  })
  .passthrough();
