/**
 * Widget responsiveness and lesson page weight, measured on a production build in Debian
 * Chromium. Prints figures; it is not a pass/fail test (the exit code is 0 unless the
 * benchmark itself breaks). Run:
 *
 *   NEXT_DIST_DIR=.next-bench npx next build      # once, whenever the sources change
 *   NEXT_DIST_DIR=.next-bench npm run bench:widgets
 *
 * Without a build at NEXT_DIST_DIR (default .next) it builds one first. Options (env):
 *   BENCH_SAMPLES=60        measured slider inputs per widget (after 10 warm-up inputs)
 *   BENCH_CPU_THROTTLE=4    slow the page's CPU down 4x (DevTools' mid-range phone preset)
 *
 * 1. Input to painted update. Playwright presses ArrowRight/ArrowLeft on a focused range
 *    input (trusted key events, so the browser does what a learner's key press does: keydown,
 *    the value change, `input`, React's re-render). In the page, a capturing keydown listener
 *    notes the event's timeStamp (performance.mark 'bench-input'); a microtask queued after the
 *    `input` event has bubbled marks the end of React's synchronous render and commit; the next
 *    requestAnimationFrame callback marks the frame's start, and a task posted from it runs
 *    after the frame's style, layout and paint. Two figures per widget:
 *      - main-thread cost = (input handling + commit) + (frame start -> frame done): the work
 *        the update adds. Target p95 < 16 ms: the update always fits in one 60 Hz frame.
 *      - input -> painted = keydown -> frame done, which also contains the wait for the next
 *        vsync (0-16.7 ms, whatever the widget does), printed for reference.
 *    Cross-check: the Event Timing API ('event' entries, which Chromium only reports at
 *    >= 16 ms, rounded to 8 ms, and which also include the vsync wait) counts slow inputs by
 *    the browser's own clock. Long tasks (PerformanceObserver 'longtask', > 50 ms) are counted
 *    while loading the lesson and during each widget's measured inputs (after 10 warm-up ones).
 *    Widgets: forward-pass (slider `w`) and graph-playground on the ~50-node residual tanh
 *    chain from EXAMPLE_PROGRAMS (slider `w1`). A control comes first: a bare range input
 *    added outside React, measured the same way, whose cost is the harness and machine floor. The machine is shared: read the load average
 *    printed with the figures, and compare runs made under similar load.
 * 2. First-load JS: the gzipped bytes (zlib level 6) of every `<script src>` in the served
 *    HTML of the lesson, against a baseline of the scripts every route in this build loads:
 *    the HTML Next serves for a URL no route matches (the root layout around the built-in
 *    not-found page: React, the Next runtime and router, the root layout's client code). The
 *    home page is printed too. Inline scripts (the RSC payload) are data, not code, and are
 *    not counted. Target lesson <= 1.10x baseline. Chunks only the lesson loads are listed.
 * 3. KaTeX: no script the lesson loads may contain KaTeX's library code (its 'KaTeX parse
 *    error' string; math is rendered at build time), and the KaTeX font files the browser
 *    requests while loading the lesson are listed (want woff2 only, <= 60 kB in total).
 */
import { cpus, loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';

import { chromium, type Browser, type Locator, type Page } from '@playwright/test';

import { CHROMIUM_FLAGS, CHROMIUM_PATH, distDir, median, quantile, startServer } from './bench-server';

import { residualChainSource } from '../../lib/autodiff/examples';

const LESSON = '/lessons/chain-rule-computational-graphs';
const NOT_FOUND = '/__bench-no-such-page__';
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 60);
const WARMUP = 10;
const CPU_THROTTLE = Number(process.env.BENCH_CPU_THROTTLE ?? 1);
const TARGET_P95_MS = 16;
const TARGET_JS_RATIO = 1.1;
const TARGET_FONT_BYTES = 60 * 1024;

interface ScriptInfo {
  src: string;
  bytes: number;
  gzip: number;
  hasKatexLibrary: boolean;
  mentionsKatex: boolean;
}

interface PageScripts {
  path: string;
  status: number;
  scripts: ScriptInfo[];
  gzipTotal: number;
}

