/**
 * Widget 2, the backward pass step by step (server wrapper). Lays out the neuron's graph and
 * typesets the chain-rule factors with KaTeX here on the server, so the browser gets HTML and
 * positions, never the KaTeX or dagre code. In MDX: <BackwardStepsWidget /> (URL prefix `bs`).
 */
import katex from 'katex';

import { WIDGETS } from '@/lib/widgets/catalog';

import { neuronLayouts } from '../server/lesson-graphs';

import type { Factor } from './BackwardStepsClient';
import { BackwardStepsLazy } from './BackwardStepsLazy';

const tex = (source: string) => katex.renderToString(source, { output: 'html', throwOnError: true, strict: true });

// dL/dw = dL/da · da/dz · dz/dw: the lesson's three factors. The graph draws the product w·x
// as its own node p, so the last factor covers two edges, dz/dp · dp/dw = 1 · x; the widget
// says so under the formula (issue 16, item 9: the text's three factors against four edges).
const CHAIN: readonly { from: string; to: string; via?: string }[] = [
  { from: 'a', to: 'L' },
  { from: 'z', to: 'a' },
  { from: 'w', to: 'z', via: 'p' },
];

export function BackwardStepsWidget({ id = WIDGETS['backward-steps'].defaultInstance }: { id?: string }) {
  const layouts = neuronLayouts({ edgeLabels: true });
  const idOf = (name: string) => layouts.sq.nodes.find((node) => node.name === name)!.id;
  const edgeOf = (from: string, to: string) =>
    layouts.sq.edges.find((edge) => edge.from === idOf(from) && edge.to === idOf(to))!.key;
  const factors: Factor[] = CHAIN.map(({ from, to, via }) => ({
    from,
    to,
    edges: via ? [edgeOf(via, to), edgeOf(from, via)] : [edgeOf(from, to)],
    html: tex(`\\frac{\\partial ${to}}{\\partial ${from}}`),
  }));
  return (
    <BackwardStepsLazy
      id={id}
      layouts={layouts}
      lhsHtml={tex('\\frac{\\partial L}{\\partial w} =')}
      factors={factors}
    />
  );
}
