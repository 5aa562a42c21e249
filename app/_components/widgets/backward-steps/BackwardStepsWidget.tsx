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

// dL/dw = dL/da · da/dz · dz/dp · dp/dw: one factor per edge on the path from w to L
// (the lesson's dz/dw is dz/dp · dp/dw, with dz/dp = 1).
const CHAIN: readonly { from: string; to: string }[] = [
  { from: 'a', to: 'L' },
  { from: 'z', to: 'a' },
  { from: 'p', to: 'z' },
  { from: 'w', to: 'p' },
];

export function BackwardStepsWidget({ id = WIDGETS['backward-steps'].defaultInstance }: { id?: string }) {
  const layouts = neuronLayouts({ edgeLabels: true });
  const idOf = (name: string) => layouts.sq.nodes.find((node) => node.name === name)!.id;
  const factors: Factor[] = CHAIN.map(({ from, to }) => ({
    from,
    to,
    edge: layouts.sq.edges.find((edge) => edge.from === idOf(from) && edge.to === idOf(to))!.key,
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
