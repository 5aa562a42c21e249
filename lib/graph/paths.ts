/**
 * Every path from one node to the output, with the product of local derivatives along it.
 * The multivariable chain rule says d(output)/d(node) is the sum of those products (colah's
 * "sum over paths"); reverse mode gets the same number by accumulating with `+=`. Forgetting
 * the `+=` (micrograd's classic bug) keeps one path and silently drops the others.
 */
import type { Trace, TraceEdge } from '@/lib/autodiff/trace';

export interface GraphPath {
  /** Node ids from the start node to the output. */
  nodes: number[];
  /** Edges in the same order (start -> output). Parallel edges (`a*a`) are distinct paths. */
  edges: TraceEdge[];
  /** Product of the edges' local derivatives. */
  product: number;
}

export interface PathsResult {
  paths: GraphPath[];
  /** Sum of the products: equals the engine's gradient of the output w.r.t. the start node. */
  sum: number;
  /** True when enumeration stopped at `limit` (sum then covers only the listed paths). */
  truncated: boolean;
}

/**
 * Depth-first, following outgoing edges in trace order, so the order of paths is
 * deterministic. Paths can multiply quickly in a deep graph with reuse: `limit` caps them.
 */
export function pathsToOutput(trace: Trace, start: number, limit = 256): PathsResult {
  const outgoing = new Map<number, TraceEdge[]>();
  for (const edge of trace.edges) {
    const list = outgoing.get(edge.from);
    if (list) list.push(edge);
    else outgoing.set(edge.from, [edge]);
  }
  const paths: GraphPath[] = [];
  let truncated = false;
  const nodeStack: number[] = [start];
  const edgeStack: TraceEdge[] = [];

  const walk = (node: number): void => {
    if (truncated) return;
    if (node === trace.output) {
      if (paths.length >= limit) {
        truncated = true;
        return;
      }
      let product = 1;
      for (const edge of edgeStack) product *= edge.localDerivative;
      paths.push({ nodes: [...nodeStack], edges: [...edgeStack], product });
      return;
    }
    for (const edge of outgoing.get(node) ?? []) {
      nodeStack.push(edge.to);
      edgeStack.push(edge);
      walk(edge.to);
      nodeStack.pop();
      edgeStack.pop();
    }
  };
  walk(start);

  let sum = 0;
  for (const path of paths) sum += path.product;
  return { paths, sum, truncated };
}
