/**
 * Widget 1, the forward pass (server wrapper): lays the neuron's graph out on the server and
 * hands the positions to the client widget. In MDX: <ForwardPassWidget /> (optional `id`,
 * the URL prefix, default `fp`).
 */
import { neuronLayouts } from '../server/lesson-graphs';

import { ForwardPassClient } from './ForwardPassClient';

export function ForwardPassWidget({ id = 'fp' }: { id?: string }) {
  return <ForwardPassClient id={id} layouts={neuronLayouts()} />;
}
