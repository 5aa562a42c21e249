// Drives the tool's LTI handlers the way a browser does, with real Request objects: the OIDC
// login (which sets the state cookie) and the launch form post.
import type { Db } from '@/lib/server/db/client';
import { handleLaunch } from '@/lib/server/lti/launch';
import { handleLogin } from '@/lib/server/lti/login';

import type { TestPlatform } from './platform';

export const TOOL = 'http://localhost:3000';

export interface LoginResult {
  response: Response;
  state: string;
  nonce: string;
  /** The `name=value` of the state cookie. */
  cookie: string;
  location: URL;
}

export async function login(
  db: Db,
  platform: TestPlatform,
  hint = 'learner',
  extra: Record<string, string> = {},
): Promise<LoginResult> {
  const query = new URLSearchParams({
    iss: platform.issuer,
    login_hint: hint,
    target_link_uri: `${TOOL}/lessons/chain-rule-computational-graphs`,
    client_id: platform.clientId,
    lti_deployment_id: platform.deploymentId,
    ...extra,
  });
  const response = await handleLogin(db, new Request(`${TOOL}/lti/login?${query.toString()}`));
  if (response.status !== 302 && response.status !== 200)
    throw new Error(`login answered ${response.status}: ${await response.text()}`);
  const setCookie = response.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0]!;
  const state = cookie.split('=')[0]!.replace('autodidact_lti_', '');
  const row = await db.ltiLoginState.findUniqueOrThrow({ where: { state } });
  const location = new URL(response.headers.get('location') ?? platform.authUrl);
  return { response, state, nonce: row.nonce, cookie, location };
}

export function launchRequest(fields: Record<string, string>, headers: Record<string, string> = {}): Request {
  return new Request(`${TOOL}/lti/launch`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

export async function launch(
  db: Db,
  fields: Record<string, string>,
  cookie: string | null,
  headers: Record<string, string> = {},
): Promise<Response> {
  return handleLaunch(db, launchRequest(fields, { ...(cookie ? { cookie } : {}), ...headers }));
}

/** Login plus a launch with `claims`, as a browser holding the state cookie: the normal path. */
export async function fullLaunch(
  db: Db,
  platform: TestPlatform,
  claims: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Response> {
  const started = await login(db, platform);
  const token = await platform.idToken(claims, { nonce: started.nonce });
  return launch(db, { id_token: token, state: started.state }, started.cookie, headers);
}

/** The `name=value` pairs of every Set-Cookie that sets a value, for the next request's Cookie header. */
export function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((value) => value.split(';')[0]!)
    .filter((pair) => !pair.endsWith('='))
    .join('; ');
}
