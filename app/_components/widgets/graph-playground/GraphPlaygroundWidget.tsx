/**
 * Widget 5, your own graph (server wrapper): the starting example is laid out here, on the
 * server, so the first frame is drawn without dagre in the browser; the client loads dagre
 * (a dynamic import) only when the learner edits the program or picks another example. The
 * widget's own code loads after the page's scripts (lazyWidget).
 * In MDX: <GraphPlaygroundWidget /> (optional `id`, the URL prefix, default `gp`).
 */
import { WIDGETS } from '@/lib/widgets/catalog';

import { layoutOf } from '../server/lesson-graphs';

import { GraphPlaygroundLazy } from './GraphPlaygroundLazy';
import { DEFAULT_EXAMPLE, LAYOUT_OPTIONS, exampleById } from './examples';

export function GraphPlaygroundWidget({ id = WIDGETS['graph-playground'].defaultInstance }: { id?: string }) {
  const example = exampleById(DEFAULT_EXAMPLE);
  return (
    <GraphPlaygroundLazy
      id={id}
      initial={{ source: example.source, layout: layoutOf(example.source, example.env, LAYOUT_OPTIONS) }}
    />
  );
}
