/**
 * The lesson widgets by kind: the title each shows in its frame and the instance id (URL prefix)
 * it takes when MDX gives none. One list, so the widget frames, the progress events they send
 * (`<kind>:<instance>`), the demo class and the instructor's timeline and exports name a widget
 * the same way.
 */
export const WIDGETS = {
  'forward-pass': { title: 'Forward pass: one neuron', defaultInstance: 'fp' },
  'backward-steps': { title: 'Backward pass, one edge at a time', defaultInstance: 'bs' },
  'nudge-test': { title: 'The nudge test', defaultInstance: 'nt' },
  'blame-paths': { title: 'Blame along every path', defaultInstance: 'bp' },
  'graph-playground': { title: 'Your own graph', defaultInstance: 'gp' },
  'gradient-step': { title: 'One gradient step', defaultInstance: 'gs' },
  network: { title: 'A small network, trained live', defaultInstance: 'nn' },
} as const satisfies Record<string, { title: string; defaultInstance: string }>;

export type KnownWidgetKind = keyof typeof WIDGETS;

function isKnownWidgetKind(kind: string): kind is KnownWidgetKind {
  return Object.hasOwn(WIDGETS, kind);
}

/**
 * The title of the widget a progress event names: its target is `<kind>:<instance>` (what the
 * browser sends) or a bare kind. Null for a kind this build does not know (an event stored by
 * an older or newer lesson), so callers can fall back to the raw target.
 */
export function widgetTitleOf(target: string): string | null {
  const kind = target.split(':', 1)[0]!;
  return isKnownWidgetKind(kind) ? WIDGETS[kind].title : null;
}
