/**
 * A layered left-to-right layout for the network's scalar graph, computed in the browser
 * without a layout library. The graph changes shape only when the learner adds or removes a
 * layer, and its shape is regular (weights, products, sums, activations, layer after layer),
 * so columns by depth with creation order inside a column read well and cost nothing: dagre
 * would be a 16 kB chunk for a picture that is already a grid.
 *
 * Op nodes sit one column right of their deepest operand; a leaf (weight, bias, input) sits
 * one column left of its first consumer, so each parameter is drawn next to where it is used.
 */
import type { Trace } from '@/lib/autodiff/trace';
import { edgeKey, nodeName, opSymbol, type GraphLayout, type LayoutEdge, type LayoutNode } from '@/lib/graph/types';

const NODE_WIDTH = 102;
const NODE_HEIGHT = 62;
const COLUMN_GAP = 44;
const ROW_GAP = 14;
const MARGIN = 8;

export function layoutNetworkTrace(trace: Trace): GraphLayout {
  const rank = new Map<number, number>();
  const parents = new Map<number, number[]>();
  const children = new Map<number, number[]>();
  for (const edge of trace.edges) {
    (parents.get(edge.to) ?? parents.set(edge.to, []).get(edge.to)!).push(edge.from);
    (children.get(edge.from) ?? children.set(edge.from, []).get(edge.from)!).push(edge.to);
  }
  // Creation order is topological: one ascending pass ranks every op.
  for (const node of trace.nodes) {
    if (node.kind !== 'op') continue;
    let deepest = 0;
    for (const parent of parents.get(node.id) ?? []) {
      const parentNode = parent;
      if (rank.has(parentNode)) deepest = Math.max(deepest, rank.get(parentNode)! + 1);
      else deepest = Math.max(deepest, 1);
    }
    rank.set(node.id, deepest);
  }
  for (const node of trace.nodes) {
    if (node.kind === 'op') continue;
    const consumers = (children.get(node.id) ?? []).map((child) => rank.get(child) ?? 1);
    rank.set(node.id, Math.max(0, Math.min(...consumers, Infinity) - 1));
  }
  const columns: number[][] = [];
  for (const node of trace.nodes) {
    const r = rank.get(node.id) ?? 0;
    (columns[r] ??= []).push(node.id);
  }
  const tallest = Math.max(...columns.map((column) => column?.length ?? 0));
  const height = 2 * MARGIN + tallest * NODE_HEIGHT + (tallest - 1) * ROW_GAP;
  const position = new Map<number, { x: number; y: number }>();
  columns.forEach((column, r) => {
    if (!column) return;
    const x = MARGIN + r * (NODE_WIDTH + COLUMN_GAP) + NODE_WIDTH / 2;
    const span = column.length * NODE_HEIGHT + (column.length - 1) * ROW_GAP;
    const top = (height - span) / 2;
    column.forEach((id, i) => position.set(id, { x, y: top + i * (NODE_HEIGHT + ROW_GAP) + NODE_HEIGHT / 2 }));
  });
  const nodes: LayoutNode[] = trace.nodes.map((node) => {
    const { x, y } = position.get(node.id)!;
    const isNamedOp = node.kind === 'op' && node.names.length > 0;
    return {
      id: node.id,
      name: nodeName(node),
      label: node.kind === 'op' && !isNamedOp ? opSymbol(node.op) : node.label,
      opLabel: isNamedOp ? opSymbol(node.op) : '',
      kind: node.kind,
      op: node.op,
      x,
      y,
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
    };
  });
  nodes.sort((a, b) => a.x - b.x || a.y - b.y || a.id - b.id);
  const edges: LayoutEdge[] = trace.edges.map((edge) => {
    const from = position.get(edge.from)!;
    const to = position.get(edge.to)!;
    const start = { x: from.x + NODE_WIDTH / 2, y: from.y };
    const end = { x: to.x - NODE_WIDTH / 2, y: to.y };
    return {
      key: edgeKey(edge),
      from: edge.from,
      to: edge.to,
      argIndex: edge.argIndex,
      points: [start, end],
      label: { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 },
    };
  });
  return {
    width: 2 * MARGIN + columns.length * NODE_WIDTH + (columns.length - 1) * COLUMN_GAP,
    height,
    nodes,
    edges,
    output: trace.output,
  };
}