const scriptCache = new Map<string, ScriptInfo>();

function scriptSources(html: string): string[] {
  const sources: string[] = [];
  for (const match of html.matchAll(/<script\b[^>]*?\bsrc="([^"]+)"[^>]*>/g)) {
    const src = match[1]!.replaceAll('&amp;', '&');
    if (!sources.includes(src)) sources.push(src);
  }
  return sources;
}

async function scriptInfo(baseUrl: string, src: string): Promise<ScriptInfo> {
  const cached = scriptCache.get(src);
  if (cached) return cached;
  const response = await fetch(new URL(src, baseUrl));
  if (!response.ok) throw new Error(`${src}: HTTP ${response.status}`);
  const body = Buffer.from(await response.arrayBuffer());
  const text = body.toString('utf8');
  const info: ScriptInfo = {
    src,
    bytes: body.length,
    gzip: gzipSync(body, { level: 6 }).length,
    // ParseError's message prefix: present in any bundle that contains KaTeX's parser.
    hasKatexLibrary: text.includes('KaTeX parse error'),
    mentionsKatex: /katex/i.test(text),
  };
  scriptCache.set(src, info);
  return info;
}

async function pageScripts(baseUrl: string, path: string): Promise<PageScripts> {
  const response = await fetch(new URL(path, baseUrl));
  const html = await response.text();
  const scripts = await Promise.all(scriptSources(html).map((src) => scriptInfo(baseUrl, src)));
  return { path, status: response.status, scripts, gzipTotal: scripts.reduce((sum, s) => sum + s.gzip, 0) };
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a');

/** Installed before any page script: long tasks and slow events from the very start. */
function observeInPage() {
  const state = {
    longTasks: [] as { start: number; duration: number }[],
    slowEvents: [] as { name: string; start: number; duration: number }[],
  };
  (window as unknown as { __bench: typeof state }).__bench = state;
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) state.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        state.slowEvents.push({ name: entry.name, start: entry.startTime, duration: entry.duration });
      }
    }).observe({ type: 'event', buffered: true, durationThreshold: 16 } as PerformanceObserverInit);
  } catch {
    // An older browser without these entry types: the figures then read 0.
  }
}

interface InteractionResult {
  widget: string;
  slider: string;
  nodes: number;
  samples: number;
  busyMedianMs: number;
  busyP95Ms: number;
  busyMaxMs: number;
  latencyMedianMs: number;
  latencyP95Ms: number;
  slowEvents: number;
  longTasks: number;
  longestTaskMs: number;
}

/** WidgetFrame sets data-ready on a widget once it has loaded (near the viewport) and handles input. */
async function waitForReady(root: Locator): Promise<void> {
  await root.and(root.page().locator('[data-ready="true"]')).waitFor();
}

interface Sample {
  /** keydown timeStamp -> after the frame that shows the update (includes waiting for vsync). */
  latency: number;
  /** Main-thread time the update cost: input handling and React's commit, plus the frame's work. */
  busy: number;
}

