import 'server-only';

import { createHash, randomBytes, randomUUID } from 'node:crypto';

import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';

import { isLessonSlug } from '@/lib/content/catalog';
import {
  AGS_CLAIM,
  audienceProblem,
  CLAIM,
  cleanText,
  isStaffRole,
  lessonFromLaunch,
  NRPS_CLAIM,
  parseLaunchClaims,
  personName,
  type DeepLinkingLaunch,
  type ResourceLinkLaunch,
} from '@/lib/lti/claims';

import type { Db } from '../db/client';
import { newJoinCode } from '../learner-service';
import { sessionCookie, SESSION_TTL_SECONDS } from '../session';
import { sessionSecret } from '../secret';
import { audit } from './audit';
import { clearStateCookie, crossSite, stateCookieStatus } from './cookies';
import { deepLinkingPicker } from './deep-linking';
import { signFrame } from './frame-token';
import { escapeHtml, htmlPage, refusalPage } from './html';
import { startInstructorSession } from './instructor-session';
import { originsOf } from './platforms';
import { remoteKeySet } from './jwks';
import { syncRosterInBackground } from './roster';
import { wakeOutbox } from './outbox';

/**
 * POST /lti/launch (LTI Core 1.3 §5.1.3 and §5.3): every check runs before anything is written;
 * a refusal answers 4xx with a page naming what failed and writes only an audit row. Then a
 * resource link launch maps (iss, sub) to a learner and (iss, deployment, context) to a class,
 * and a deep linking launch shows the lesson picker.
 */

export class LaunchRefusal extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

const refuse = (status: number, title: string, message: string) => new LaunchRefusal(status, title, message);

const formSchema = z.object({
  id_token: z.string().min(1).max(32_768).optional(),
  state: z.string().min(1).max(200).optional(),
  lti_storage_target: z.string().max(100).optional(),
  /** The state as read back from the platform's client-side storage. */
  lti_storage_state: z.string().max(200).optional(),
  /** The one-time "Open in a new tab" token. */
  continue: z.string().max(200).optional(),
});

type Platform = NonNullable<Awaited<ReturnType<Db['ltiPlatform']['findUnique']>>>;

/** Clock allowance for iat: a platform's clock may run ahead of ours by this much. */
const IAT_SKEW_SECONDS = 60;

async function readForm(request: Request): Promise<z.infer<typeof formSchema>> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.includes('application/x-www-form-urlencoded') && !type.includes('multipart/form-data')) {
    throw refuse(400, 'This launch is not a form post', 'The LMS must post the launch as a form (id_token and state).');
  }
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > 64 * 1024)
    throw refuse(413, 'This launch is too large', 'The launch form is larger than 64 kB.');
  const form = await request.formData();
  const fields: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === 'string') fields[key] = value;
  const parsed = formSchema.safeParse(fields);
  if (!parsed.success)
    throw refuse(
      400,
      'This launch is malformed',
      `The launch field ${String(parsed.error.issues[0]?.path[0])} is too long or empty.`,
    );
  return parsed.data;
}

/** The platform the token claims to come from, by issuer and audience, before its signature is checked. */
async function platformFor(db: Db, token: string): Promise<Platform> {
  let header;
  let claims: JWTPayload;
  try {
    header = decodeProtectedHeader(token);
    claims = decodeJwt(token);
  } catch {
    throw refuse(400, 'The launch token is unreadable', 'The id_token is not a well-formed JSON Web Token.');
  }
  if (header.alg !== 'RS256') {
    throw refuse(
      401,
      'The launch token is not signed acceptably',
      `The id_token uses the algorithm "${String(header.alg)}"; only RS256 is accepted.`,
    );
  }
  if (typeof claims.iss !== 'string')
    throw refuse(400, 'The launch token has no issuer', 'The id_token has no iss claim.');
  const audiences = Array.isArray(claims.aud) ? claims.aud : typeof claims.aud === 'string' ? [claims.aud] : [];
  const candidates = typeof claims.azp === 'string' ? [claims.azp, ...audiences] : audiences;
  for (const clientId of candidates.slice(0, 10)) {
    const platform = await db.ltiPlatform.findUnique({ where: { issuer_clientId: { issuer: claims.iss, clientId } } });
    if (platform) return platform;
  }
  const known = await db.ltiPlatform.count({ where: { issuer: claims.iss } });
  throw known === 0
    ? refuse(400, 'This LMS is not registered', `The issuer "${claims.iss}" is not registered with this tool.`)
    : refuse(
        401,
        'Wrong audience',
        'The id_token audience (aud) does not contain a client id registered for this LMS.',
      );
}

