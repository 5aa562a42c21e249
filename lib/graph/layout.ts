/**
 * Trace -> positioned nodes and edges, left to right, with dagre. Run it where the graph's
 * structure is known: on the server for the lesson's fixed graphs (the result is plain JSON
 * passed to a client widget), so dagre never reaches the browser's first-load JS. Values
 * change on every slider move but the structure does not, so nothing here depends on values.
 */
import dagre from '@dagrejs/dagre';

import type { Trace } from '@/lib/autodiff/trace';

import { edgeKey, nodeName, opSymbol, type GraphLayout, type LayoutEdge, type LayoutNode, type Point } from './types';

export interface LayoutOptions {
  nodeWidth?: number;
  nodeHeight?: number;
  /** Horizontal gap between ranks. */
  rankSep?: number;
  /** Vertical gap between nodes of one rank. */
  nodeSep?: number;
  /** Leave room on every edge for a label (the local derivative): widens the rank gaps. */
  edgeLabels?: boolean;
  /** Space kept clear around the drawing. */
  margin?: number;
}

const DEFAULTS: Required<LayoutOptions> = {
  nodeWidth: 102,
  nodeHeight: 62,
  rankSep: 48,
  nodeSep: 22,
  edgeLabels: false,
  margin: 8,
};

const round = (n: number): number => Math.round(n * 100) / 100;

/** The point half-way along a polyline (by length). */
function halfway(points: readonly Point[]): Point {
  let total = 0;
  for (let i = 1; i < points.length; i++)
    total += Math.hypot(points[i]!.x - points[i - 1]!.x, points[i]!.y - points[i - 1]!.y);
  let left = total / 2;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    if (length >= left && length > 0)
      return { x: a.x + ((b.x - a.x) * left) / length, y: a.y + ((b.y - a.y) * left) / length };
    left -= length;
  }
  return points[0] ?? { x: 0, y: 0 };
}

export function layoutTrace(trace: Trace, options: LayoutOptions = {}): GraphLayout {
  const opts = { ...DEFAULTS, ...options };
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({
    rankdir: 'LR',
    // Labels sit on the middle of an edge, so they need a longer edge rather than a rank of
    // their own (dagre's label ranks would make the drawing ~30% wider).
    ranksep: opts.edgeLabels ? Math.max(opts.rankSep, 60) : opts.rankSep,
    nodesep: opts.nodeSep,
    edgesep: 12,
    marginx: opts.margin,
    marginy: opts.margin,
  });
  // Insertion order is the trace's creation order, so the same trace always lays out the same.
  for (const node of trace.nodes) {
    graph.setNode(String(node.id), { width: opts.nodeWidth, height: opts.nodeHeight });
  }
  for (const edge of trace.edges) {
    graph.setEdge(String(edge.from), String(edge.to), {}, String(edge.argIndex));
  }
  dagre.layout(graph);

  const nodes: LayoutNode[] = trace.nodes.map((node) => {
    const box = graph.node(String(node.id)) as { x: number; y: number };
    const name = nodeName(node);
    const isNamedOp = node.kind === 'op' && node.names.length > 0;
    return {
      id: node.id,
      name,
      label: node.kind === 'op' && !isNamedOp ? opSymbol(node.op) : node.label,
      opLabel: isNamedOp ? opSymbol(node.op) : '',
      kind: node.kind,
      op: node.op,
      x: round(box.x),
      y: round(box.y),
      width: opts.nodeWidth,
      height: opts.nodeHeight,
    };
  });
  nodes.sort((a, b) => a.x - b.x || a.y - b.y || a.id - b.id);

  const edges: LayoutEdge[] = trace.edges.map((edge) => {
    const drawn = graph.edge({ v: String(edge.from), w: String(edge.to), name: String(edge.argIndex) }) as {
      points?: Point[];
    };
    const points = (drawn.points ?? []).map((p) => ({ x: round(p.x), y: round(p.y) }));
    const middle = halfway(points);
    return {
      key: edgeKey(edge),
      from: edge.from,
      to: edge.to,
      argIndex: edge.argIndex,
      points,
      label: { x: round(middle.x), y: round(middle.y) },
    };
  });

  const size = graph.graph() as { width?: number; height?: number };
  return {
    width: Math.ceil(size.width ?? 0),
    height: Math.ceil(size.height ?? 0),
    nodes,
    edges,
    output: trace.output,
  };
}
