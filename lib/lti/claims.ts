import { z } from 'zod';

/**
 * The LTI 1.3 message claims this tool reads (1EdTech LTI Core 1.3, Deep Linking 2.0, AGS 2.0,
 * NRPS 2.0), as zod schemas. Pure: no I/O. Every value from the platform is untrusted text: the
 * schemas bound lengths, and pages render names and titles as text only.
 */

export const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
export const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/';
export const AGS_CLAIM = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
export const NRPS_CLAIM = 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice';

export const CLAIM = {
  messageType: `${LTI}message_type`,
  version: `${LTI}version`,
  deploymentId: `${LTI}deployment_id`,
  targetLinkUri: `${LTI}target_link_uri`,
  resourceLink: `${LTI}resource_link`,
  roles: `${LTI}roles`,
  context: `${LTI}context`,
  custom: `${LTI}custom`,
  launchPresentation: `${LTI}launch_presentation`,
  deepLinkingSettings: `${DL}deep_linking_settings`,
  contentItems: `${DL}content_items`,
  data: `${DL}data`,
} as const;

export const SCOPES = {
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  resultReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  memberships: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
} as const;

const text = (max: number) => z.string().max(max);
const id = z.string().min(1).max(255);
const url = z.string().max(2048).url();

/** Roles that make an instructor of the course's class (context and institution roles alike). */
const STAFF_ROLE = /#(Instructor|ContentDeveloper|Administrator)$|\/(Instructor|ContentDeveloper|Administrator)$/;

export function isStaffRole(roles: readonly string[]): boolean {
  return roles.some((role) => STAFF_ROLE.test(role) && !role.includes('TeachingAssistant'));
}

/** The plain-word name of the claim that failed, for the refusal page. */
export type ClaimProblem = string;

const agsSchema = z
  .object({
    scope: z.array(text(255)).max(20).default([]),
    lineitems: url.optional(),
    lineitem: url.optional(),
  })
  .passthrough();

const nrpsSchema = z
  .object({ context_memberships_url: url, service_versions: z.array(text(20)).max(10).optional() })
  .passthrough();

const contextSchema = z
  .object({ id, title: text(500).optional(), label: text(255).optional(), type: z.array(text(255)).optional() })
  .passthrough();

const commonShape = {
  iss: z.string().min(1).max(2048),
  sub: z.string().min(1, 'sub is empty').max(255),
  aud: z.union([z.string(), z.array(z.string()).min(1)]),
  azp: z.string().optional(),
  exp: z.number(),
  iat: z.number(),
  nonce: z.string().min(1).max(255),
  name: text(500).optional(),
  given_name: text(255).optional(),
  family_name: text(255).optional(),
  email: text(320).optional(),
  [CLAIM.version]: z.literal('1.3.0', { message: 'version must be 1.3.0' }),
  [CLAIM.deploymentId]: id,
  [CLAIM.roles]: z.array(text(255)).max(100),
  [CLAIM.context]: contextSchema.optional(),
  [CLAIM.custom]: z.record(z.string(), z.unknown()).optional(),
  [AGS_CLAIM]: agsSchema.optional(),
  [NRPS_CLAIM]: nrpsSchema.optional(),
};

export const resourceLinkLaunchSchema = z
  .object({
    ...commonShape,
    [CLAIM.messageType]: z.literal('LtiResourceLinkRequest'),
    [CLAIM.targetLinkUri]: url,
    [CLAIM.resourceLink]: z.object({ id, title: text(500).optional() }).passthrough(),
  })
  .passthrough();

export const deepLinkingLaunchSchema = z
  .object({
    ...commonShape,
    [CLAIM.messageType]: z.literal('LtiDeepLinkingRequest'),
    [CLAIM.deepLinkingSettings]: z
      .object({
        deep_link_return_url: url,
        accept_types: z.array(text(100)).min(1).max(20),
        accept_presentation_document_targets: z.array(text(100)).max(20).optional(),
        accept_multiple: z.boolean().optional(),
        accept_lineitem: z.boolean().optional(),
        auto_create: z.boolean().optional(),
        title: text(500).optional(),
        text: text(2000).optional(),
        data: text(4096).optional(),
      })
      .passthrough(),
  })
  .passthrough();

