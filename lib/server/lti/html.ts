import 'server-only';

import { contentSecurityPolicy } from '@/lib/security-headers.mjs';

/**
 * The small HTML pages the LTI routes answer with (refusals, the lesson picker, auto-posted forms,
 * "Open in a new tab"). Every value is escaped: names and titles come from the platform and are
 * untrusted text. Each page carries its own Content-Security-Policy: frame-ancestors lists the
 * registered platforms' origins (and only those) because these pages open inside the LMS.
 */

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export interface PageOptions {
  status?: number;
  /** Origins allowed to frame this page; empty keeps it unframeable. */
  frameAncestors?: readonly string[];
  /** Extra origins forms may post to (the platform's deep_link_return_url). */
  formAction?: readonly string[];
  headers?: Record<string, string>;
}

export function pageHeaders(options: PageOptions = {}): Record<string, string> {
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': contentSecurityPolicy({
      dev: process.env.NODE_ENV === 'development',
      frameAncestors: options.frameAncestors?.length ? [...options.frameAncestors] : ["'none'"],
      formAction: ["'self'", ...(options.formAction ?? [])],
    }),
    ...(options.frameAncestors?.length ? {} : { 'X-Frame-Options': 'DENY' }),
    ...options.headers,
  };
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a;background:#fff}
@media (prefers-color-scheme:dark){body{color:#eee;background:#121212}a{color:#9cf}}
button,.button{font:inherit;padding:.5rem 1rem;border-radius:.4rem;border:1px solid currentColor;background:transparent;color:inherit;cursor:pointer}
button:focus-visible,a:focus-visible{outline:3px solid #3b82f6;outline-offset:2px}
ul{padding:0;list-style:none}li{margin:.5rem 0}`;

/** A whole page; `body` is HTML the caller built with escapeHtml. */
export function htmlPage(title: string, body: string, options: PageOptions = {}): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
  return new Response(html, { status: options.status ?? 200, headers: pageHeaders(options) });
}

/** A refusal: says what failed, in plain words, without any detail of the server. */
export function refusalPage(status: number, title: string, message: string, options: PageOptions = {}): Response {
  return htmlPage(
    title,
    `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p>Go back to your course and open the activity again. If this keeps happening, tell your instructor or the LMS administrator what this page says.</p>`,
    { ...options, status },
  );
}

/**
 * A form that posts itself as soon as the page loads (the deep linking response, a launch that
 * continues). A button remains for browsers without scripts. The inline script is allowed by the
 * app's CSP ('unsafe-inline', lib/security-headers.mjs).
 */
export function autoPostPage(
  title: string,
  action: string,
  fields: Record<string, string>,
  options: PageOptions & { target?: string } = {},
): Response {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return htmlPage(
    title,
    `<h1>${escapeHtml(title)}</h1><form id="autopost" method="post" action="${escapeHtml(action)}"${options.target ? ` target="${escapeHtml(options.target)}"` : ''}>${inputs}<button type="submit">Continue</button></form><script>document.getElementById('autopost').submit();</script>`,
    options,
  );
}
