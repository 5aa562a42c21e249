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
 * - Nothing a learner does to the static frame is lost (issue 16, item 16). Its native controls
 *   work before any JavaScript runs (a range input moves with the arrow keys, a radio checks),
 *   but the swap used to replace them with the widget at its starting values. Now every control
 *   whose value differs from the server's (`defaultValue`/`defaultChecked`), and every button
 *   clicked while the frame was static, is recorded by its position, and replayed on its twin in
 *   the loaded widget (the value set as a browser would, then an `input` event, so the widget's
 *   own handlers run). Recorded at mount (what happened before hydration), on every input
 *   after it, and once more just before the swap.
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

/** One learner action on the static frame, replayed on the same control in the loaded widget. */
interface Replay {
  path: number[];
  tag: string;
  type: string;
  label: string | null;
  value?: string;
  checked?: boolean;
  click?: boolean;
}

const FIELD_SELECTOR = 'input, textarea, select';

function describeControl(element: Element): Pick<Replay, 'tag' | 'type' | 'label'> {
  return {
    tag: element.tagName,
    type: element instanceof HTMLInputElement ? element.type : '',
    label: element.getAttribute('aria-label') ?? element.getAttribute('name'),
  };
}

/** The learner's change to one form control of the static frame, or null if it is as served. */
function changeOf(element: Element, root: Element): Replay | null {
  const path = pathOf(element, root);
  if (!path) return null;
  if (element instanceof HTMLInputElement && (element.type === 'checkbox' || element.type === 'radio')) {
    if (element.checked === element.defaultChecked) return null;
    return { path, ...describeControl(element), checked: element.checked };
  }
  if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) {
    if (element.value === element.defaultValue) return null;
    return { path, ...describeControl(element), value: element.value };
  }
  if (element instanceof HTMLSelectElement) {
    const served = Array.from(element.options).find((option) => option.defaultSelected);
    if (!served || served.value === element.value) return null;
    return { path, ...describeControl(element), value: element.value };
  }
  return null;
}

/** Sets a control's value as the browser does when a learner types, so React sees the change. */
function setNativeValue(element: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, value: string) {
  const prototype = Object.getPrototypeOf(element) as object;
  const setter: unknown = Reflect.get(Object.getOwnPropertyDescriptor(prototype, 'value') ?? {}, 'set');
  // The prototype's setter, not `element.value =`: React tracks the value it last set through
  // the instance, and would take an assignment there for its own and see no change.
  if (typeof setter === 'function') Reflect.apply(setter, element, [value]);
  else element.value = value;
  element.dispatchEvent(new Event(element instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
}

function replay(root: Element, action: Replay) {
  let element: Element | undefined = root;
  for (const index of action.path) element = element?.children[index];
  if (!element) return;
  const same = describeControl(element);
  // Only onto the same kind of control with the same name: a shared link's hide list can
  // change what sits at a position.
  if (same.tag !== action.tag || same.type !== action.type || same.label !== action.label) return;
  if (action.click) {
    if (element instanceof HTMLButtonElement && !element.disabled) element.click();
  } else if (action.checked !== undefined) {
    if (element instanceof HTMLInputElement && element.checked !== action.checked && !element.disabled) element.click();
  } else if (action.value !== undefined) {
    if (
      (element instanceof HTMLInputElement ||
        element instanceof HTMLTextAreaElement ||
        element instanceof HTMLSelectElement) &&
      !element.disabled &&
      element.value !== action.value
    ) {
      setNativeValue(element, action.value);
    }
  }
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
    /** The learner's actions on the static frame, in order, keyed by control position. */
    const actions = useRef(new Map<string, Replay>());

    useEffect(() => {
      const element = wrapper.current;
      if (!element) return;
      const record = (key: string, action: Replay | null) => {
        // Deleted first, so a control changed again moves to the end of the replay order.
        actions.current.delete(key);
        if (action) actions.current.set(key, action);
      };
      /** Every control that differs from the server's HTML now (also what changed before hydration). */
      const sweep = () => {
        for (const field of element.querySelectorAll(FIELD_SELECTOR)) {
          const path = pathOf(field, element);
          if (path) record(path.join('.'), changeOf(field, element));
        }
      };
      sweep();
      const onInput = (event: Event) => {
        if (!(event.target instanceof Element)) return;
        // A radio checked unchecks the rest of its group: re-read them all.
        if (event.target instanceof HTMLInputElement && event.target.type === 'radio') return sweep();
        const path = pathOf(event.target, element);
        if (path) record(path.join('.'), changeOf(event.target, element));
      };
      const onClick = (event: Event) => {
        const button = event.target instanceof Element ? event.target.closest('button') : null;
        if (!button || !element.contains(button)) return;
        const path = pathOf(button, element);
        if (path) record(`click:${actions.current.size}`, { path, ...describeControl(button), click: true });
      };
      element.addEventListener('input', onInput, true);
      element.addEventListener('change', onInput, true);
      element.addEventListener('click', onClick, true);
      const stopRecording = () => {
        element.removeEventListener('input', onInput, true);
        element.removeEventListener('change', onInput, true);
        element.removeEventListener('click', onClick, true);
      };
      let live = true;
      let started: Promise<void> | null = null;
      const job: LoadJob = {
        target: element.firstElementChild ?? element,
        start: () => {
          started ??= load().then(
            (component) =>
              new Promise<void>((resolve) => {
                if (!live) return resolve();
                // The last look at the static frame before it is replaced.
                sweep();
                stopRecording();
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
        stopRecording();
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
      // Replay what the learner did to the static frame, once the widget has read its URL state
      // and settled (a frame later), so its handlers see its real state.
      const pending = [...actions.current.values()];
      actions.current.clear();
      if (pending.length === 0) return;
      const frame = window.requestAnimationFrame(() => {
        const root = wrapper.current;
        if (root) for (const action of pending) replay(root, action);
      });
      return () => window.cancelAnimationFrame(frame);
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
