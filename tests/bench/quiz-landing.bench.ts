/**
 * Landing on a question (issue 16, item 1; docs/decisions/013), printed, never asserted: for each
 * knowledge-check question, at a phone and a desktop width, a fresh browser context opens the
 * lesson at `#question-<id>` (a first visit: no cookie, no cache) and this prints, from
 * navigation start:
 *
 * - the document: response end, DOMContentLoaded;
 * - the last first-load script's response end (the JS the quiz needs);
 * - the state request (`/api/lessons/<slug>/state`): when it started, its server time (the
 *   route's Server-Timing `app` entry) and its response end;
 * - when the question's first input was hydrated (React has attached its props to it), when it
 *   was enabled, and when it was shown: enabled with the question's start (its prompt) inside the
 *   viewport, what the learner sees and can use (the page may still be scrolling to the question); checked on every animation frame;
 * - long tasks before that moment.
 *
 *   NEXT_DIST_DIR=.next-bench npx next build && NEXT_DIST_DIR=.next-bench npm run bench:quiz-landing
 *
 * BENCH_RUNS (default 1) repeats the eleven landings per width; BENCH_CPU_THROTTLE (default 1)
 * emulates a slower phone. BENCH_EARLY_STATE=0 measures the page as it was before this session's
 * landing work (docs/decisions/013, eighth session): the document is served without its early
 * state script (app/_components/progress/early-state.ts), so the quiz's own module asks once its
 * JavaScript has run, and with the stylesheet's smooth scrolling forced back on, so it carries the
 * learner to the question; for before/after figures from one build. BENCH_EARLY_STATE=both
 * alternates the two per landing, so a machine whose load changes during the run weighs on both
 * alike. Both sides receive the document through the same interception, so it costs them alike.
 * ("early script yes" on the before side is React adding the removed script after hydration,
 * when the quiz has already asked: it then does nothing.)
 *
 * BENCH_COMPARE_DIST=<build folder> compares two builds the same way: a second server serves
 * that build, and every landing is made on both, one after the other, so a machine whose speed
 * drifts during the run (seen here: a build's median moved by 300 ms in half an hour) weighs on
 * both alike. Each side prints its own summary line, with `build` naming it.
 *
 *   NEXT_DIST_DIR=.next-before npx next build   # on the commit before a change
 *   NEXT_DIST_DIR=.next-after npx next build    # with it
 *   NEXT_DIST_DIR=.next-before BENCH_COMPARE_DIST=.next-after npm run bench:quiz-landing
 */
import { cpus, loadavg } from 'node:os';

import { chromium, type Browser } from '@playwright/test';

import {
  formulaPractice,
  graphPractice,
  knowledgeCheck,
  networkPractice,
} from '../../content/lessons/chain-rule-computational-graphs/questions';

import { CHROMIUM_FLAGS, CHROMIUM_PATH, distDir, median, quantile, startServer } from './bench-server';

const LESSON = '/lessons/chain-rule-computational-graphs';
/** Every question of the knowledge check, in page order (issue 16, item 1: any question, any route). */
const QUESTIONS = [...knowledgeCheck, ...graphPractice, ...formulaPractice, ...networkPractice].map(
  (question) => question.id,
);
const WIDTHS = [
  { name: 'phone', viewport: { width: 390, height: 600 }, isMobile: true },
  { name: 'desktop', viewport: { width: 1280, height: 800 }, isMobile: false },
];
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const CPU_THROTTLE = Number(process.env.BENCH_CPU_THROTTLE ?? 1);
/** '1' (default): the page as built; '0': without its early-state script; 'both': alternating, landing by landing. */
const MODES: boolean[] =
  process.env.BENCH_EARLY_STATE === 'both' ? [false, true] : [process.env.BENCH_EARLY_STATE !== '0'];
/** A second build to land on after each landing on NEXT_DIST_DIR's (see the header). */
const COMPARE_DIST = process.env.BENCH_COMPARE_DIST?.trim() || null;

