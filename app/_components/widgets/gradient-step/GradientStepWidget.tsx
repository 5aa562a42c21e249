/**
 * Widget 6, one gradient step (server wrapper): the neuron's graph is laid out on the server,
 * the client widget only re-runs the compiled program. In MDX: <GradientStepWidget /> (optional
 * `id`, the URL prefix, default `gs`).
 */
import { neuronLayouts } from '../server/lesson-graphs';

import { GradientStepClient } from './GradientStepClient';

export function GradientStepWidget({ id = 'gs' }: { id?: string }) {
  return <GradientStepClient id={id} layouts={neuronLayouts()} />;
}
