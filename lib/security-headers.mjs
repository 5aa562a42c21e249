// HTTP security headers for every response, used by next.config.mjs `headers()`.
// Plain ESM so next.config.mjs can import it without a build step. Reasons and trade-offs:
// docs/decisions/006-postgresql-and-security-headers.md.
//
// script-src: Next's App Router streams the RSC payload through inline <script> tags. The two
// ways to allow them are nonces (set per request by proxy.ts, which forces every page to be
// rendered dynamically: the lesson could no longer be prerendered and cached) or
// 'unsafe-inline'. We keep static pages and allow inline scripts, but only same-origin script
// files, never eval ('unsafe-eval' stays out of production), no plugins, no <base> hijack and
// no framing. React escapes text it renders and lessons are compiled from our own MDX at build
// time, so there is no path for user input into an inline script.
// style-src needs 'unsafe-inline' too: KaTeX's HTML output positions glyphs with style=""
// attributes and React's style props render the same way.

/**
 * The Content-Security-Policy directives; `dev` adds what `next dev` needs (eval for React Refresh, HMR socket).
 * LTI pages (lib/server/lti/html.ts, proxy.ts) pass the registered platforms' origins as
 * `frameAncestors` and, for the deep linking response, the platform's return URL in `formAction`.
 * @param {{ dev?: boolean, frameAncestors?: string[], formAction?: string[] }} [options]
 */
export function contentSecurityPolicy({ dev = false, frameAncestors = ["'none'"], formAction = ["'self'"] } = {}) {
  const directives = {
    'default-src': ["'self'"],
    'script-src': ["'self'", "'unsafe-inline'", ...(dev ? ["'unsafe-eval'"] : [])],
    'style-src': ["'self'", "'unsafe-inline'"],
    // KaTeX's fonts are served by the app from /_next/static/media (no CDN).
    'font-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'connect-src': ["'self'", ...(dev ? ['ws:', 'wss:'] : [])],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': formAction,
    'frame-ancestors': frameAncestors,
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/** Headers for every route. */
export function securityHeaders({ dev = false } = {}) {
  return [
    { key: 'Content-Security-Policy', value: contentSecurityPolicy({ dev }) },
    // frame-ancestors covers current browsers; X-Frame-Options covers old ones.
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    // Lessons need none of these powerful features; deny them to the page and any embed.
    { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
    { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  ];
}

/**
 * Headers for /lti/* (issue 18): everything above except the framing rules. Those pages are reached
 * from an LMS, often inside its iframe, so each response sets its own Content-Security-Policy with
 * frame-ancestors naming the registered platforms' origins only (lib/server/lti/html.ts for route
 * handlers, proxy.ts for the framed lesson page), and never X-Frame-Options, which cannot name origins.
 */
export function ltiBaseHeaders({ dev = false } = {}) {
  return securityHeaders({ dev }).filter(
    (header) => header.key !== 'Content-Security-Policy' && header.key !== 'X-Frame-Options',
  );
}