function verificationProblem(error: unknown): LaunchRefusal {
  if (error instanceof joseErrors.JWTExpired)
    return refuse(
      401,
      'The launch has expired',
      'The id_token has expired (exp is in the past). Open the activity again.',
    );
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return refuse(
      401,
      'The launch signature is wrong',
      "The id_token's signature does not match the LMS's public key.",
    );
  if (error instanceof joseErrors.JWKSNoMatchingKey)
    return refuse(
      401,
      'The launch was signed with an unknown key',
      "The id_token's key id (kid) is not among the LMS's published keys.",
    );
  if (error instanceof joseErrors.JOSEAlgNotAllowed)
    return refuse(401, 'The launch token is not signed acceptably', 'Only RS256 signatures are accepted.');
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return refuse(
      401,
      'The launch token is not valid',
      `The id_token's ${error.claim} claim is not valid (${error.reason}).`,
    );
  if (
    error instanceof joseErrors.JWKSTimeout ||
    error instanceof joseErrors.JWKSInvalid ||
    error instanceof TypeError
  ) {
    return refuse(
      502,
      "The LMS's keys could not be read",
      "This tool could not fetch the LMS's public keys (JWKS URL) to check the launch.",
    );
  }
  if (error instanceof joseErrors.JOSEError)
    return refuse(401, 'The launch token is not valid', `The id_token could not be verified (${error.code}).`);
  return refuse(
    502,
    "The LMS's keys could not be read",
    "This tool could not check the launch against the LMS's public keys.",
  );
}

interface Verified {
  platform: Platform;
  state: { state: string; nonce: string };
  payload: JWTPayload;
}

/** Signature, issuer, audience, expiry, iat and nonce; no writes. */
async function verifyToken(platform: Platform, token: string, nonce: string): Promise<JWTPayload> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, remoteKeySet(platform.jwksUrl), {
      algorithms: ['RS256'],
      issuer: platform.issuer,
      requiredClaims: ['exp', 'iat'],
    }));
  } catch (error) {
    throw verificationProblem(error);
  }
  const aud = payload.aud ?? [];
  const audience = audienceProblem(aud, payload.azp, platform.clientId);
  if (audience) throw refuse(401, 'Wrong audience', `In the id_token, ${audience}.`);
  if (typeof payload.iat !== 'number' || payload.iat > Date.now() / 1000 + IAT_SKEW_SECONDS) {
    throw refuse(
      401,
      'The launch is dated in the future',
      'The id_token was issued (iat) more than 60 seconds in the future.',
    );
  }
  if (payload.nonce !== nonce)
    throw refuse(
      401,
      'The launch nonce is wrong',
      'The id_token nonce is not the one this tool issued for this login, or it was used before.',
    );
  return payload;
}

