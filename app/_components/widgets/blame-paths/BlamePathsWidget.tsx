/**
 * Widget 3, blame along paths (server wrapper): lays out the lesson neuron (binary cross-entropy,
 * as in the worked example) and a graph with a reused node on the server. In MDX:
 * <BlamePathsWidget /> (URL prefix `bp`).
 */
import { LESSON_NEURON, LESSON_WORKED_EXAMPLE } from '@/lib/autodiff/examples';
import { WIDGETS } from '@/lib/widgets/catalog';

import { REUSED_NODE, layoutOf } from '../server/lesson-graphs';

import { BlamePathsLazy } from './BlamePathsLazy';

export function BlamePathsWidget({ id = WIDGETS['blame-paths'].defaultInstance }: { id?: string }) {
  const layouts = {
    neuron: layoutOf(LESSON_NEURON.bce, LESSON_WORKED_EXAMPLE, { edgeLabels: true }),
    reused: layoutOf(REUSED_NODE.source, REUSED_NODE.env, { edgeLabels: true }),
  };
  return <BlamePathsLazy id={id} layouts={layouts} />;
}