export type ResourceLinkLaunch = z.infer<typeof resourceLinkLaunchSchema>;
export type DeepLinkingLaunch = z.infer<typeof deepLinkingLaunchSchema>;
export type Launch =
  { kind: 'resource-link'; claims: ResourceLinkLaunch } | { kind: 'deep-linking'; claims: DeepLinkingLaunch };

export const MESSAGE_TYPES = ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'] as const;

/**
 * Checks the claims of a verified id_token (signature, iss, aud, exp are checked before this).
 * Returns the launch or a plain sentence naming the first claim that is wrong.
 */
export function parseLaunchClaims(
  payload: Record<string, unknown>,
): { ok: true; launch: Launch } | { ok: false; problem: ClaimProblem } {
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) {
    return { ok: false, problem: 'the id_token has no sub (user id)' };
  }
  const version = payload[CLAIM.version];
  if (version !== '1.3.0') return { ok: false, problem: `the LTI version is ${describe(version)}, not 1.3.0` };
  const type = payload[CLAIM.messageType];
  if (type === 'LtiResourceLinkRequest') {
    const parsed = resourceLinkLaunchSchema.safeParse(payload);
    if (!parsed.success)
      return { ok: false, problem: `the resource link launch is missing or has a bad ${firstPath(parsed.error)}` };
    return { ok: true, launch: { kind: 'resource-link', claims: parsed.data } };
  }
  if (type === 'LtiDeepLinkingRequest') {
    const parsed = deepLinkingLaunchSchema.safeParse(payload);
    if (!parsed.success)
      return { ok: false, problem: `the deep linking request is missing or has a bad ${firstPath(parsed.error)}` };
    return { ok: true, launch: { kind: 'deep-linking', claims: parsed.data } };
  }
  return {
    ok: false,
    problem: `the message type ${describe(type)} is not one this tool accepts (LtiResourceLinkRequest, LtiDeepLinkingRequest)`,
  };
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  return JSON.stringify(value).slice(0, 80);
}

function firstPath(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'claim';
  const path = issue.path.map(String).join('.').replace(LTI, '').replace(DL, '');
  return `${path || 'claim'} (${issue.message})`;
}

/** The lesson a resource link opens: a custom `lesson` parameter, else the last path segment of target_link_uri under /lessons/ or /lti/lessons/. */
export function lessonFromLaunch(claims: ResourceLinkLaunch): string | null {
  const custom = claims[CLAIM.custom]?.lesson;
  if (typeof custom === 'string' && /^[a-z0-9-]{1,100}$/.test(custom)) return custom;
  try {
    const match = /\/lessons\/([a-z0-9-]{1,100})\/?$/.exec(new URL(claims[CLAIM.targetLinkUri]).pathname);
    return match?.[1] ?? null;
  } catch {
    return null;
  }
}

// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/** Untrusted text from a platform as one line: control characters and runs of space become one space; bounded. */
export function cleanText(text: string | undefined | null, max: number): string | null {
  if (!text) return null;
  const clean = text.replace(CONTROL_CHARACTERS, ' ').replace(/\s+/g, ' ').trim().slice(0, max);
  return clean || null;
}

/** A person's display name from the claims (untrusted text, trimmed and bounded). */
export function personName(claims: { name?: string; given_name?: string; family_name?: string }): string | null {
  return cleanText(claims.name ?? [claims.given_name, claims.family_name].filter(Boolean).join(' '), 80);
}

/** The audience check of LTI Core 1.3 §5.1.3: aud holds the client id, and azp equals it when there are several. */
export function audienceProblem(aud: string | string[], azp: unknown, clientId: string): string | null {
  const list = Array.isArray(aud) ? aud : [aud];
  if (!list.includes(clientId)) return `the audience (aud) does not contain this tool's client id`;
  if (list.length > 1 && azp !== clientId)
    return "the id_token has several audiences but its azp is not this tool's client id";
  if (azp !== undefined && azp !== clientId) return "the authorized party (azp) is not this tool's client id";
  return null;
}