export async function handleLaunch(db: Db, request: Request): Promise<Response> {
  let platform: Platform | null = null;
  try {
    const form = await readForm(request);
    if (!form.state)
      throw refuse(
        400,
        'The launch has no state',
        'The launch form has no state: start the activity from the LMS again.',
      );
    if (!form.id_token) throw refuse(400, 'The launch has no id_token', 'The launch form has no id_token.');
    platform = await platformFor(db, form.id_token);
    const stateRow = await db.ltiLoginState.findUnique({ where: { state: form.state } });
    if (!stateRow || stateRow.platformId !== platform.id) {
      throw refuse(
        400,
        'The launch state is unknown',
        'The state does not match a login this tool started for this LMS.',
      );
    }
    if (stateRow.usedAt)
      throw refuse(400, 'This launch was already used', 'The state and nonce of this launch were already used once.');
    if (stateRow.expiresAt.getTime() <= Date.now())
      throw refuse(400, 'The launch has expired', 'The login state has expired. Open the activity again.');

    // The browser binding: our state cookie, else the platform's client-side storage, else the one-time new-tab token.
    const cookie = stateCookieStatus(request.headers.get('cookie'), form.state);
    let bound: 'cookie' | 'storage' | 'continue' | null = null;
    if (cookie === 'match') bound = 'cookie';
    else if (form.lti_storage_state !== undefined && form.lti_storage_state === form.state && form.lti_storage_target)
      bound = 'storage';
    else if (form.continue && stateRow.continueToken && sha256(form.continue) === stateRow.continueToken)
      bound = 'continue';
    if (!bound && cookie === 'other')
      throw refuse(
        400,
        'The launch state does not match',
        'This browser started a different login than the one this launch answers.',
      );

    const payload = await verifyToken(platform, form.id_token, stateRow.nonce);
    const checked = parseLaunchClaims(payload);
    if (!checked.ok) throw refuse(400, 'The launch message is not valid', `In the launch, ${checked.problem}.`);
    const { launch } = checked;
    const deploymentId = launch.claims[CLAIM.deploymentId];
    const deployment = await db.ltiDeployment.findUnique({
      where: { platformId_deploymentId: { platformId: platform.id, deploymentId } },
    });
    if (!deployment)
      throw refuse(
        403,
        'This deployment is not registered',
        `The deployment id "${deploymentId}" is not registered for this LMS.`,
      );
    if (launch.kind === 'resource-link') {
      const lesson = lessonFromLaunch(launch.claims);
      if (!lesson || !isLessonSlug(lesson))
        throw refuse(
          400,
          'This activity names no lesson',
          'The activity does not name a lesson of this tool (target link URI or a custom "lesson" parameter).',
        );
    }

    if (!bound) {
      if (form.lti_storage_target) return storageReadPage(platform, form.id_token, form.state, form.lti_storage_target);
      if (request.headers.get('sec-fetch-dest') === 'iframe')
        return newTabPage(db, platform, form.id_token, form.state);
      throw refuse(
        400,
        'The launch state is missing',
        'This browser did not keep the login state (its cookie is missing). Open the activity again, or allow cookies for this site.',
      );
    }

    const verified: Verified = { platform, state: stateRow, payload };
    return launch.kind === 'resource-link'
      ? await resourceLinkLaunch(db, request, verified, launch.claims, form.state)
      : await deepLinkingLaunch(db, verified, launch.claims, form.state);
  } catch (error) {
    if (!(error instanceof LaunchRefusal)) throw error;
    await audit(db, 'launch-refused', platform?.issuer ?? null, `${error.title}: ${error.message}`);
    return refusalPage(error.status, error.title, error.message, {
      frameAncestors: platform ? originsOf(platform) : [],
    });
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Reads the state back from the platform's client-side storage (lti.get_data), then posts the launch again. */
function storageReadPage(platform: Platform, idToken: string, state: string, target: string): Response {
  const data = JSON.stringify({ state, target, origin: new URL(platform.authUrl).origin }).replace(/</g, '\\u003c');
  const script = `(function(){var d=${data};var w=window.parent||window.opener;var t=d.target==='_parent'?w:(w&&w.frames[d.target])||w;var f=document.getElementById('relaunch');
window.addEventListener('message',function(e){if(e.origin!==d.origin||!e.data||e.data.subject!=='lti.get_data.response')return;if(typeof e.data.value==='string'){f.elements.lti_storage_state.value=e.data.value;f.submit();}});
t.postMessage({subject:'lti.get_data',message_id:Math.random().toString(36).slice(2),key:'autodidact_state_'+d.state},d.origin);})();`;
  return htmlPage(
    'Checking your login',
    `<h1>Checking your login…</h1><form id="relaunch" method="post" action="/lti/launch"><input type="hidden" name="id_token" value="${escapeHtml(idToken)}"><input type="hidden" name="state" value="${escapeHtml(state)}"><input type="hidden" name="lti_storage_target" value="${escapeHtml(target)}"><input type="hidden" name="lti_storage_state" value=""></form><script>${script}</script>`,
    { frameAncestors: originsOf(platform) },
  );
}

/** Inside an LMS frame that dropped our cookie: a button that continues this same launch, once, in a new tab. */
async function newTabPage(db: Db, platform: Platform, idToken: string, state: string): Promise<Response> {
  const token = randomBytes(24).toString('base64url');
  const set = await db.ltiLoginState.updateMany({
    where: { state, usedAt: null, continueToken: null },
    data: { continueToken: sha256(token) },
  });
  if (set.count !== 1)
    throw refuse(
      400,
      'This launch was already used',
      'This launch already has a new-tab link. Open the activity again from the LMS.',
    );
  return htmlPage(
    'Open in a new tab',
    `<h1>Open in a new tab</h1><p>Your browser keeps this lesson from signing you in inside the course page. Open it in a new tab to continue.</p><form method="post" action="/lti/launch" target="_blank"><input type="hidden" name="id_token" value="${escapeHtml(idToken)}"><input type="hidden" name="state" value="${escapeHtml(state)}"><input type="hidden" name="continue" value="${escapeHtml(token)}"><button type="submit">Open in a new tab</button></form>`,
    { frameAncestors: originsOf(platform) },
  );
}

/** Spends the state (and with it the nonce): exactly once, inside the launch's transaction. */
async function spendState(tx: Db, state: string, nonce: string): Promise<void> {
  const spent = await tx.ltiLoginState.updateMany({
    where: { state, nonce, usedAt: null },
    data: { usedAt: new Date() },
  });
  if (spent.count !== 1)
    throw refuse(400, 'This launch was already used', 'The state and nonce of this launch were already used once.');
}

function untrusted(text: string | undefined, max: number): string | null {
  return cleanText(text, max);
}

async function resourceLinkLaunch(
  db: Db,
  request: Request,
  { platform, state }: Verified,
  claims: ResourceLinkLaunch,
  stateValue: string,
): Promise<Response> {
  const sub = claims.sub;
  const roles = claims[CLAIM.roles];
  const staff = isStaffRole(roles);
  const lessonSlug = lessonFromLaunch(claims)!;
  const deploymentId = claims[CLAIM.deploymentId];
  const context = claims[CLAIM.context];
  const contextId = context?.id ?? `resource-link:${claims[CLAIM.resourceLink].id}`;
  const title = untrusted(context?.title ?? context?.label ?? claims[CLAIM.resourceLink].title, 120) ?? 'LMS course';
  const ags = claims[AGS_CLAIM];
  const nrps = claims[NRPS_CLAIM];
  const name = personName(claims);
  const email = untrusted(claims.email, 254);

  const result = await db.$transaction(async (txClient) => {
    const tx = txClient as unknown as Db;
    await spendState(tx, state.state, state.nonce);
    // The class for (iss, deployment, context), created on the first launch.
    let ctx = await tx.ltiContext.findUnique({
      where: { platformId_deploymentId_contextId: { platformId: platform.id, deploymentId, contextId } },
    });
    if (!ctx) {
      const cohort = await tx.cohort.create({
        data: { name: title, joinCode: newJoinCode(), ownerId: platform.ownerId },
        select: { id: true },
      });
      ctx = await tx.ltiContext.create({
        data: { platformId: platform.id, deploymentId, contextId, title, cohortId: cohort.id },
      });
    }
    ctx = await tx.ltiContext.update({
      where: { id: ctx.id },
      data: {
        ...(nrps ? { membershipsUrl: nrps.context_memberships_url } : {}),
        ...(ags?.lineitems ? { lineItemsUrl: ags.lineitems } : {}),
      },
    });
    const link = await tx.ltiResourceLink.upsert({
      where: { contextRowId_resourceLinkId: { contextRowId: ctx.id, resourceLinkId: claims[CLAIM.resourceLink].id } },
      create: {
        contextRowId: ctx.id,
        resourceLinkId: claims[CLAIM.resourceLink].id,
        lessonSlug,
        title: untrusted(claims[CLAIM.resourceLink].title, 200),
        lineItemUrl: ags?.lineitem ?? null,
      },
      update: { lessonSlug, ...(ags?.lineitem ? { lineItemUrl: ags.lineitem } : {}) },
    });
    // The person (iss, sub): one learner, kept across launches so progress stays.
    let user = await tx.ltiUser.findUnique({ where: { platformId_sub: { platformId: platform.id, sub } } });
    if (!user) {
      const learner = await tx.learner.create({ data: { displayName: name }, select: { id: true } });
      user = await tx.ltiUser.create({
        data: { platformId: platform.id, sub, learnerId: learner.id, name, email, roles: roles.join(' ') },
      });
    } else {
      await tx.ltiUser.update({
        where: { platformId_sub: { platformId: platform.id, sub } },
        data: { ...(name ? { name } : {}), ...(email ? { email } : {}), roles: roles.join(' ') },
      });
      if (name)
        await tx.learner.update({ where: { id: user.learnerId }, data: { displayName: name }, select: { id: true } });
    }
    let instructorId: string | null = null;
    if (staff) {
      instructorId = user.instructorId;
      if (!instructorId) {
        instructorId = randomUUID();
        // A synthetic address: an LMS can assert any email, so an LMS account is never joined to
        // an existing instructor by email (that would let one platform reach another's classes).
        const address = `lti-${sha256(`${platform.id}\n${sub}`).slice(0, 24)}@lti.invalid`;
        await tx.instructor.create({
          data: { id: instructorId, name: name ?? 'LMS instructor', email: address, emailVerified: false },
          select: { id: true },
        });
        await tx.ltiUser.update({
          where: { platformId_sub: { platformId: platform.id, sub } },
          data: { instructorId },
        });
      }
      const cohort = await tx.cohort.findUniqueOrThrow({ where: { id: ctx.cohortId }, select: { ownerId: true } });
      if (!cohort.ownerId) {
        await tx.cohort.update({ where: { id: ctx.cohortId }, data: { ownerId: instructorId }, select: { id: true } });
      } else if (cohort.ownerId !== instructorId) {
        await tx.cohortStaff.upsert({
          where: { cohortId_instructorId: { cohortId: ctx.cohortId, instructorId } },
          create: { cohortId: ctx.cohortId, instructorId, role: 'instructor' },
          update: {},
          select: { cohortId: true },
        });
      }
    } else {
      await tx.enrollment.upsert({
        where: { cohortId_learnerId: { cohortId: ctx.cohortId, learnerId: user.learnerId } },
        create: { cohortId: ctx.cohortId, learnerId: user.learnerId },
        update: {},
        select: { cohortId: true },
      });
      await tx.ltiGradeLink.upsert({
        where: { learnerId_resourceLinkId: { learnerId: user.learnerId, resourceLinkId: link.id } },
        create: { learnerId: user.learnerId, resourceLinkId: link.id, lessonSlug, sub },
        update: { lessonSlug },
        select: { learnerId: true },
      });
      // A "Started" score at the first launch, so the gradebook shows the learner began.
      const now = new Date();
      await tx.ltiScoreOutbox.upsert({
        where: { id: `start:${user.learnerId}:${link.id}` },
        create: {
          id: `start:${user.learnerId}:${link.id}`,
          learnerId: user.learnerId,
          resourceLinkId: link.id,
          responseId: 'launch',
          createdAt: now,
          nextAttemptAt: now,
        },
        update: {},
        select: { id: true },
      });
    }
    const session = await tx.session.create({
      data: {
        id: randomBytes(32).toString('base64url'),
        learnerId: user.learnerId,
        expiresAt: new Date(Date.now() + SESSION_TTL_SECONDS * 1000),
      },
      select: { id: true, learnerId: true },
    });
    return { cohortId: ctx.cohortId, contextRowId: ctx.id, session, instructorId };
  });

  const cookies = [clearStateCookie(stateValue), crossSite(await sessionCookie(result.session))];
  const framed = request.headers.get('sec-fetch-dest') === 'iframe';
  const origins = originsOf(platform);
  if (result.instructorId) {
    cookies.push(...(await startInstructorSession(db, result.instructorId, request.headers)));
    syncRosterInBackground(db, result.contextRowId);
    const dashboard = `/instructor/classes/${result.cohortId}`;
    if (framed) {
      // The dashboard is never framed (it holds every learner's data): offer it in a new tab.
      const page = htmlPage(
        'Open the class dashboard',
        `<h1>Your class is ready</h1><p>The dashboard for this course opens in its own tab.</p><p><a class="button" href="${escapeHtml(dashboard)}" target="_blank" rel="noopener">Open the class dashboard in a new tab</a></p>`,
        { frameAncestors: origins },
      );
      return withCookies(page, cookies);
    }
    return redirect(dashboard, cookies);
  }
  wakeOutbox();
  if (framed) {
    sessionSecret();
    const frame = origins.join(' ');
    const sig = signFrame(frame, lessonSlug);
    if (sig) return redirect(`/lti/lessons/${lessonSlug}?${new URLSearchParams({ frame, sig }).toString()}`, cookies);
  }
  return redirect(`/lessons/${lessonSlug}`, cookies);
}

function redirect(location: string, cookies: string[]): Response {
  const headers = new Headers({ Location: location, 'Cache-Control': 'no-store' });
  for (const cookie of cookies) headers.append('Set-Cookie', cookie);
  return new Response(null, { status: 302, headers });
}

function withCookies(response: Response, cookies: string[]): Response {
  for (const cookie of cookies) response.headers.append('Set-Cookie', cookie);
  return response;
}

async function deepLinkingLaunch(
  db: Db,
  { platform, state }: Verified,
  claims: DeepLinkingLaunch,
  stateValue: string,
): Promise<Response> {
  if (!isStaffRole(claims[CLAIM.roles])) {
    throw refuse(
      403,
      'Only instructors can add activities',
      'Adding a lesson to a course needs an instructor role in the LMS.',
    );
  }
  await db.$transaction(async (tx) => spendState(tx as unknown as Db, state.state, state.nonce));
  const response = await deepLinkingPicker(db, platform, claims);
  response.headers.append('Set-Cookie', clearStateCookie(stateValue));
  return response;
}
