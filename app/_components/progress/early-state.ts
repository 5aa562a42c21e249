/**
 * The lesson state request, started by the page itself while its HTML is still being parsed
 * (issue 16, item 1; docs/decisions/013, eighth session). The lesson page is static and large
 * (about 800 kB of HTML with its typeset math and payload): its JavaScript arrives, is evaluated
 * and hydrates hundreds of milliseconds after the first bytes. A learner who lands on a question
 * needs the learner's state (their numbers, options and attempts) as soon as the quiz hydrates,
 * so a tiny script in the page's head starts the request at once and leaves the pending response
 * on `window`; session-client.ts adopts it (once) instead of asking again.
 *
 * - An async script of its own (`/api/lessons/<slug>/state/early.js`, from earlyStateScript),
 *   not inline: an inline script waits for the page's stylesheets and holds the HTML parser
 *   until they arrive (measured: 440 ms of a loaded server's CSS delay added to the parse); an
 *   async script neither waits for them nor blocks the parser.
 * - Not `<link rel="preload" as="fetch">`: a preloaded response is reused only when the later
 *   fetch matches its mode, credentials and cache settings exactly, and a miss would silently send
 *   a second request that creates a second session.
 * - The script may run after the page's own JavaScript (a slow response): session-client marks
 *   the request as started (STATE_STARTED_KEY) and the script then does nothing, so there is one
 *   request either way.
 */

/** The property of `window` that holds the early request. */
export const EARLY_STATE_KEY = '__autodidactLessonState';

/** Set on `window` once session-client has started (or adopted) a state request. */
export const STATE_STARTED_KEY = '__autodidactLessonStateStarted';

export interface EarlyState {
  slug: string;
  response: Promise<Response>;
}

/**
 * The early script for a lesson: ES5, no dependencies, never throws, and does nothing when the
 * page has already asked (or the script runs twice). The slug comes from the lesson catalog; it
 * is still JSON-encoded with `<` escaped, so the text is safe inline as well.
 */
export function earlyStateScript(lessonSlug: string): string {
  const slug = JSON.stringify(lessonSlug).replace(/</g, '\\u003c');
  const key = JSON.stringify(EARLY_STATE_KEY);
  const started = JSON.stringify(STATE_STARTED_KEY);
  return (
    `(function(){try{if(window[${key}]||window[${started}])return;var s=${slug},r=fetch(` +
    `"/api/lessons/"+encodeURIComponent(s)+"/state",{cache:"no-store",credentials:"same-origin"});` +
    `r.catch(function(){});window[${key}]={slug:s,response:r}}catch(e){}})();`
  );
}

/** Where the page loads its early script from (app/api/lessons/[slug]/state/early.js). */
export function earlyStateScriptUrl(lessonSlug: string): string {
  return `/api/lessons/${encodeURIComponent(lessonSlug)}/state/early.js`;
}
