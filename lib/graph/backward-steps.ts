/**
 * The backward pass as a sequence of single-edge steps, for a scrubbable timeline. Nodes are
 * visited from the output down in reverse creation order (a reverse topological order: a
 * node's consumers all have larger ids), and each node sends its gradient back along its
 * incoming edges. When a step runs, the gradient arriving at its `to` node is already final.
 */
import type { Trace, TraceEdge } from '@/lib/autodiff/trace';

export interface BackwardStep {
  edge: TraceEdge;
  /** d(output)/d(edge.to): the running product from the output to this edge's head. */
  upstream: number;
  /** d(edge.to)/d(edge.from), the factor this step multiplies in. */
  local: number;
  /** upstream * local: the running product from the output down to `edge.from` on this path. */
  product: number;
  /** d(output)/d(edge.from) accumulated so far (sums the paths seen up to this step). */
  accumulated: number;
  /** Whether `edge.from` has now received every contribution (its gradient is final). */
  completes: boolean;
}

export function backwardSteps(trace: Trace, include: (edge: TraceEdge) => boolean = () => true): BackwardStep[] {
  const incoming = new Map<number, TraceEdge[]>();
  const remaining = new Map<number, number>();
  for (const edge of trace.edges) {
    if (!include(edge)) continue;
    const list = incoming.get(edge.to);
    if (list) list.push(edge);
    else incoming.set(edge.to, [edge]);
    remaining.set(edge.from, (remaining.get(edge.from) ?? 0) + 1);
  }
  const grads = new Map<number, number>([[trace.output, 1]]);
  const ids = trace.nodes.map((node) => node.id).sort((a, b) => b - a);
  const steps: BackwardStep[] = [];
  for (const id of ids) {
    const edges = incoming.get(id);
    if (!edges) continue;
    const upstream = grads.get(id) ?? 0;
    for (const edge of [...edges].sort((a, b) => a.argIndex - b.argIndex)) {
      const product = upstream * edge.localDerivative;
      const accumulated = (grads.get(edge.from) ?? 0) + product;
      grads.set(edge.from, accumulated);
      const left = (remaining.get(edge.from) ?? 1) - 1;
      remaining.set(edge.from, left);
      steps.push({ edge, upstream, local: edge.localDerivative, product, accumulated, completes: left === 0 });
    }
  }
  return steps;
}

/**
 * Node ids whose gradient is known after the first `count` steps: the output, plus every node
 * whose last contribution has arrived.
 */
export function knownGradients(trace: Trace, steps: readonly BackwardStep[], count: number): Set<number> {
  const known = new Set<number>([trace.output]);
  for (let i = 0; i < Math.min(count, steps.length); i++) {
    const step = steps[i]!;
    if (step.completes) known.add(step.edge.from);
  }
  return known;
}
