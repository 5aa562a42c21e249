/**
 * Widget 1, the forward pass (server wrapper): lays the neuron's graph out on the server and
 * hands the positions to the client widget, whose code loads after the page's own (lazyWidget). In MDX: <ForwardPassWidget /> (optional `id`,
 * the URL prefix, default `fp`).
 */
import { WIDGETS } from '@/lib/widgets/catalog';

import { neuronLayouts } from '../server/lesson-graphs';

import { ForwardPassLazy } from './ForwardPassLazy';

export function ForwardPassWidget({ id = WIDGETS['forward-pass'].defaultInstance }: { id?: string }) {
  return <ForwardPassLazy id={id} layouts={neuronLayouts()} />;
}
