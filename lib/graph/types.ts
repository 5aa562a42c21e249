/**
 * Plain, serialisable shapes of a laid-out computational graph. This file has no dependency on
 * the layout library, so client components can import these types and helpers while the
 * layout itself (layout.ts, dagre) runs on the server only.
 */
import type { TraceEdge, TraceNode } from '@/lib/autodiff/trace';

export interface Point {
  x: number;
  y: number;
}

export interface LayoutNode {
  /** Trace node id (tape index): the key that joins this node to a run's values and grads. */
  id: number;
  /** Stable name used in `data-node`: the first bound name, else `<op><id>` (e.g. `mul4`). */
  name: string;
  /** Text drawn as the node's title: its name, or the op symbol for an unnamed op. */
  label: string;
  /** Op symbol drawn beside a named op node (`×`, `σ`); empty for inputs and constants. */
  opLabel: string;
  kind: TraceNode['kind'];
  op: string;
  /** Centre of the node box (dagre's convention). */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LayoutEdge {
  /** `edgeKey(edge)`: unique even for the two edges of `a*a`. */
  key: string;
  from: number;
  to: number;
  argIndex: number;
  /** Polyline from the source box to the target box, left to right. */
  points: Point[];
  /** Half-way along the edge: where a label (the local derivative) is drawn. */
  label: Point;
}

export interface GraphLayout {
  width: number;
  height: number;
  /** In left-to-right, then top-to-bottom order: the Tab order of the drawn nodes. */
  nodes: LayoutNode[];
  edges: LayoutEdge[];
  /** Id of the output node (L). */
  output: number;
}

export function edgeKey(edge: Pick<TraceEdge, 'from' | 'to' | 'argIndex'>): string {
  return `${edge.from}>${edge.to}:${edge.argIndex}`;
}

const OP_SYMBOLS: Record<string, string> = {
  add: '+',
  sub: '−',
  mul: '×',
  div: '÷',
  neg: 'neg',
  pow: '^',
  sigmoid: 'σ',
};

/** Display symbol for an op node (`mul` -> `×`); the op name when it has no shorter symbol. */
export function opSymbol(op: string): string {
  return OP_SYMBOLS[op] ?? op;
}

/** The `data-node` name of a trace node: first bound name, else `<op><id>`. */
export function nodeName(node: Pick<TraceNode, 'id' | 'names' | 'kind' | 'op' | 'label'>): string {
  const first = node.names[0];
  if (first !== undefined) return first;
  if (node.kind === 'constant') return `const${node.id}`;
  return `${node.op}${node.id}`;
}

/**
 * What a learner reads for a node: its name, or for an unnamed operation the operation on its
 * inputs (`(u × c)`, `log(x)`), never an internal id such as mul4 (issue 16, items 10 and 11).
 */
export function readableNodeName(layout: Pick<GraphLayout, 'nodes' | 'edges'>, nodeId: number): string {
  const node = layout.nodes.find((candidate) => candidate.id === nodeId);
  if (!node) return 'a node';
  if (node.kind !== 'op' || node.opLabel !== '') return node.kind === 'constant' ? node.label : node.name;
  const inputs = layout.edges
    .filter((edge) => edge.to === nodeId)
    .sort((a, b) => a.argIndex - b.argIndex)
    .map((edge) => readableNodeName(layout, edge.from));
  return inputs.length === 2 ? `(${inputs[0]} ${node.label} ${inputs[1]})` : `${node.label}(${inputs.join(', ')})`;
}
