import 'server-only';

import { randomUUID } from 'node:crypto';

import { SignJWT } from 'jose';

import {
  LINE_ITEM_CONTENT_TYPE,
  LINE_ITEMS_CONTENT_TYPE,
  lineItemSchema,
  MEMBERSHIPS_CONTENT_TYPE,
  membershipPageSchema,
  nextLink,
  SCORE_CONTENT_TYPE,
  tokenResponseSchema,
  type Member,
  type ScoreBody,
} from '@/lib/lti/services';

import type { Db } from '../db/client';
import { signingKey } from './keys';

/**
 * Calls from the tool to a platform's LTI Advantage services: OAuth 2 client credentials with a
 * signed JWT client assertion (1EdTech Security Framework §4.1), AGS scores and line items, NRPS
 * memberships. Failures carry the HTTP status and the platform's own error text, which the
 * dashboard shows.
 */

export interface PlatformRef {
  id: string;
  clientId: string;
  tokenUrl: string;
}

export class PlatformError extends Error {
  constructor(
    /** null: the platform could not be reached (network error, timeout). */
    readonly status: number | null,
    message: string,
    readonly retryAfter: string | null = null,
  ) {
    super(message);
  }
}

const TIMEOUT_MS = 10_000;

async function call(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new PlatformError(null, `could not reach ${new URL(url).host}: ${(error as Error).message}`);
  }
}

async function failure(what: string, response: Response): Promise<PlatformError> {
  const text = (await response.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 300);
  return new PlatformError(
    response.status,
    `${what}: HTTP ${response.status}${text ? ` ${text}` : ''}`,
    response.headers.get('retry-after'),
  );
}

const tokens = new Map<string, { token: string; expiresAt: number }>();

/** Forgets cached access tokens (tests). */
export function forgetAccessTokens(): void {
  tokens.clear();
}

/** A Bearer token for `scopes`, cached until a minute before it expires. */
export async function accessToken(db: Db, platform: PlatformRef, scopes: readonly string[]): Promise<string> {
  const scope = [...scopes].sort().join(' ');
  const cacheKey = `${platform.id} ${scope}`;
  const cached = tokens.get(cacheKey);
  if (cached && cached.expiresAt > Date.now()) return cached.token;
  const { kid, key } = await signingKey(db);
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setIssuer(platform.clientId)
    .setSubject(platform.clientId)
    .setAudience(platform.tokenUrl)
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .setJti(randomUUID())
    .sign(key);
  const response = await call(platform.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      scope,
    }).toString(),
  });
  if (!response.ok) throw await failure('token request refused', response);
  const parsed = tokenResponseSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new PlatformError(502, 'token response is not a valid OAuth 2 token');
  const lifetime = (parsed.data.expires_in ?? 3600) * 1000;
  tokens.set(cacheKey, { token: parsed.data.access_token, expiresAt: Date.now() + Math.max(0, lifetime - 60_000) });
  return parsed.data.access_token;
}

/** POSTs a score to `{lineItemUrl}/scores` (the query string stays after the path, AGS §3.4). */
export async function postScore(token: string, lineItemUrl: string, score: ScoreBody): Promise<void> {
  const url = new URL(lineItemUrl);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/scores`;
  const response = await call(url.toString(), {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': SCORE_CONTENT_TYPE },
    body: JSON.stringify(score),
  });
  if (!response.ok) throw await failure('score refused', response);
}

/** The line item for a resource link: an existing one from the lineitems URL, or a new one made there. */
export async function findOrCreateLineItem(
  token: string,
  lineItemsUrl: string,
  item: { resourceLinkId: string; resourceId: string; label: string; scoreMaximum: number },
): Promise<string> {
  const list = new URL(lineItemsUrl);
  list.searchParams.set('resource_link_id', item.resourceLinkId);
  const found = await call(list.toString(), {
    headers: { Authorization: `Bearer ${token}`, Accept: LINE_ITEMS_CONTENT_TYPE },
  });
  if (!found.ok) throw await failure('line items could not be read', found);
  const items = lineItemSchema.array().safeParse(await found.json().catch(() => null));
  const existing = items.success ? items.data.find((entry) => entry.resourceLinkId === item.resourceLinkId) : undefined;
  if (existing) return existing.id;
  const created = await call(lineItemsUrl, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': LINE_ITEM_CONTENT_TYPE,
      Accept: LINE_ITEM_CONTENT_TYPE,
    },
    body: JSON.stringify(item),
  });
  if (!created.ok) throw await failure('line item could not be created', created);
  const parsed = lineItemSchema.safeParse(await created.json().catch(() => null));
  if (!parsed.success) throw new PlatformError(502, 'the created line item has no id');
  return parsed.data.id;
}

/** Every member of a context, following Link rel="next" pages (at most 200 pages). */
export async function fetchMembers(token: string, membershipsUrl: string): Promise<Member[]> {
  const members: Member[] = [];
  let url: string | null = membershipsUrl;
  for (let page = 0; url && page < 200; page++) {
    const response = await call(url, {
      headers: { Authorization: `Bearer ${token}`, Accept: MEMBERSHIPS_CONTENT_TYPE },
    });
    if (!response.ok) throw await failure('roster could not be read', response);
    const parsed = membershipPageSchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw new PlatformError(502, 'the roster page is not a valid membership container');
    members.push(...parsed.data.members);
    url = nextLink(response.headers.get('link'), url);
  }
  return members;
}
