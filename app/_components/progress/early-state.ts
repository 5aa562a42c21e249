/**
 * The lesson state request, started by the page itself while its HTML is still being parsed
 * (issue 16, item 1; docs/decisions/013, eighth session). The lesson page is static and large
 * (about 700 kB of HTML with its typeset math): its JavaScript arrives, is evaluated and
 * hydrates hundreds of milliseconds after the first bytes. A learner who lands on a question
 * needs the learner's state (their numbers, options and attempts) as soon as the quiz hydrates,
 * so a few bytes of inline script near the top of the page start the request at once and leave
 * the pending response on `window`; session-client.ts adopts it (once) instead of asking again.
 *
 * Inline, not `<link rel="preload" as="fetch">`: a preloaded response is reused only when the
 * later fetch matches its mode, credentials and cache settings exactly, and a miss would silently
 * send a second request that creates a second session. The content security policy allows inline
 * scripts already (lib/security-headers.mjs: the App Router streams its payload through them).
 */

/** The property of `window` that holds the early request. */
export const EARLY_STATE_KEY = '__autodidactLessonState';

export interface EarlyState {
  slug: string;
  response: Promise<Response>;
}

/**
 * The inline script for a lesson: ES5, no dependencies, never throws. The slug comes from the
 * lesson catalog; it is still JSON-encoded with `<` escaped so it cannot end the script element.
 */
export function earlyStateScript(lessonSlug: string): string {
  const slug = JSON.stringify(lessonSlug).replace(/</g, '\\u003c');
  const key = JSON.stringify(EARLY_STATE_KEY);
  return (
    `(function(){try{var s=${slug},r=fetch("/api/lessons/"+encodeURIComponent(s)+"/state",` +
    `{cache:"no-store",credentials:"same-origin"});r.catch(function(){});window[${key}]={slug:s,response:r}}catch(e){}})();`
  );
}

/**
 * The jump to a fragment when a learner lands on `#question-…` (or any anchor) is instant, not
 * smooth. globals.css makes in-page navigation smooth (for motion-tolerant readers), and Chrome
 * applies that to the landing's own fragment scroll too: a smooth scroll from the top of a
 * 30,000 px lesson, started only once the document has loaded, that renders every lesson block it
 * passes (each is `content-visibility: auto`) on its way to the question. Measured, the question
 * came into view half a second or more after its input was usable, and most of the desktop's
 * layout work at load was that journey (docs/decisions/013, eighth session). So the inline style
 * `scroll-behavior: auto` holds from the top of the page until the learner first acts (a pointer,
 * a key, a wheel, a touch); their own jumps from then on are smooth again.
 */
export function instantLandingScript(): string {
  return (
    `(function(){try{if(!location.hash)return;var h=document.documentElement.style;h.scrollBehavior="auto";` +
    `var e=["pointerdown","keydown","wheel","touchstart"],f=function(){h.scrollBehavior="";` +
    `for(var i=0;i<e.length;i++)removeEventListener(e[i],f,true)};` +
    `for(var i=0;i<e.length;i++)addEventListener(e[i],f,{capture:true,passive:true})}catch(x){}})();`
  );
}
