/**
 * Widget 6, one gradient step (server wrapper): the neuron's graph is laid out on the server,
 * the client widget only re-runs the compiled program, and its code loads after the page's own
 * scripts (lazyWidget). In MDX: <GradientStepWidget /> (optional
 * `id`, the URL prefix, default `gs`).
 */
import { WIDGETS } from '@/lib/widgets/catalog';

import { neuronLayouts } from '../server/lesson-graphs';

import { GradientStepLazy } from './GradientStepLazy';

export function GradientStepWidget({ id = WIDGETS['gradient-step'].defaultInstance }: { id?: string }) {
  return <GradientStepLazy id={id} layouts={neuronLayouts()} />;
}