/** One way of landing: a build (its server) and whether its document keeps the early state script. */
interface Side {
  build: string;
  baseUrl: string;
  earlyState: boolean;
}

/** The page as it was before: no early state script, smooth scrolling for the landing too. */
function withoutLandingWork(html: string): string {
  return html
    .replace(/<script[^>]*src="[^"]*\/state\/early\.js"[^>]*><\/script>/, '')
    .replace('</head>', '<style>html{scroll-behavior:smooth!important}</style></head>');
}

interface Landing {
  question: string;
  documentEnd: number;
  dcl: number;
  scriptsEnd: number;
  stateRequests: number;
  earlyScript: boolean;
  stateStart: number;
  stateServer: number;
  stateEnd: number;
  hydrated: number;
  enabled: number;
  shown: number;
  longTasks: number;
  longTaskMs: number;
}

/**
 * Installed before any page script: watches the question's first input on every frame. A string,
 * not a function: tsx would wrap the inner functions' names in a helper the page does not have.
 */
const watchInput = (questionId: string) => `(() => {
  const found = { hydrated: NaN, enabled: NaN, shown: NaN, longTasks: [] };
  window.__landing = found;
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) found.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  const check = () => {
    const input = document.querySelector(${JSON.stringify(`[data-question="${questionId}"] form input`)});
    if (input && Number.isNaN(found.hydrated) && Object.keys(input).some((key) => key.startsWith('__reactProps$'))) {
      found.hydrated = performance.now();
    }
    if (input && !input.disabled && Number.isNaN(found.enabled)) found.enabled = performance.now();
    if (input && !input.disabled && Number.isNaN(found.shown)) {
      // The question's start (its prompt) in view; a long prompt may push the input below a phone's fold.
      const top = document.querySelector(${JSON.stringify(`[data-question="${questionId}"]`)}).getBoundingClientRect().top;
      if (top >= 0 && top < innerHeight) found.shown = performance.now();
    }
    if (Number.isNaN(found.shown)) requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();`;

async function land(
  browser: Browser,
  baseUrl: string,
  width: (typeof WIDTHS)[number],
  id: string,
  earlyState = true,
): Promise<Landing> {
  const context = await browser.newContext({ viewport: width.viewport, isMobile: width.isMobile });
  const page = await context.newPage();
  if (CPU_THROTTLE > 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLE });
  }
  await page.addInitScript({ content: watchInput(id) });
  await page.route(`**${LESSON}`, async (route) => {
    const response = await route.fetch();
    const html = await response.text();
    await route.fulfill({ response, body: earlyState ? html : withoutLandingWork(html) });
  });
  await page.goto(new URL(`${LESSON}#question-${id}`, baseUrl).href, { waitUntil: 'commit' });
  await page.waitForFunction(
    () => !Number.isNaN((window as unknown as { __landing: { shown: number } }).__landing.shown),
    null,
    {
      timeout: 60_000,
    },
  );
  const figures = await page.evaluate(() => {
    const found = (
      window as unknown as {
        __landing: {
          hydrated: number;
          enabled: number;
          shown: number;
          longTasks: { start: number; duration: number }[];
        };
      }
    ).__landing;
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const states = resources.filter((entry) => /\/api\/lessons\/[^/]+\/state$/.test(new URL(entry.name).pathname));
    const state = states[0];
    const scripts = resources.filter(
      (entry) => entry.initiatorType === 'script' || (entry.initiatorType === 'link' && entry.name.endsWith('.js')),
    );
    const firstLoad = scripts.filter((entry) => entry.startTime < navigation.domContentLoadedEventEnd);
    const before = found.longTasks.filter((task) => task.start < found.shown);
    return {
      documentEnd: navigation.responseEnd,
      dcl: navigation.domContentLoadedEventEnd,
      scriptsEnd: Math.max(0, ...firstLoad.map((entry) => entry.responseEnd)),
      stateRequests: states.length,
      earlyScript: resources.some((entry) => entry.name.endsWith('/state/early.js')),
      stateStart: state ? state.startTime : Number.NaN,
      stateServer: state?.serverTiming.find((entry) => entry.name === 'app')?.duration ?? Number.NaN,
      stateEnd: state ? state.responseEnd : Number.NaN,
      hydrated: found.hydrated,
      enabled: found.enabled,
      shown: found.shown,
      longTasks: before.length,
      longTaskMs: before.reduce((sum, task) => sum + task.duration, 0),
    };
  });
  await context.close();
  return { question: id, ...figures };
}

