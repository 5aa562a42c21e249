/**
 * Widget 4, the nudge test (server wrapper): passes the neuron's server-computed layouts for
 * the text alternative (the node table); the widget's code loads after the page's own scripts
 * (lazyWidget). In MDX: <NudgeTestWidget /> (optional `id`, the URL
 * prefix, default `nt`).
 */
import { WIDGETS } from '@/lib/widgets/catalog';

import { neuronLayouts } from '../server/lesson-graphs';

import { NudgeTestLazy } from './NudgeTestLazy';

export function NudgeTestWidget({ id = WIDGETS['nudge-test'].defaultInstance }: { id?: string }) {
  return <NudgeTestLazy id={id} layouts={neuronLayouts()} />;
}
