/**
 * What the widgets report about a learner's activity. Each widget announces these on `window`
 * (WIDGET_EVENT_NAME; see app/_components/widgets/useWidgetEvents.ts), and the lesson's progress
 * client sends them to the server as progress events whose target is `<kind>:<instance>`.
 */
import type { KnownWidgetKind } from './catalog';

export type WidgetKind = KnownWidgetKind;

/** A committed guess: a sign, or a number. */
export type Prediction = { kind: 'sign'; sign: -1 | 0 | 1 } | { kind: 'value'; value: number };

export type WidgetEvent =
  | {
      type: 'widget-used';
      widget: WidgetKind;
      /** The widget instance id, the prefix of its URL keys (`fp`). */
      instance: string;
      /** The control first touched (`w`, `timeline`). */
      control: string;
      at: number;
    }
  | {
      type: 'prediction-made';
      widget: WidgetKind;
      instance: string;
      /** What was predicted, in the lesson's notation: `dL/dw`. */
      target: string;
      predicted: Prediction;
      /** The engine's value at the moment of the prediction. */
      actual: number;
      correct: boolean;
      at: number;
    };

export type WidgetEventHandler = (event: WidgetEvent) => void;

/** Name of the DOM CustomEvent (detail: WidgetEvent) dispatched on `window` for every event. */
export const WIDGET_EVENT_NAME = 'autodidact:widget-event';

/** Below this magnitude a gradient counts as zero when judging a predicted sign. */
export const ZERO_TOLERANCE = 1e-9;

export function signOf(value: number): -1 | 0 | 1 {
  if (Math.abs(value) < ZERO_TOLERANCE) return 0;
  return value > 0 ? 1 : -1;
}

/**
 * A sign is right when it matches; a number when it is within 5% of the actual value (or
 * 0.01 of it, near zero), which forgives rounding to the 2-3 digits a learner types.
 */
export function judgePrediction(predicted: Prediction, actual: number): boolean {
  if (predicted.kind === 'sign') return predicted.sign === signOf(actual);
  return Math.abs(predicted.value - actual) <= Math.max(0.01, 0.05 * Math.abs(actual));
}
