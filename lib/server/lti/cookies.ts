import 'server-only';

import { parseCookie, stringifySetCookie } from 'cookie';

/**
 * The OIDC state cookie. The platform's form post to /lti/launch is cross-site, so the cookie
 * must be SameSite=None; Secure (Chromium accepts Secure cookies on http://localhost). One cookie
 * per login, named after its state, so two launches in two tabs do not overwrite each other.
 */

const PREFIX = 'autodidact_lti_';

export function stateCookieName(state: string): string {
  // States are base64url: safe in a cookie name.
  return `${PREFIX}${state}`;
}

export function stateCookie(state: string, maxAgeSeconds: number): string {
  return stringifySetCookie({
    name: stateCookieName(state),
    value: '1',
    httpOnly: true,
    secure: true,
    sameSite: 'none',
    // CHIPS: a browser that blocks third-party cookies still keeps a partitioned one inside the
    // LMS frame (keyed to the LMS's site), so the launch in the same frame finds it.
    partitioned: true,
    path: '/lti/',
    maxAge: maxAgeSeconds,
  });
}

export function clearStateCookie(state: string): string {
  return stringifySetCookie({
    name: stateCookieName(state),
    value: '',
    httpOnly: true,
    secure: true,
    sameSite: 'none',
    partitioned: true,
    path: '/lti/',
    maxAge: 0,
  });
}

/** 'match' when this browser holds the state's cookie, 'other' when it holds only other states' cookies, 'none' when it holds no state cookie. */
export function stateCookieStatus(cookieHeader: string | null, state: string): 'match' | 'other' | 'none' {
  if (!cookieHeader) return 'none';
  const cookies = parseCookie(cookieHeader);
  if (cookies[stateCookieName(state)] === '1') return 'match';
  return Object.keys(cookies).some((name) => name.startsWith(PREFIX)) ? 'other' : 'none';
}

/**
 * A Set-Cookie value made cross-site capable (SameSite=None; Secure; Partitioned), for sessions
 * started by a launch: inside an LMS frame the session cookie is a third-party cookie, which
 * browsers keep only when partitioned (CHIPS). A top-level launch's partition is the tool's own site.
 */
export function crossSite(setCookie: string): string {
  const parts = setCookie.split(/;\s*/).filter((part) => !/^(samesite|secure|partitioned)(=|$)/i.test(part));
  return [...parts, 'SameSite=None', 'Secure', 'Partitioned'].join('; ');
}
