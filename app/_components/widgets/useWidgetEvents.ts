'use client';

/**
 * Reporting learner activity (lib/widgets/events.ts) without a state library:
 *
 *   const { markUsed, emit } = useWidgetEvents('forward-pass', 'fp');
 *   markUsed('w');                               // once per widget instance
 *   emit({ type: 'prediction-made', ... });       // `at` is filled in
 *
 * Every event goes to the nearest <WidgetEventProvider onEvent={...}> (none yet: the quiz
 * service will add one that records progress) and is dispatched on `window` as a CustomEvent
 * named WIDGET_EVENT_NAME. Widgets keep their own copy (the prediction) in local state.
 */
import { createContext, createElement, useCallback, useContext, useRef, type ReactNode } from 'react';

import { WIDGET_EVENT_NAME, type WidgetEvent, type WidgetEventHandler, type WidgetKind } from '@/lib/widgets/events';

/** An event as a widget reports it; `emit` stamps the time. */
export type WidgetEventInput = WidgetEvent extends infer E ? (E extends WidgetEvent ? Omit<E, 'at'> : never) : never;

const WidgetEventContext = createContext<WidgetEventHandler | null>(null);

export function WidgetEventProvider({ onEvent, children }: { onEvent: WidgetEventHandler; children: ReactNode }) {
  return createElement(WidgetEventContext.Provider, { value: onEvent }, children);
}

export function useWidgetEvents(widget: WidgetKind, instance: string) {
  const handler = useContext(WidgetEventContext);
  const used = useRef(false);
  const emit = useCallback(
    (input: WidgetEventInput) => {
      const event: WidgetEvent = { ...input, at: Date.now() };
      handler?.(event);
      window.dispatchEvent(new CustomEvent<WidgetEvent>(WIDGET_EVENT_NAME, { detail: event }));
    },
    [handler],
  );
  const markUsed = useCallback(
    (control: string) => {
      if (used.current) return;
      used.current = true;
      emit({ type: 'widget-used', widget, instance, control });
    },
    [emit, widget, instance],
  );
  return { emit, markUsed };
}
