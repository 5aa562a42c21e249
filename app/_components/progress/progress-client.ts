'use client';

import { WIDGET_EVENT_NAME, type WidgetEvent } from '@/lib/widgets/events';

import { ensureSession } from './session-client';

/**
 * Progress events from the browser, in batches. Usage from any client component:
 *
 *   reportProgress({ type: 'widget-used', lessonSlug, target: 'forward-pass:fp', data: { control: 'w' } });
 *
 * Each event gets a client event id (crypto.randomUUID) that the server de-duplicates on, so
 * sending a batch twice is harmless. Batches go out every few seconds with fetch (keepalive),
 * and with navigator.sendBeacon when the page is hidden or unloading, which is the one moment
 * a beacon is reliably delivered and a fetch is not.
 */

export type ProgressEvent =
  | { type: 'section-viewed'; lessonSlug: string; target: string }
  | { type: 'widget-used'; lessonSlug: string; target: string; data: { control: string } }
  | {
      type: 'prediction-made';
      lessonSlug: string;
      target: string;
      data: {
        target: string;
        predicted: { kind: 'sign'; sign: -1 | 0 | 1 } | { kind: 'value'; value: number };
        actual: number;
        correct: boolean;
      };
    };

type QueuedEvent = ProgressEvent & { id: string; at: number };

const ENDPOINT = '/api/progress';
/** The server accepts at most 50 events per request. */
const BATCH_SIZE = 50;
const FLUSH_DELAY_MS = 5_000;
/** Events kept while the server is unreachable; the oldest are dropped beyond this. */
const MAX_QUEUE = 500;

let queue: QueuedEvent[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;
let listening = false;

/** A widget's URL key, `<instance id>.<field>` (lib/widgets/url-state.ts); the server checks the same. */
const WIDGET_KEY = /^[a-z][a-z0-9_-]{0,30}\.[a-z][a-z0-9_]{0,30}$/i;

export function isWidgetKey(key: string): boolean {
  return WIDGET_KEY.test(key);
}

/** The widget part of a query string, in its order: what a return visit restores. */
export function widgetQueryOf(search: string): string {
  const kept = new URLSearchParams();
  for (const [key, value] of new URLSearchParams(search)) if (isWidgetKey(key)) kept.append(key, value);
  return kept.toString();
}

/**
 * The lesson whose widget settings travel with the progress batches (docs/decisions/014). `sent`
 * starts as the settings the page opened with, so a visit that changes no widget never overwrites
 * the settings saved last time.
 */
let widgetSource: { lessonSlug: string; sent: string } | null = null;

export function trackWidgetState(lessonSlug: string): void {
  if (typeof window === 'undefined') return;
  widgetSource = { lessonSlug, sent: widgetQueryOf(window.location.search) };
  listen();
}

function widgetStateChange(): { lessonSlug: string; query: string } | undefined {
  if (!widgetSource) return undefined;
  const query = widgetQueryOf(window.location.search);
  return query === widgetSource.sent ? undefined : { lessonSlug: widgetSource.lessonSlug, query };
}

function bodyOf(batch: QueuedEvent[], widgetState: { lessonSlug: string; query: string } | undefined): string {
  return JSON.stringify(widgetState ? { events: batch, widgetState } : { events: batch });
}

export function reportProgress(event: ProgressEvent): void {
  if (typeof window === 'undefined') return;
  listen();
  queue.push({ ...event, id: crypto.randomUUID(), at: Date.now() });
  if (queue.length > MAX_QUEUE) queue = queue.slice(-MAX_QUEUE);
  if (queue.length >= BATCH_SIZE) void flushProgress();
  else timer ??= setTimeout(() => void flushProgress(), FLUSH_DELAY_MS);
}

function takeBatches(): QueuedEvent[][] {
  const batches: QueuedEvent[][] = [];
  for (let i = 0; i < queue.length; i += BATCH_SIZE) batches.push(queue.slice(i, i + BATCH_SIZE));
  queue = [];
  if (timer) clearTimeout(timer);
  timer = undefined;
  return batches;
}

function requeue(batch: QueuedEvent[]): void {
  queue = [...batch, ...queue].slice(-MAX_QUEUE);
  timer ??= setTimeout(() => void flushProgress(), FLUSH_DELAY_MS * 3);
}

/** Sends everything queued with fetch keepalive; a batch that fails (network or 5xx) is queued again. */
export async function flushProgress(): Promise<void> {
  const widgetState = widgetStateChange();
  if (queue.length === 0 && !widgetState) return;
  try {
    await ensureSession();
  } catch {
    timer ??= setTimeout(() => void flushProgress(), FLUSH_DELAY_MS * 3);
    return;
  }
  const batches = takeBatches();
  if (batches.length === 0) batches.push([]);
  await Promise.all(
    batches.map(async (batch, index) => {
      // The widget settings ride with the first batch only.
      const state = index === 0 ? widgetState : undefined;
      try {
        const response = await fetch(ENDPOINT, {
          method: 'POST',
          keepalive: true,
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json' },
          body: bodyOf(batch, state),
        });
        if (response.ok && state && widgetSource) widgetSource.sent = state.query;
        // A 4xx means the batch itself is wrong; sending it again would not help.
        if ((response.status >= 500 || response.status === 401) && batch.length > 0) requeue(batch);
      } catch {
        if (batch.length > 0) requeue(batch);
      }
    }),
  );
}

/** Page hidden or going away: hand the queue to the browser with sendBeacon. */
function beaconFlush(): void {
  const widgetState = widgetStateChange();
  const batches = takeBatches();
  if (batches.length === 0 && widgetState) batches.push([]);
  batches.forEach((batch, index) => {
    const state = index === 0 ? widgetState : undefined;
    const body = new Blob([bodyOf(batch, state)], { type: 'application/json' });
    if (navigator.sendBeacon(ENDPOINT, body)) {
      if (state && widgetSource) widgetSource.sent = state.query;
    } else if (batch.length > 0) requeue(batch);
  });
}

function listen(): void {
  if (listening) return;
  listening = true;
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') beaconFlush();
  });
  window.addEventListener('pagehide', beaconFlush);
}

/**
 * Forwards the widgets' activity events (lib/widgets/events.ts, dispatched on `window`) as
 * progress events for a lesson. Returns the function that stops forwarding.
 */
export function forwardWidgetEvents(lessonSlug: string): () => void {
  const onEvent = (event: Event) => {
    const detail = (event as CustomEvent<WidgetEvent>).detail;
    const target = `${detail.widget}:${detail.instance}`.slice(0, 80);
    if (detail.type === 'widget-used') {
      reportProgress({ type: 'widget-used', lessonSlug, target, data: { control: detail.control.slice(0, 60) } });
    } else if (detail.type === 'prediction-made' && Number.isFinite(detail.actual)) {
      reportProgress({
        type: 'prediction-made',
        lessonSlug,
        target,
        data: {
          target: detail.target.slice(0, 60),
          predicted: detail.predicted,
          actual: detail.actual,
          correct: detail.correct,
        },
      });
    }
  };
  window.addEventListener(WIDGET_EVENT_NAME, onEvent);
  return () => window.removeEventListener(WIDGET_EVENT_NAME, onEvent);
}