async function measureSlider(page: Page, widget: string, slider: Locator): Promise<InteractionResult> {
  const root = page.locator(`[data-widget="${widget}"]`).first();
  await root.scrollIntoViewIfNeeded();
  await waitForReady(root);
  await slider.focus();
  const samples: Sample[] = [];
  let since = 0;
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    if (i === WARMUP) since = await page.evaluate(() => performance.now());
    const armed = page.evaluate(
      () =>
        new Promise<Sample>((resolve) => {
          let handled = Number.NaN;
          // Bubbling on window runs after React's listener on the root; React flushes a
          // discrete update in a microtask queued during its handler, so this microtask, queued
          // later, runs once React has rendered and committed. (Inline callbacks only: the
          // function is serialised into the page, where tsx's name helper does not exist.)
          window.addEventListener(
            'input',
            () =>
              queueMicrotask(() => {
                handled = performance.now();
              }),
            { once: true },
          );
          document.addEventListener(
            'keydown',
            (event) => {
              const start = event.timeStamp;
              performance.mark('bench-input', { startTime: start });
              requestAnimationFrame(() => {
                // Not the callback's timestamp argument: that is the frame's vsync time, which
                // can precede the input handling (Chromium handles input at the frame's start).
                const frameWork = performance.now();
                const channel = new MessageChannel();
                channel.port1.onmessage = () => {
                  const done = performance.now();
                  const handling = Number.isNaN(handled) ? 0 : handled - start;
                  resolve({ latency: done - start, busy: handling + (done - frameWork) });
                };
                channel.port2.postMessage(null);
              });
            },
            { capture: true, once: true },
          );
        }),
    );
    // Arm the listeners before pressing: evaluate's promise resolves only after the key.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    await slider.press(i % 2 === 0 ? 'ArrowRight' : 'ArrowLeft');
    const sample = await armed;
    if (i >= WARMUP) samples.push(sample);
  }
  const observed = await page.evaluate((from) => {
    const state = (
      window as unknown as {
        __bench: {
          longTasks: { start: number; duration: number }[];
          slowEvents: { name: string; start: number; duration: number }[];
        };
      }
    ).__bench;
    return {
      longTasks: state.longTasks.filter((task) => task.start >= from).map((task) => task.duration),
      slowEvents: state.slowEvents.filter((event) => event.start >= from && event.name === 'keydown').length,
    };
  }, since);
  const busy = samples.map((s) => s.busy);
  const latency = samples.map((s) => s.latency);
  return {
    widget,
    slider: (await slider.getAttribute('aria-label')) ?? '',
    nodes: await root.locator('[data-node]').count(),
    samples: samples.length,
    busyMedianMs: median(busy),
    busyP95Ms: quantile(busy, 0.95),
    busyMaxMs: Math.max(...busy),
    latencyMedianMs: median(latency),
    latencyP95Ms: quantile(latency, 0.95),
    slowEvents: observed.slowEvents,
    longTasks: observed.longTasks.length,
    longestTaskMs: observed.longTasks.length > 0 ? Math.max(...observed.longTasks) : 0,
  };
}

async function openLesson(browser: Browser, baseUrl: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(observeInPage);
  if (CPU_THROTTLE > 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLE });
  }
  const fonts: { url: string; bytes: number }[] = [];
  const scripts: string[] = [];
  page.on('response', (response) => {
    const url = response.url();
    if (/\.js$/.test(new URL(url).pathname) && !scripts.includes(url)) scripts.push(url);
    if (!/\.(woff2?|ttf|otf|eot)(\?|$)/i.test(url)) return;
    response
      .body()
      .then((body) => fonts.push({ url, bytes: body.length }))
      .catch(() => fonts.push({ url, bytes: Number.NaN }));
  });
  await page.goto(new URL(LESSON, baseUrl).href, { waitUntil: 'networkidle' });
  const loadLongTasks = await page.evaluate(() =>
    (window as unknown as { __bench: { longTasks: { duration: number }[] } }).__bench.longTasks.map((t) => t.duration),
  );
  return { context, page, fonts, scripts, loadLongTasks };
}

