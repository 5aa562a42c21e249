/**
 * Widget 4, the nudge test (server wrapper): passes the neuron's server-computed layouts for
 * the text alternative (the node table). In MDX: <NudgeTestWidget /> (optional `id`, the URL
 * prefix, default `nt`).
 */
import { neuronLayouts } from '../server/lesson-graphs';

import { NudgeTestClient } from './NudgeTestClient';

export function NudgeTestWidget({ id = 'nt' }: { id?: string }) {
  return <NudgeTestClient id={id} layouts={neuronLayouts()} />;
}
