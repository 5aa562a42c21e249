'use client';

/**
 * Keeps a widget's code out of the page's first-load JS while the server still renders the
 * whole widget inline, as its static first frame.
 *
 *   // forward-pass/ForwardPassLazy.tsx
 *   'use client';
 *   import type { ForwardPassClient } from './ForwardPassClient';
 *   export const ForwardPassLazy = lazyWidget(
 *     () => import('./ForwardPassClient').then((m) => m.ForwardPassClient),
 *     typeof window === 'undefined'
 *       ? (require('./ForwardPassClient') as { ForwardPassClient: typeof ForwardPassClient }).ForwardPassClient
 *       : undefined,
 *   );
 *   // forward-pass/ForwardPassWidget.tsx (server): <ForwardPassLazy id="fp" layouts={...} />
 *
 * - Server: the second argument is the widget itself (Next compiles the `typeof window` branch
 *   out of the browser bundle), rendered in place: the HTML holds the full widget, readable
 *   without JavaScript.
 * - Hydration: the wrapper claims that HTML without hydrating it (an empty
 *   dangerouslySetInnerHTML, which React leaves alone), so the page hydrates without the
 *   widget's code and nothing moves.
 * - After hydration, once the widget comes near the viewport (within a screen and a half),
 *   or at once when a learner reaches for it (pointer, focus, key): its chunk is imported and
 *   rendered in the same place with the same markup, one widget at a time, in idle periods,
 *   inside startTransition (React renders it in interruptible slices), then the widget reads
 *   its URL state. `data-ready` on WidgetFrame marks this moment, so tests scroll a widget into
 *   view before waiting for it. Loading every widget right after hydration made one ~90 ms
 *   task (all widgets rendered synchronously, then laid out) in the middle of page load, for
 *   widgets far below the first screen (docs/decisions/004, update). A focused element of the
 *   static frame hands its focus to its twin in the loaded widget.
 *
 * No Suspense boundary on purpose: React outlines a large boundary's server HTML to the end
 * of the document (a hidden <div> moved in by a script), which would make the frame jump in
 * late and vanish without JavaScript. Props must be serialisable, as for any client component.
 * A widget's own CSS module must also be imported by its *Lazy.tsx file (see below).
 */
import { startTransition, useEffect, useLayoutEffect, useRef, useState, type ComponentType } from 'react';

// Imported here, in the page's own bundle, so the server-rendered frame is styled before the
// widget's chunk arrives (CSS imported only by the lazy chunk would load with it: a flash of
// unstyled widget). A widget with its own CSS module imports it in its *Lazy.tsx file too.
import styles from './widgets.module.css';

interface LoadJob {
  /** The server-rendered frame (the wrapper itself is display: contents and has no box). */
  target: Element;
  /** Imports the chunk and renders the widget; settles once React has committed it. */
  start: () => Promise<void>;
}

const waiting: LoadJob[] = [];
const nearViewport = new Set<Element>();
let proximity: IntersectionObserver | null = null;
let pumping = false;

function whenIdle(callback: () => void) {
  if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(callback, { timeout: 500 });
  else window.setTimeout(callback, 1);
}

/** Starts the next widget near the viewport in an idle period, one at a time. */
function pump() {
  if (pumping || !waiting.some((job) => nearViewport.has(job.target))) return;
  pumping = true;
  whenIdle(() => {
    const index = waiting.findIndex((job) => nearViewport.has(job.target));
    const job = index >= 0 ? waiting.splice(index, 1)[0] : undefined;
    if (job) proximity?.unobserve(job.target);
    const done = () => {
      pumping = false;
      pump();
    };
    if (job) void job.start().then(done, done);
    else done();
  });
}

function enqueue(job: LoadJob) {
  if (!proximity && typeof IntersectionObserver === 'function') {
    proximity = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (entry.isIntersecting) nearViewport.add(entry.target);
          else nearViewport.delete(entry.target);
        }
        pump();
      },
      { rootMargin: '150% 0px' },
    );
  }
  // Without IntersectionObserver there is no telling what is near: everything loads, in turn.
  if (proximity) proximity.observe(job.target);
  else nearViewport.add(job.target);
  waiting.push(job);
  pump();
}

/** Takes a job out of the queue (it starts now, or its widget unmounted). */
function dequeue(job: LoadJob) {
  const index = waiting.indexOf(job);
  if (index >= 0) waiting.splice(index, 1);
  proximity?.unobserve(job.target);
  nearViewport.delete(job.target);
}

function pathOf(element: Element | null, root: Element): number[] | null {
  if (!element || element === root || !root.contains(element)) return null;
  const path: number[] = [];
  for (let node: Element | null = element; node && node !== root; node = node.parentElement) {
    const parent: Element | null = node.parentElement;
    if (!parent) return null;
    path.unshift(Array.from(parent.children).indexOf(node));
  }
  return path;
}

export function lazyWidget<P extends object>(
  load: () => Promise<ComponentType<P>>,
  onServer?: ComponentType<P>,
): ComponentType<P> {
  function LazyWidget(props: P) {
    const [Loaded, setLoaded] = useState<ComponentType<P> | null>(null);
    const wrapper = useRef<HTMLDivElement>(null);
    const committed = useRef<(() => void) | null>(null);
    /** Starts loading now (a learner reached for the widget before its turn). */
    const urgent = useRef<(() => void) | null>(null);
    /** Where the focused element sat in the static frame, as child indexes from the wrapper. */
    const focusPath = useRef<number[] | null>(null);

    useEffect(() => {
      const element = wrapper.current;
      if (!element) return;
      let live = true;
      let started: Promise<void> | null = null;
      const job: LoadJob = {
        target: element.firstElementChild ?? element,
        start: () => {
          started ??= load().then(
            (component) =>
              new Promise<void>((resolve) => {
                if (!live) return resolve();
                committed.current = resolve;
                // A transition: React renders the widget in slices it can interrupt.
                startTransition(() => setLoaded(() => component));
              }),
          );
          return started;
        },
      };
      urgent.current = () => {
        dequeue(job);
        void job.start();
      };
      enqueue(job);
      return () => {
        live = false;
        dequeue(job);
        committed.current?.();
        urgent.current = null;
      };
    }, []);

    // The swap replaces the static frame's elements: an element a learner had focused in it
    // (a keyboard user tabbing in started the load) gets its twin focused, found by position.
    useLayoutEffect(() => {
      if (!Loaded) return;
      const path = focusPath.current;
      focusPath.current = null;
      if (path && wrapper.current && document.activeElement === document.body) {
        let element: Element | undefined = wrapper.current;
        for (const index of path) element = element?.children[index];
        if (element instanceof HTMLElement || element instanceof SVGElement) element.focus();
      }
    }, [Loaded]);

    useEffect(() => {
      if (!Loaded) return;
      committed.current?.();
      committed.current = null;
    }, [Loaded]);

    const Widget = onServer ?? Loaded;
    if (Widget) {
      return (
        <div ref={wrapper} className={styles.deferred}>
          <Widget {...props} />
        </div>
      );
    }
    const reach = () => urgent.current?.();
    return (
      <div
        ref={wrapper}
        className={styles.deferred}
        onPointerDownCapture={reach}
        onFocusCapture={(event) => {
          if (wrapper.current) focusPath.current = pathOf(event.target, wrapper.current);
          reach();
        }}
        onKeyDownCapture={reach}
        suppressHydrationWarning
        dangerouslySetInnerHTML={{ __html: '' }}
      />
    );
  }
  return LazyWidget;
}
