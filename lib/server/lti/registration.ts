import 'server-only';

import { createHash, randomBytes } from 'node:crypto';

import { z } from 'zod';

import { SCOPES } from '@/lib/lti/claims';

import type { Db } from '../db/client';
import { audit } from './audit';
import { escapeHtml, htmlPage, refusalPage } from './html';
import { addPlatform, baseUrl, toolUrls } from './platforms';

/**
 * LTI Dynamic Registration 1.0, only from a one-time link: an instructor copies the link from the
 * LMS connections page (or `npm run lti:platform -- registration-link`), the LMS administrator
 * pastes it, and the LMS opens it with its openid_configuration and registration_token. Any other
 * registration attempt is refused. Only the SHA-256 of a link's token is stored.
 */

export const REGISTRATION_LINK_TTL_MS = 24 * 60 * 60 * 1000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export async function createRegistrationLink(
  db: Db,
  instructorId: string | null,
  now = new Date(),
): Promise<{ url: string; expiresAt: Date }> {
  const token = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + REGISTRATION_LINK_TTL_MS);
  await db.ltiRegistrationToken.create({
    data: { tokenHash: sha256(token), instructorId, expiresAt },
    select: { tokenHash: true },
  });
  return { url: `${baseUrl()}/lti/register?link=${token}`, expiresAt };
}

const querySchema = z.object({
  link: z.string().min(20).max(200).optional(),
  openid_configuration: z.string().url().max(2048).optional(),
  registration_token: z.string().max(8192).optional(),
});

const platformConfigSchema = z
  .object({
    issuer: z.string().url(),
    authorization_endpoint: z.string().url(),
    token_endpoint: z.string().url(),
    jwks_uri: z.string().url(),
    registration_endpoint: z.string().url(),
    'https://purl.imsglobal.org/spec/lti-platform-configuration': z
      .object({ product_family_code: z.string().max(100).optional() })
      .passthrough()
      .optional(),
  })
  .passthrough();

const registrationResponseSchema = z
  .object({
    client_id: z.string().min(1).max(255),
    'https://purl.imsglobal.org/spec/lti-tool-configuration': z
      .object({ deployment_id: z.string().min(1).max(255).optional() })
      .passthrough()
      .optional(),
  })
  .passthrough();

async function fetchJson(url: string, init?: RequestInit): Promise<{ status: number; body: unknown; text: string }> {
  const response = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: response.status, body, text };
}

export async function handleRegistration(db: Db, request: Request): Promise<Response> {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = querySchema.safeParse(params);
  if (!parsed.success || !parsed.data.link) {
    await audit(db, 'registration-refused', null, 'no one-time registration link');
    return refusalPage(
      403,
      'Registration needs a one-time link',
      'Registering this tool in an LMS only works with a one-time link from an instructor\'s "LMS connections" page.',
    );
  }
  if (!parsed.data.openid_configuration) {
    return refusalPage(
      400,
      'Paste this link into your LMS',
      'Open this link from your LMS\'s "register an LTI tool" screen (Moodle: Manage tools, Canvas: Developer keys > LTI Registration); the LMS adds what it needs to it.',
    );
  }
  const now = new Date();
  const spent = await db.ltiRegistrationToken.updateMany({
    where: { tokenHash: sha256(parsed.data.link), usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (spent.count !== 1) {
    await audit(db, 'registration-refused', null, 'one-time link unknown, used or expired');
    return refusalPage(
      403,
      'This registration link is not valid',
      'This one-time link is unknown, already used or expired. Make a new one on the "LMS connections" page.',
    );
  }
  const owner = await db.ltiRegistrationToken.findUnique({
    where: { tokenHash: sha256(parsed.data.link) },
    select: { instructorId: true },
  });
  try {
    const configUrl = parsed.data.openid_configuration;
    const config = await fetchJson(configUrl, { headers: { Accept: 'application/json' } });
    const platform = platformConfigSchema.safeParse(config.body);
    if (config.status !== 200 || !platform.success)
      throw new Error(`the LMS's openid configuration could not be read (HTTP ${config.status})`);
    // Dynamic Registration §3.5.1: the configuration must come from the issuer's own site.
    if (new URL(configUrl).origin !== new URL(platform.data.issuer).origin)
      throw new Error("the openid configuration is not on the issuer's site");
    const base = baseUrl();
    const urls = toolUrls(base);
    const registration = {
      application_type: 'web',
      response_types: ['id_token'],
      grant_types: ['implicit', 'client_credentials'],
      initiate_login_uri: urls.login,
      redirect_uris: [urls.redirect],
      client_name: 'Autodidact',
      jwks_uri: urls.jwks,
      token_endpoint_auth_method: 'private_key_jwt',
      scope: [SCOPES.score, SCOPES.lineItem, SCOPES.lineItemReadOnly, SCOPES.resultReadOnly, SCOPES.memberships].join(
        ' ',
      ),
      'https://purl.imsglobal.org/spec/lti-tool-configuration': {
        domain: new URL(base).host,
        target_link_uri: `${base}/lessons/${'chain-rule-computational-graphs'}`,
        claims: ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'],
        messages: [{ type: 'LtiDeepLinkingRequest', target_link_uri: urls.launch, label: 'Add an Autodidact lesson' }],
        description: 'Interactive lessons with server-graded knowledge checks.',
      },
    };
    const result = await fetchJson(platform.data.registration_endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        ...(parsed.data.registration_token ? { Authorization: `Bearer ${parsed.data.registration_token}` } : {}),
      },
      body: JSON.stringify(registration),
    });
    const registered = registrationResponseSchema.safeParse(result.body);
    if (result.status >= 300 || !registered.success) {
      throw new Error(`the LMS refused the registration (HTTP ${result.status}): ${result.text.slice(0, 200)}`);
    }
    const deploymentId =
      registered.data['https://purl.imsglobal.org/spec/lti-tool-configuration']?.deployment_id ?? '1';
    const name = platform.data['https://purl.imsglobal.org/spec/lti-platform-configuration']?.product_family_code;
    await addPlatform(
      db,
      {
        issuer: platform.data.issuer,
        clientId: registered.data.client_id,
        deploymentId,
        authUrl: platform.data.authorization_endpoint,
        tokenUrl: platform.data.token_endpoint,
        jwksUrl: platform.data.jwks_uri,
        ...(name ? { name: `${name} (${new URL(platform.data.issuer).host})`.slice(0, 120) } : {}),
      },
      owner?.instructorId ?? null,
    );
    return htmlPage(
      'Autodidact is registered',
      `<h1>Autodidact is registered</h1><p>Registered with ${escapeHtml(platform.data.issuer)} (client id ${escapeHtml(registered.data.client_id)}). You can close this window.</p><script>(window.opener||window.parent).postMessage({subject:'org.imsglobal.lti.close'},'*');</script>`,
      { frameAncestors: [new URL(platform.data.issuer).origin, new URL(platform.data.authorization_endpoint).origin] },
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await audit(db, 'registration-failed', null, message);
    return refusalPage(
      502,
      'Registration failed',
      `Registering with the LMS failed: ${message}. Make a new link and try again.`,
    );
  }
}
