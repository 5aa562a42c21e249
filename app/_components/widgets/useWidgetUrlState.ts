'use client';

/**
 * A widget's state, mirrored into the URL query (`?fp.w=0.8&fp.hide=b`).
 *
 *   const SPEC = defineWidgetState({ w: num(0.5, -3, 3), loss: oneOf(['sq', 'bce'], 'sq') });
 *   const { values, set, reset, hidden, locked, shareUrl } = useWidgetUrlState('fp', SPEC);
 *   set({ w: 0.8 });  // re-renders this widget only; the URL follows 300 ms after the last change
 *
 * `SPEC` must be a module-level constant (its identity is a dependency). The server render
 * and the first client render use the defaults, so hydration matches; the URL is read in a
 * layout effect, before the first paint after hydration. The URL is written with
 * history.replaceState once the changes pause (a drag writes once, at its end), never a
 * navigation: on the lesson a URL change costs Chrome a walk over all ~8,000 elements (it
 * re-resolves links against the new base URL), 4-6 ms that used to land among a drag's frames
 * every 150 ms (docs/decisions/004, update).
 */
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';

import {
  decodeWidgetState,
  defaultState,
  encodeWidgetState,
  queryString,
  type FieldSpec,
  type StateOf,
  type WidgetStateSpec,
  type WidgetUrlState,
} from '@/lib/widgets/url-state';
import type { WidgetKind } from '@/lib/widgets/events';

import { useWidgetEvents } from './useWidgetEvents';

/** Write the URL this long after the last change. */
const WRITE_DELAY_MS = 300;

export interface WidgetUrlStateApi<F extends Record<string, FieldSpec>> {
  values: StateOf<F>;
  /** Controls listed in `<id>.hide`: do not render them. */
  hidden: ReadonlySet<string>;
  /** Controls listed in `<id>.lock`: render them disabled. */
  locked: ReadonlySet<string>;
  set: (patch: Partial<StateOf<F>>) => void;
  /** Back to the defaults; hide and lock (the instructor's setup) stay. */
  reset: () => void;
  /** Absolute URL of the page with this widget's current state. */
  shareUrl: () => string;
}

function urlWith<F extends Record<string, FieldSpec>>(spec: WidgetStateSpec<F>, id: string, state: WidgetUrlState<F>) {
  const { pathname, search, hash } = window.location;
  return `${pathname}${queryString(encodeWidgetState(spec, id, state, search))}${hash}`;
}

export function useWidgetUrlState<F extends Record<string, FieldSpec>>(
  id: string,
  spec: WidgetStateSpec<F>,
): WidgetUrlStateApi<F> {
  const [state, setState] = useState<WidgetUrlState<F>>(() => defaultState(spec));
  const latest = useRef(state);
  const timer = useRef<number | undefined>(undefined);

  useLayoutEffect(() => {
    const fromUrl = decodeWidgetState(spec, id, window.location.search);
    // A URL without this widget's keys leaves the defaults: no second render at load.
    if (JSON.stringify(fromUrl) === JSON.stringify(latest.current)) return;
    latest.current = fromUrl;
    // The URL is an external system only the browser can read: sync from it once, after
    // hydration (the server rendered the defaults), before the first paint.
    setState(fromUrl);
  }, [id, spec]);

  const write = useCallback(() => {
    if (timer.current === undefined) return;
    window.clearTimeout(timer.current);
    timer.current = undefined;
    // Keep history.state: Next.js stores its router state there.
    window.history.replaceState(window.history.state, '', urlWith(spec, id, latest.current));
  }, [id, spec]);

  // A change still waiting is written before the page goes away (reload, close, navigation).
  useLayoutEffect(() => {
    window.addEventListener('pagehide', write);
    return () => {
      window.removeEventListener('pagehide', write);
      if (timer.current !== undefined) window.clearTimeout(timer.current);
    };
  }, [write]);

  const commit = useCallback(
    (next: WidgetUrlState<F>) => {
      latest.current = next;
      setState(next);
      if (timer.current !== undefined) window.clearTimeout(timer.current);
      timer.current = window.setTimeout(write, WRITE_DELAY_MS);
    },
    [write],
  );

  const set = useCallback(
    (patch: Partial<StateOf<F>>) => commit({ ...latest.current, values: { ...latest.current.values, ...patch } }),
    [commit],
  );
  const reset = useCallback(() => commit({ ...latest.current, values: defaultState(spec).values }), [commit, spec]);
  const shareUrl = useCallback(() => new URL(urlWith(spec, id, latest.current), window.location.href).href, [id, spec]);

  const hidden = useMemo(() => new Set(state.hide), [state.hide]);
  const locked = useMemo(() => new Set(state.lock), [state.lock]);
  return { values: state.values, hidden, locked, set, reset, shareUrl };
}

/**
 * A widget's URL state and its activity events together, plus the handler most controls share:
 * `update('w', { w: 0.8 })` reports control `w` as used, then sets the patch.
 *
 *   const { values, hidden, locked, update, reset, shareUrl } = useWidgetControls('forward-pass', id, STATE);
 */
export function useWidgetControls<F extends Record<string, FieldSpec>>(
  widget: WidgetKind,
  id: string,
  spec: WidgetStateSpec<F>,
) {
  const state = useWidgetUrlState(id, spec);
  const events = useWidgetEvents(widget, id);
  const { set } = state;
  const { markUsed } = events;
  const update = useCallback(
    (control: string, patch: Partial<StateOf<F>>) => {
      markUsed(control);
      set(patch);
    },
    [markUsed, set],
  );
  return { ...state, ...events, update };
}
