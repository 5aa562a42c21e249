/**
 * How much work a drawing of a trace would be, estimated without the layout library, so the
 * playground can refuse a graph before dagre spends seconds on it on the page's main thread.
 *
 * dagre's cost follows the nodes it places, and an edge that spans k ranks becomes k - 1
 * hidden "dummy" nodes. `y = x*x*x*...` has few real nodes but x feeds every multiply, so its
 * edges span 1, 2, 3, ... ranks: n factors make about n^2/2 dummies (measured: 30 factors, 406
 * dummies, 190-220 ms; 125 factors froze the tab for 2 s, 996 for minutes). Counting real plus
 * dummy nodes predicts that cost; a count of nodes alone does not.
 *
 * Ranks are estimated as dagre's ranker tends to place them: an operation one rank after its
 * latest input (longest path), a leaf (input or constant) one rank before its earliest
 * consumer, as tight as it can sit. Client-safe: no layout library here.
 */
import type { Trace } from '@/lib/autodiff/trace';

export interface GraphSize {
  nodes: number;
  edges: number;
  /** Estimated dummy nodes: the sum over edges of (rank span - 1). */
  dummies: number;
  /** nodes + dummies: the figure the playground's limit applies to. */
  units: number;
}

export function graphSize(trace: Trace): GraphSize {
  const incoming = new Map<number, number[]>();
  const outgoing = new Map<number, number[]>();
  for (const edge of trace.edges) {
    (incoming.get(edge.to) ?? incoming.set(edge.to, []).get(edge.to)!).push(edge.from);
    (outgoing.get(edge.from) ?? outgoing.set(edge.from, []).get(edge.from)!).push(edge.to);
  }
  // Node ids are creation order, so every edge goes from a smaller id to a larger one.
  const ids = trace.nodes.map((node) => node.id).sort((a, b) => a - b);
  const rank = new Map<number, number>();
  for (const id of ids) {
    const parents = incoming.get(id);
    if (!parents) continue; // leaves are placed below, next to their consumers
    let r = 0;
    for (const parent of parents) if (incoming.has(parent)) r = Math.max(r, (rank.get(parent) ?? 0) + 1);
    rank.set(id, Math.max(r, 1));
  }
  for (const id of ids) {
    if (incoming.has(id)) continue;
    const consumers = outgoing.get(id) ?? [];
    let earliest = Infinity;
    for (const consumer of consumers) earliest = Math.min(earliest, rank.get(consumer) ?? 1);
    rank.set(id, Number.isFinite(earliest) ? earliest - 1 : 0);
  }
  let dummies = 0;
  for (const edge of trace.edges) dummies += Math.max(0, (rank.get(edge.to) ?? 0) - (rank.get(edge.from) ?? 0) - 1);
  return { nodes: trace.nodes.length, edges: trace.edges.length, dummies, units: trace.nodes.length + dummies };
}
