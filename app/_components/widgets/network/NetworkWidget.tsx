/**
 * The two-layer network widget (server wrapper). Nothing to lay out on the server: the layer
 * view is drawn from the network's shape and the graph view is laid out in the browser
 * (lib/network/layout), so the page carries no per-widget JSON. In MDX: <NetworkWidget />.
 */
import { WIDGETS } from '@/lib/widgets/catalog';

import { NetworkLazy } from './NetworkLazy';

export function NetworkWidget({ id = WIDGETS.network.defaultInstance }: { id?: string }) {
  return <NetworkLazy id={id} />;
}
