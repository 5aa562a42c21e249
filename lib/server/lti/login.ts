import 'server-only';

import { randomBytes } from 'node:crypto';

import { z } from 'zod';

import type { Db } from '../db/client';
import { stateCookie } from './cookies';
import { escapeHtml, htmlPage, refusalPage } from './html';
import { baseUrl, findPlatform, originsOf } from './platforms';
import { audit } from './audit';

/**
 * OIDC third-party initiated login (LTI Core 1.3 §5.1.1). The platform sends the browser here;
 * we remember a fresh state and nonce (in the database, and in a cookie or the platform's
 * client-side storage for this browser) and send it on to the platform's authorization URL.
 */

export const STATE_TTL_SECONDS = 10 * 60;

// Platforms add parameters of their own, so unknown ones are ignored rather than refused;
// the ones we read are checked.
const loginSchema = z.object({
  iss: z.string().trim().min(1, 'is missing').max(2048),
  login_hint: z.string().min(1, 'is missing').max(4096),
  target_link_uri: z.string().max(2048).url('must be a URL'),
  lti_message_hint: z.string().max(4096).optional(),
  client_id: z.string().min(1).max(255).optional(),
  lti_deployment_id: z.string().max(255).optional(),
  lti_storage_target: z.string().max(100).optional(),
});

/** Reads the login parameters from the query string (GET) or the form body (POST). */
export async function loginParams(request: Request): Promise<Record<string, string>> {
  const params: Record<string, string> = {};
  const url = new URL(request.url);
  for (const [key, value] of url.searchParams) params[key] = value;
  if (request.method === 'POST') {
    const type = request.headers.get('content-type') ?? '';
    if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
      const form = await request.formData();
      for (const [key, value] of form) if (typeof value === 'string') params[key] = value;
    }
  }
  return params;
}

export async function handleLogin(db: Db, request: Request): Promise<Response> {
  const raw = await loginParams(request);
  const parsed = loginSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refusalPage(
      400,
      'This login request is incomplete',
      `The LMS sent a login request whose ${String(issue?.path[0] ?? 'parameters')} ${issue?.message ?? 'is wrong'}.`,
    );
  }
  const params = parsed.data;
  const platform = await findPlatform(db, params.iss, params.client_id);
  if (!platform) {
    const known = await db.ltiPlatform.count({ where: { issuer: params.iss } });
    const message =
      known === 0
        ? `The LMS "${params.iss}" is not registered with this tool. Ask the administrator to register it (LMS connections, or npm run lti:platform -- add).`
        : params.client_id
          ? `The client id "${params.client_id}" is not registered for the LMS "${params.iss}".`
          : `The LMS "${params.iss}" has several registrations here; its login request must name its client id.`;
    await audit(db, 'login-refused', params.iss, message);
    return refusalPage(400, 'This LMS is not registered', message);
  }
  const base = baseUrl();
  if (new URL(params.target_link_uri).origin !== new URL(base).origin) {
    return refusalPage(
      400,
      'This link points elsewhere',
      `The activity's target link URI is not on this tool (${base}).`,
    );
  }

  const state = randomBytes(24).toString('base64url');
  const nonce = randomBytes(24).toString('base64url');
  await db.ltiLoginState.create({
    data: { state, nonce, platformId: platform.id, expiresAt: new Date(Date.now() + STATE_TTL_SECONDS * 1000) },
    select: { state: true },
  });

  const auth = new URL(platform.authUrl);
  const query: Record<string, string> = {
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: platform.clientId,
    redirect_uri: `${base}/lti/launch`,
    login_hint: params.login_hint,
    state,
    nonce,
  };
  if (params.lti_message_hint !== undefined) query.lti_message_hint = params.lti_message_hint;
  for (const [key, value] of Object.entries(query)) auth.searchParams.set(key, value);

  const headers = { 'Set-Cookie': stateCookie(state, STATE_TTL_SECONDS) };
  if (params.lti_storage_target) {
    // LTI client-side storage (1EdTech "Client Side postMessages"): keep state and nonce in the
    // platform's frame too, since a third-party cookie may not survive inside its iframe.
    return storagePage(
      auth.toString(),
      state,
      nonce,
      params.lti_storage_target,
      new URL(platform.authUrl).origin,
      originsOf(platform),
      headers,
    );
  }
  return new Response(null, {
    status: 302,
    headers: { Location: auth.toString(), 'Cache-Control': 'no-store', ...headers },
  });
}

/** Puts state and nonce into the platform's storage frame with lti.put_data, then continues to the platform. */
function storagePage(
  next: string,
  state: string,
  nonce: string,
  target: string,
  platformOrigin: string,
  frameAncestors: string[],
  headers: Record<string, string>,
): Response {
  const data = JSON.stringify({ next, state, nonce, target, origin: platformOrigin }).replace(/</g, '\\u003c');
  const script = `(function(){var d=${data};var w=window.parent||window.opener;var t=d.target==='_parent'?w:(w&&w.frames[d.target])||w;
var pending=2,done=false;function go(){if(!done){done=true;location.replace(d.next);}}
function put(key,value){var id=Math.random().toString(36).slice(2);t.postMessage({subject:'lti.put_data',message_id:id,key:key,value:value},d.origin);}
window.addEventListener('message',function(e){if(e.origin!==d.origin||!e.data||e.data.subject!=='lti.put_data.response')return;if(--pending===0)go();});
try{put('autodidact_state_'+d.state,d.state);put('autodidact_nonce_'+d.state,d.nonce);}catch(err){go();}
setTimeout(go,2000);})();`;
  return htmlPage(
    'Signing you in',
    `<h1>Signing you in…</h1><p><a href="${escapeHtml(next)}">Continue</a></p><script>${script}</script>`,
    { frameAncestors, headers },
  );
}