async function interactions(browser: Browser, baseUrl: string) {
  const { context, page, fonts, scripts, loadLongTasks } = await openLesson(browser, baseUrl);
  const results: (InteractionResult | { widget: string; error: string })[] = [];
  // Control: a bare range input outside React, measured the same way. Its figures are the
  // floor this machine and harness give (a busy shared machine inflates every number).
  await page.evaluate(() => {
    const control = document.createElement('div');
    control.setAttribute('data-widget', 'control');
    control.setAttribute('data-ready', 'true');
    control.innerHTML = '<input type="range" aria-label="control" min="0" max="1" step="0.01" value="0.5">';
    document.body.prepend(control);
  });
  results.push(
    await measureSlider(
      page,
      'control',
      page.locator('[data-widget="control"]').getByRole('slider', { name: 'control' }),
    ),
  );
  await page.evaluate(() => document.querySelector('[data-widget="control"]')?.remove());
  try {
    const forward = page.locator('[data-widget="forward-pass"]').first();
    if ((await forward.count()) === 0) throw new Error('no [data-widget="forward-pass"] on the lesson page');
    results.push(await measureSlider(page, 'forward-pass', forward.getByRole('slider', { name: 'w', exact: true })));
  } catch (error) {
    results.push({ widget: 'forward-pass', error: error instanceof Error ? error.message : String(error) });
  }
  try {
    const playground = page.locator('[data-widget="graph-playground"]').first();
    if ((await playground.count()) === 0) throw new Error('no [data-widget="graph-playground"] on the lesson page');
    // Widgets load when they come near the viewport (lazyWidget).
    await playground.scrollIntoViewIfNeeded();
    await waitForReady(playground);
    // The eight-layer residual chain (~50 nodes; the playground's own example has two layers),
    // typed into the editor as a learner would: the playground lays it out after the pause.
    await playground.getByRole('textbox', { name: 'Program' }).fill(residualChainSource(8));
    await playground.getByRole('slider', { name: 'w1', exact: true }).waitFor();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-widget="graph-playground"] [data-node]').length >= 45,
    );
    results.push(
      await measureSlider(page, 'graph-playground', playground.getByRole('slider', { name: 'w1', exact: true })),
    );
  } catch (error) {
    results.push({ widget: 'graph-playground', error: error instanceof Error ? error.message : String(error) });
  }
  // Every script fetched until the widgets were measured: first-load plus the chunks loaded
  // after it (lazily hydrated widgets; the layout library once the playground changed program).
  const fetchedScripts = [...scripts];
  await context.close();
  return { results, fonts, loadLongTasks, fetchedScripts };
}