const r = (value: number) => (Number.isFinite(value) ? Math.round(value) : 'n/a');

async function main() {
  const server = await startServer();
  const compare = COMPARE_DIST
    ? { build: COMPARE_DIST, server: await startServer(COMPARE_DIST).catch(stopFirst(server)) }
    : null;
  const sides: Side[] = MODES.map((earlyState) => ({ build: distDir, baseUrl: server.baseUrl, earlyState }));
  if (compare) sides.push({ build: compare.build, baseUrl: compare.server.baseUrl, earlyState: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
  const load = loadavg();
  console.error(
    `[bench] ${cpus().length} cores, load average ${load.map((v) => v.toFixed(2)).join(' ')}, build ${distDir}${compare ? ` vs ${compare.build}` : ''}`,
  );
  try {
    // One warm-up landing per server so its first-request costs (route compilation, database open) are not a question's.
    for (const baseUrl of new Set(sides.map((side) => side.baseUrl)))
      await land(browser, baseUrl, WIDTHS[1]!, QUESTIONS[0]!);
    for (const width of WIDTHS) {
      const all = new Map<Side, Landing[]>(sides.map((side) => [side, []]));
      for (let run = 0; run < RUNS; run++) {
        for (const id of QUESTIONS) {
          for (const side of sides) {
            const landing = await land(browser, side.baseUrl, width, id, side.earlyState);
            all.get(side)!.push(landing);
            const label = `${compare ? ` [${side.build}]` : ''}${side.earlyState ? '' : ' (no early state)'}`;
            console.error(
              `[bench] ${width.name}${label} ${id}: document ${r(landing.documentEnd)}, DCL ${r(landing.dcl)}, scripts ${r(landing.scriptsEnd)}, ` +
                `early script ${landing.earlyScript ? 'yes' : 'no'}, state (${landing.stateRequests}) start ${r(landing.stateStart)} server ${r(landing.stateServer)} end ${r(landing.stateEnd)}, ` +
                `hydrated ${r(landing.hydrated)}, enabled ${r(landing.enabled)}, shown ${r(landing.shown)} ms; long tasks ${landing.longTasks} (${r(landing.longTaskMs)} ms)`,
            );
          }
        }
      }
      for (const [side, landings] of all) {
        const summary = (pick: (landing: Landing) => number) => {
          const values = landings.map(pick).filter(Number.isFinite);
          return { median: r(median(values)), p95: r(quantile(values, 0.95)), max: r(Math.max(...values)) };
        };
        console.log(
          JSON.stringify({
            bench: 'quiz-landing',
            width: width.name,
            cpuThrottle: CPU_THROTTLE,
            build: side.build,
            earlyState: side.earlyState,
            landings: landings.length,
            underOneSecond: landings.filter((landing) => landing.shown < 1000).length,
            shown: summary((landing) => landing.shown),
            enabled: summary((landing) => landing.enabled),
            hydrated: summary((landing) => landing.hydrated),
            stateStart: summary((landing) => landing.stateStart),
            stateServer: summary((landing) => landing.stateServer),
            stateEnd: summary((landing) => landing.stateEnd),
            scriptsEnd: summary((landing) => landing.scriptsEnd),
            dcl: summary((landing) => landing.dcl),
            loadAverage: loadavg().map((v) => Number(v.toFixed(2))),
          }),
        );
      }
    }
  } finally {
    await browser.close();
    await server.stop();
    await compare?.server.stop();
  }
}

/** Stops the first server when the second cannot start, then fails as before. */
function stopFirst(server: { stop(): Promise<void> }) {
  return async (error: unknown): Promise<never> => {
    await server.stop();
    throw error;
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
