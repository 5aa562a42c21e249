/**
 * Where a Step's main-thread time goes (issue 17, decision 016): a Chromium trace over CDP at
 * 4x CPU throttle around BENCH_TRACE_STEPS presses of the network widget's Step button, each
 * press's window being the tasks from its keydown to the first task that paints. Printed per
 * press: thread (CPU) time, which a loaded machine inflates far less than the wall-clock busy
 * time of bench:network, and its split by trace event (self time: FunctionCall is script,
 * Layout, Paint, PrePaint, Layerize, UpdateLayoutTree is style, ...). Printed, never asserted.
 *
 * BENCH_TRACE_CSS, a JSON object of name -> CSS, adds variants traced after the unchanged page
 * in the same browser (e.g. `{"notable":"[data-widget=network] table{display:none}"}`), to
 * see what one part of the widget costs without rebuilding.
 *
 * BENCH_TRACE_TARGET=control presses bench:network's floor instead of Step: a bare button outside
 * React, inserted before the widget, whose click adds one to its own text. Its thread time is
 * what any key press that changes one word of this page costs in this harness.
 *
 *   NEXT_DIST_DIR=.next-bench npx next build && NEXT_DIST_DIR=.next-bench npx tsx tests/bench/network-trace.ts
 */
import { chromium, type CDPSession, type Page } from '@playwright/test';

import { focusBareButton } from './bare-button';
import { CHROMIUM_FLAGS, CHROMIUM_PATH, distDir, median, quantile, startServer } from './bench-server';

const LESSON = '/lessons/chain-rule-computational-graphs';
const STEPS = Number(process.env.BENCH_TRACE_STEPS ?? 20);
const CPU_THROTTLE = Number(process.env.BENCH_CPU_THROTTLE ?? 4);
const VARIANTS = JSON.parse(process.env.BENCH_TRACE_CSS ?? '{}') as Record<string, string>;
const TARGET = process.env.BENCH_TRACE_TARGET === 'control' ? 'control' : 'step';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: { type?: string } };
}
type Slice = TraceEvent & { dur: number };

async function trace(cdp: CDPSession, page: Page): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  // The protocol types the events as string maps; they are trace events.
  const collect = (data: { value: object[] }) => {
    events.push(...(data.value as TraceEvent[]));
  };
  cdp.on('Tracing.dataCollected', collect);
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] },
  });
  for (let i = 0; i < STEPS; i++) {
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    await page.keyboard.press('Enter');
    await page.waitForTimeout(80);
  }
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  await complete;
  cdp.off('Tracing.dataCollected', collect);
  return events;
}

/** Per press: thread time of its tasks, and self thread time by event name summed over all presses. */
function analyse(events: TraceEvent[]) {
  const mains = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const counts = new Map<string, number>();
  for (const e of events) {
    const thread = `${e.pid}:${e.tid}`;
    if (mains.has(thread)) counts.set(thread, (counts.get(thread) ?? 0) + 1);
  }
  const main = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  const slices = events
    .filter((e): e is Slice => `${e.pid}:${e.tid}` === main && e.ph === 'X' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const tasks = slices.filter((e) => e.name === 'RunTask');
  const keydowns = slices.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'keydown');
  const cpu: number[] = [];
  const self = new Map<string, number>();
  for (const key of keydowns) {
    let total = 0;
    const first = tasks.findIndex((t) => t.ts <= key.ts && t.ts + t.dur >= key.ts + key.dur);
    for (const task of first < 0 ? [] : tasks.slice(first)) {
      total += task.tdur ?? 0;
      const inner = slices.filter((e) => e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur);
      const stack: Slice[] = [];
      for (const e of inner) {
        while (stack.length > 0 && stack[stack.length - 1]!.ts + stack[stack.length - 1]!.dur <= e.ts) stack.pop();
        const parent = stack[stack.length - 1];
        if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - (e.tdur ?? 0));
        self.set(e.name, (self.get(e.name) ?? 0) + (e.tdur ?? 0));
        stack.push(e);
      }
      if (inner.some((e) => e.name === 'Paint' || e.name === 'Commit')) break;
    }
    cpu.push(total / 1000);
  }
  const split = [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([name, us]) => `${name} ${(us / 1000 / Math.max(1, cpu.length)).toFixed(2)}`)
    .join(', ');
  return { cpu, split };
}

async function main() {
  const server = await startServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    if (CPU_THROTTLE > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLE });
    await page.goto(new URL(LESSON, server.baseUrl).href, { waitUntil: 'networkidle' });
    const widget = page.locator('[data-widget="network"]');
    await widget.scrollIntoViewIfNeeded();
    await widget.and(page.locator('[data-ready="true"]')).waitFor({ timeout: 120_000 });
    console.log(
      `\n# Network widget: ${TARGET === 'control' ? 'the bare button (the floor)' : 'a Step'}'s main thread in a trace (build ${distDir}, ${CPU_THROTTLE}x, ${STEPS} presses)\n`,
    );
    for (const [name, css] of Object.entries({ unchanged: '', ...VARIANTS })) {
      await page.evaluate((text) => {
        let style = document.getElementById('bench-trace-css');
        if (!style) {
          style = document.createElement('style');
          style.id = 'bench-trace-css';
          document.head.append(style);
        }
        style.textContent = text;
      }, css);
      if (TARGET === 'control') {
        await focusBareButton(page);
      } else {
        await widget.getByRole('button', { name: 'Step', exact: true }).focus();
      }
      for (let i = 0; i < 3; i++) await page.keyboard.press('Enter');
      await page.waitForTimeout(300);
      const { cpu, split } = analyse(await trace(cdp, page));
      console.log(
        `- ${name}: thread time per press median ${median(cpu).toFixed(2)} ms, p90 ${quantile(cpu, 0.9).toFixed(2)} ms; self time per press (ms): ${split}`,
      );
    }
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
