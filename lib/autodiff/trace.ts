import { AutodiffError } from './errors';
import { OP_CONSTANT as IMPORTED_OP_CONSTANT, OP_INPUT as IMPORTED_OP_INPUT, OPS_BY_CODE } from './ops';
import type { Gradients, Tape, Value } from './tape';

// Local copies: some loaders turn imported bindings into getter calls (see tape.ts).
const OP_CONSTANT = IMPORTED_OP_CONSTANT;
const OP_INPUT = IMPORTED_OP_INPUT;

export interface TraceNode {
  /** Tape index: stable, and ascending ids are creation (topological) order. */
  id: number;
  op: string;
  /** First name bound to the node, else the variable name, constant value or op symbol. */
  label: string;
  /** Every name that refers to this node (a node can be bound to several, `b = a`). */
  names: string[];
  value: number;
  /** d(output)/d(node); NaN when the trace was drawn without gradients. */
  grad: number;
  kind: 'input' | 'constant' | 'op';
}

export interface TraceEdge {
  from: number;
  to: number;
  /** ∂to/∂from, the number multiplied into the gradient flowing back along this edge. */
  localDerivative: number;
  /** Which argument of `to` this edge feeds (0 or 1). */
  argIndex: number;
}

export interface Trace {
  nodes: TraceNode[];
  edges: TraceEdge[];
  output: number;
}

export function formatConstant(value: number): string {
  return String(value);
}

/**
 * Builds the drawable graph of nodes `0..last` whose flag in `include` is set (all when
 * `include` is undefined). `adjointOf` supplies d(output)/d(node).
 */
export function traceTape(
  tape: Tape,
  output: number,
  adjointOf: ((index: number) => number) | undefined,
  include?: Uint8Array,
): Trace {
  const nodes: TraceNode[] = [];
  const edges: TraceEdge[] = [];
  const { opcodes, parentA, parentB, values, partialA, partialB } = tape.nodeArrays();
  const last = include === undefined ? tape.size - 1 : output;
  for (let id = 0; id <= last; id++) {
    if (include !== undefined && include[id] !== 1) continue;
    const opcode = opcodes[id]!;
    const names = tape.namesAt(id).slice();
    const value = values[id]!;
    const grad = adjointOf === undefined ? Number.NaN : adjointOf(id);
    if (opcode === OP_INPUT) {
      nodes.push({ id, op: 'input', label: names[0] ?? `input${id}`, names, value, grad, kind: 'input' });
      continue;
    }
    if (opcode === OP_CONSTANT) {
      const label = names[0] ?? formatConstant(value);
      nodes.push({ id, op: 'constant', label, names, value, grad, kind: 'constant' });
      continue;
    }
    const definition = OPS_BY_CODE[opcode];
    const opName = definition?.name ?? `op${opcode}`;
    nodes.push({ id, op: opName, label: names[0] ?? definition?.symbol ?? opName, names, value, grad, kind: 'op' });
    const a = parentA[id]!;
    if (a >= 0) edges.push({ from: a, to: id, localDerivative: partialA[id]!, argIndex: 0 });
    const b = parentB[id]!;
    if (b >= 0) edges.push({ from: b, to: id, localDerivative: partialB[id]!, argIndex: 1 });
  }
  return { nodes, edges, output };
}

/** Marks `output` and everything it depends on, by one descending pass (no recursion). */
export function ancestorsOf(tape: Tape, output: number): Uint8Array {
  const { parentA, parentB } = tape.nodeArrays();
  const include = new Uint8Array(output + 1);
  include[output] = 1;
  for (let i = output; i >= 0; i--) {
    if (include[i] !== 1) continue;
    const a = parentA[i]!;
    const b = parentB[i]!;
    if (a >= 0) include[a] = 1;
    if (b >= 0) include[b] = 1;
  }
  return include;
}

/**
 * The graph that produced `out`: only its ancestors, in creation order. With `grads` (from
 * backward or forwardGradients on the same output) nodes carry gradients; otherwise NaN.
 */
export function trace(out: Value, grads?: Gradients): Trace {
  const tape = out.tape;
  const output = tape.indexOf(out);
  const include = ancestorsOf(tape, output);
  const adjointOf =
    grads === undefined
      ? undefined
      : (index: number): number => {
          try {
            return grads.grad(tape.wrap(index));
          } catch (error) {
            // Forward-mode gradients only know their seeds; other nodes have no value to show.
            if (error instanceof AutodiffError && error.kind === 'not-seeded') return Number.NaN;
            throw error;
          }
        };
  return traceTape(tape, output, adjointOf, include);
}