async function main() {
  const server = await startServer();
  try {
    const [lesson, baseline, home] = await Promise.all([
      pageScripts(server.baseUrl, LESSON),
      pageScripts(server.baseUrl, NOT_FOUND),
      pageScripts(server.baseUrl, '/'),
    ]);
    if (lesson.status !== 200) throw new Error(`${LESSON} answered HTTP ${lesson.status}`);
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
    let measured: Awaited<ReturnType<typeof interactions>>;
    try {
      measured = await interactions(browser, server.baseUrl);
    } finally {
      await browser.close();
    }

    const ratio = lesson.gzipTotal / baseline.gzipTotal;
    const baselineSources = new Set(baseline.scripts.map((s) => s.src));
    const extra = lesson.scripts.filter((s) => !baselineSources.has(s.src)).sort((a, b) => b.gzip - a.gzip);
    const katexFonts = measured.fonts.filter((font) => /katex/i.test(font.url));
    const fontBytes = katexFonts.reduce((sum, font) => sum + font.bytes, 0);
    const nonWoff2 = katexFonts.filter((font) => !/\.woff2(\?|$)/i.test(font.url));

    console.log(
      `\n# Widget benchmark (build ${distDir}, CPU throttle ${CPU_THROTTLE}x, ${SAMPLES} samples, ` +
        `load average ${loadavg()
          .map((n) => n.toFixed(1))
          .join(' ')} on ${cpus().length} cores)\n`,
    );
    console.log('## Input -> painted update (target p95 < 16 ms)');
    for (const result of measured.results) {
      if ('error' in result) {
        console.log(`- ${result.widget}: NOT MEASURED (${result.error})`);
        continue;
      }
      const verdict =
        result.widget === 'control'
          ? 'floor of this machine'
          : result.busyP95Ms < TARGET_P95_MS
            ? 'meets target'
            : 'MISSES target';
      console.log(
        `- ${result.widget} (slider ${result.slider}, ${result.nodes} drawn nodes): main-thread cost per input ` +
          `median ${ms(result.busyMedianMs)}, p95 ${ms(result.busyP95Ms)}, max ${ms(result.busyMaxMs)} -> ${verdict}; ` +
          `input -> painted (incl. vsync wait) median ${ms(result.latencyMedianMs)}, p95 ${ms(result.latencyP95Ms)}; ` +
          `keydowns >= 16 ms by Event Timing: ${result.slowEvents}/${result.samples}; long tasks: ${result.longTasks}` +
          (result.longTasks > 0 ? ` (longest ${ms(result.longestTaskMs)})` : ''),
      );
    }
    const loadTasks = measured.loadLongTasks;
    console.log(
      `- long tasks while loading the lesson: ${loadTasks.length}` +
        (loadTasks.length > 0 ? ` (${loadTasks.map((d) => ms(d)).join(', ')})` : ''),
    );

    console.log('\n## First-load JS (gzipped <script src> of the served HTML)');
    console.log(
      `- baseline (${NOT_FOUND}, HTTP ${baseline.status}: root layout + not-found): ${kB(baseline.gzipTotal)} in ${baseline.scripts.length} scripts`,
    );
    console.log(
      `- home (/): ${kB(home.gzipTotal)} in ${home.scripts.length} scripts (${(home.gzipTotal / baseline.gzipTotal).toFixed(3)}x)`,
    );
    console.log(
      `- lesson (${LESSON}): ${kB(lesson.gzipTotal)} in ${lesson.scripts.length} scripts -> ${ratio.toFixed(3)}x baseline ` +
        `(${ratio <= TARGET_JS_RATIO ? 'meets' : 'MISSES'} target <= ${TARGET_JS_RATIO}x)`,
    );
    console.log('- scripts the lesson loads beyond the baseline (gzip / raw):');
    for (const script of extra)
      console.log(`    ${kB(script.gzip).padStart(9)} / ${kB(script.bytes).padStart(9)}  ${script.src}`);
    const firstLoad = new Set(lesson.scripts.map((script) => new URL(script.src, server.baseUrl).href));
    const later = await Promise.all(
      measured.fetchedScripts
        .filter((url) => !firstLoad.has(url))
        .map((url) => scriptInfo(server.baseUrl, new URL(url).pathname)),
    );
    console.log(
      `- loaded after first load, by the time the widgets were measured: ${kB(later.reduce((sum, s) => sum + s.gzip, 0))} ` +
        `in ${later.length} chunks (lazily hydrated widgets, the engine, and dagre once the playground re-laid out):`,
    );
    for (const script of later.sort((a, b) => b.gzip - a.gzip)) {
      console.log(`    ${kB(script.gzip).padStart(9)} / ${kB(script.bytes).padStart(9)}  ${script.src}`);
    }

    console.log('\n## KaTeX');
    const katexScripts = lesson.scripts.filter((s) => s.hasKatexLibrary);
    console.log(
      `- KaTeX library code in the lesson's scripts: ${katexScripts.length === 0 ? 'none' : katexScripts.map((s) => s.src).join(', ')}` +
        ` (scripts merely mentioning "katex": ${lesson.scripts.filter((s) => s.mentionsKatex).length})`,
    );
    console.log(
      `- KaTeX fonts requested: ${katexFonts.length}, ${kB(fontBytes)} in total ` +
        `(${nonWoff2.length === 0 ? 'woff2 only' : `NOT woff2: ${nonWoff2.map((f) => f.url).join(', ')}`}; ` +
        `${fontBytes <= TARGET_FONT_BYTES ? 'meets' : 'MISSES'} <= 60 kB)`,
    );
    for (const font of katexFonts)
      console.log(`    ${kB(font.bytes).padStart(9)}  ${font.url.replace(server.baseUrl, '')}`);

    console.log(
      `\n${JSON.stringify({
        bench: 'widgets',
        distDir,
        cpuThrottle: CPU_THROTTLE,
        interactions: measured.results,
        loadLongTasks: loadTasks,
        firstLoadJs: {
          baselineGzip: baseline.gzipTotal,
          homeGzip: home.gzipTotal,
          lessonGzip: lesson.gzipTotal,
          ratio,
          extra: extra.map(({ src, gzip, bytes }) => ({ src, gzip, bytes })),
          afterFirstLoad: later.map(({ src, gzip, bytes }) => ({ src, gzip, bytes })),
        },
        katex: {
          libraryInClient: katexScripts.length > 0,
          fonts: katexFonts,
          fontBytes,
          woff2Only: nonWoff2.length === 0,
        },
      })}`,
    );
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
