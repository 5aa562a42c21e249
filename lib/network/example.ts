/**
 * One training point through the network as an ordinary lib/autodiff program: the graph view,
 * the layer view's per-point numbers and the path panel all read this run. Blame along paths
 * comes from the trace's local derivatives (lib/graph/paths), the gradient it is compared with
 * from the engine's reverse sweep, and the check from a central difference of the loss itself.
 */
import { compile, type CompiledProgram, type ProgramResult } from '@/lib/autodiff/program';
import type { TraceEdge } from '@/lib/autodiff/trace';
import { pathsToOutput } from '@/lib/graph/paths';

import type { Dataset } from './data';
import { inputName, networkProgram, parameterNames, type NetworkSpec } from './model';

const programs = new Map<string, CompiledProgram>();

export function programFor(spec: NetworkSpec): CompiledProgram {
  const key = `${spec.depth}:${spec.activation}`;
  let program = programs.get(key);
  if (!program) {
    program = compile(networkProgram(spec));
    programs.set(key, program);
  }
  return program;
}

export function pointEnv(
  spec: NetworkSpec,
  params: Float64Array,
  data: Dataset,
  point: number,
): Record<string, number> {
  const env: Record<string, number> = {};
  parameterNames(spec.depth).forEach((name, i) => (env[name] = params[i]!));
  env[inputName(1)] = data.xs[2 * point]!;
  env[inputName(2)] = data.xs[2 * point + 1]!;
  env.y = data.ys[point]!;
  return env;
}

export function runPoint(spec: NetworkSpec, params: Float64Array, data: Dataset, point: number): ProgramResult {
  return programFor(spec).run(pointEnv(spec, params, data, point));
}

export interface PathFactor {
  /** Named node the hop starts at and the named node it reaches (unnamed × and + are inside). */
  from: string;
  to: string;
  /** Product of the local derivatives on the hop's edges. */
  value: number;
}

export interface BlamePath {
  /** Named nodes from the start to L. */
  names: string[];
  factors: PathFactor[];
  product: number;
  edges: TraceEdge[];
}

export interface BlameReport {
  start: string;
  paths: BlamePath[];
  /** Sum of the path products. */
  sum: number;
  /** The engine's ∂L/∂start (reverse sweep). */
  engine: number;
  /** Central difference (L(v + h) − L(v − h)) / 2h on the same program. */
  finiteDifference: number;
}

/**
 * Every path from a named leaf (a weight, bias or input) to L, grouped into hops between named
 * nodes: w1_21 → z1_2 has the factor x1 (a × and two + on the way), z1_2 → h1_2 the activation's
 * slope, and so on.
 */
export function blameReport(
  run: ProgramResult,
  env: Record<string, number>,
  program: CompiledProgram,
  start: string,
  /** Run the nudge check (two more runs of the program); without it finiteDifference is NaN. */
  check = true,
): BlameReport {
  const { trace } = run;
  const byId = new Map(trace.nodes.map((node) => [node.id, node]));
  const startNode = trace.nodes.find((node) => node.names.includes(start));
  if (!startNode) throw new Error(`the network has no node named '${start}'`);
  const { paths, sum } = pathsToOutput(trace, startNode.id);
  const blamePaths = paths.map((path): BlamePath => {
    const names = [start];
    const factors: PathFactor[] = [];
    let hop = 1;
    for (const edge of path.edges) {
      hop *= edge.localDerivative;
      const name = byId.get(edge.to)?.names[0];
      if (name !== undefined) {
        factors.push({ from: names[names.length - 1]!, to: name, value: hop });
        names.push(name);
        hop = 1;
      }
    }
    return { names, factors, product: path.product, edges: path.edges };
  });
  if (!check) return { start, paths: blamePaths, sum, engine: run.gradients[start]!, finiteDifference: Number.NaN };
  const value = env[start]!;
  const h = 1e-5 * Math.max(1, Math.abs(value));
  const plus = program.run({ ...env, [start]: value + h }).value;
  const minus = program.run({ ...env, [start]: value - h }).value;
  // The run above reused the program's tape: leave it holding the caller's numbers again.
  const engine = program.run(env).gradients[start]!;
  return { start, paths: blamePaths, sum, engine, finiteDifference: (plus - minus) / (2 * h) };
}
