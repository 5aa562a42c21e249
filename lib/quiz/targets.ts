import { compile, LESSON_NEURON, type CompiledProgram, type ProgramResult, type Trace } from '@/lib/autodiff';

import { isNetworkTarget, solveNetworkTarget } from './network-targets';
import type { Loss, MisconceptionId, NumericTarget } from './schema';

/**
 * Expected answers for the generated questions, all from lib/autodiff: the same engine that
 * draws the widgets grades the learner. Misconception values are what a learner who makes
 * that specific mistake would type, built from the engine's own values and local derivatives
 * (no derivative formula is restated here).
 */

/** The numbers a learner is given: a seeded variant. `eta` is only shown where a step is asked. */
export interface GraphVariant {
  x: number;
  w: number;
  b: number;
  y: number;
  eta: number;
}

export type GivenName = keyof GraphVariant;

export interface Misconception {
  id: MisconceptionId;
  value: number;
}

export interface TargetSolution {
  expected: number;
  misconceptions: Misconception[];
  /** Named values (forward values, gradients) for worked solutions. */
  values: Record<string, number>;
}

/** p is used twice: directly by L and through z. The lesson's "paths add" section, on the neuron's letters. */
export const REUSED_NODE_PROGRAM = 'p = w*x\nz = p + b\nL = p*z';

type GraphName = 'neuron' | 'reused' | 'network';

/** The lesson neuron with each loss; the reused-node graph ends in L = p*z and has none. */
const neuronPrograms: Record<Loss, CompiledProgram> = {
  bce: compile(LESSON_NEURON.bce),
  'squared-error': compile(LESSON_NEURON.squaredError),
};
const reusedProgram = compile(REUSED_NODE_PROGRAM);

export const OTHER_LOSS: Record<Loss, Loss> = { bce: 'squared-error', 'squared-error': 'bce' };

/** The lesson neuron (with `loss`) at one point: values, gradients and the trace's local derivatives. */
export function runNeuron(loss: Loss, env: { x: number; w: number; b: number; y: number }): ProgramResult {
  return neuronPrograms[loss].run(env);
}

export const TARGET_GRAPH: Record<NumericTarget, GraphName> = {
  'neuron-local-z-a': 'neuron',
  'neuron-local-a-L': 'neuron',
  'neuron-path-w-z': 'neuron',
  'neuron-dL-dw': 'neuron',
  'neuron-step-w': 'neuron',
  'reused-dL-dp': 'reused',
  'network-dL-ds': 'network',
  'network-dh1-dz1': 'network',
  'network-dL-dw': 'network',
  'network-path-x-h1': 'network',
  'network-path-x-h2': 'network',
  'network-dL-dx': 'network',
};

/** Which givens a learner needs for a target, in display order. */
export function givensFor(target: NumericTarget): GivenName[] {
  if (TARGET_GRAPH[target] === 'reused') return ['x', 'w', 'b'];
  return target === 'neuron-step-w' ? ['x', 'w', 'b', 'y', 'eta'] : ['x', 'w', 'b', 'y'];
}

function nodeId(trace: Trace, name: string): number {
  const node = trace.nodes.find((candidate) => candidate.names.includes(name));
  if (!node) throw new Error(`graph has no node named '${name}'`);
  return node.id;
}

export function edgeLocal(trace: Trace, from: string, to: string): number {
  const fromId = nodeId(trace, from);
  const toId = nodeId(trace, to);
  const edge = trace.edges.find((candidate) => candidate.from === fromId && candidate.to === toId);
  if (!edge) throw new Error(`graph has no edge ${from} -> ${to}`);
  return edge.localDerivative;
}

/** Product of local derivatives along every path from one node to another (depth-first). */
export function pathProducts(trace: Trace, from: string, to: string): number[] {
  const target = nodeId(trace, to);
  const products: number[] = [];
  const walk = (node: number, product: number) => {
    if (node === target) {
      products.push(product);
      return;
    }
    for (const edge of trace.edges) if (edge.from === node) walk(edge.to, product * edge.localDerivative);
  };
  walk(nodeId(trace, from), 1);
  return products;
}

function run(graph: GraphName, variant: GraphVariant, loss: Loss): ProgramResult {
  const { x, w, b, y } = variant;
  return graph === 'neuron' ? runNeuron(loss, { x, w, b, y }) : reusedProgram.run({ x, w, b });
}

function required(record: Record<string, number>, name: string): number {
  const value = record[name];
  if (value === undefined) throw new Error(`engine result has no '${name}'`);
  return value;
}

/** The expected answer and the misconception values for one target at one variant (neuron targets: with `loss`). */
export function solveTarget(target: NumericTarget, variant: GraphVariant, loss: Loss = 'bce'): TargetSolution {
  // The network's targets have their own program and solver (givens x, w, b, y as here).
  if (isNetworkTarget(target)) return solveNetworkTarget(target, variant);
  const result = run(TARGET_GRAPH[target], variant, loss);
  // What a learner who used the other loss would get: the same target on the other program.
  const otherLoss = () => run('neuron', variant, OTHER_LOSS[loss]);
  const { trace, values, nodeGradients, gradients } = result;
  const named = { ...values, ...prefixed('d', nodeGradients), eta: variant.eta };
  switch (target) {
    case 'neuron-local-z-a':
      return {
        expected: edgeLocal(trace, 'z', 'a'),
        misconceptions: [{ id: 'sigmoid-for-derivative', value: required(values, 'a') }],
        values: named,
      };
    case 'neuron-local-a-L': {
      const expected = edgeLocal(trace, 'a', 'L');
      return {
        expected,
        misconceptions: [
          { id: 'sign-dL-da', value: -expected },
          { id: 'dL-dz-for-dL-da', value: required(nodeGradients, 'z') },
          { id: 'wrong-loss', value: edgeLocal(otherLoss().trace, 'a', 'L') },
        ],
        values: named,
      };
    }
    case 'neuron-path-w-z': {
      const [expected = Number.NaN] = pathProducts(trace, 'w', 'z');
      return {
        expected,
        misconceptions: [
          // Dropping the w -> p factor (which is x) leaves the rest of the path.
          { id: 'missing-x', value: expected / edgeLocal(trace, 'w', 'p') },
          { id: 'w-for-x', value: edgeLocal(trace, 'x', 'p') },
        ],
        values: named,
      };
    }
    case 'neuron-dL-dw': {
      const expected = required(gradients, 'w');
      const sigmoidSlope = edgeLocal(trace, 'z', 'a');
      return {
        expected,
        misconceptions: [
          { id: 'sigmoid-for-derivative', value: (expected / sigmoidSlope) * required(values, 'a') },
          { id: 'sign-dL-da', value: -expected },
          { id: 'missing-x', value: expected / edgeLocal(trace, 'w', 'p') },
          { id: 'missing-sigmoid-slope', value: expected / sigmoidSlope },
          { id: 'wrong-path', value: required(gradients, 'x') },
          { id: 'wrong-loss', value: required(otherLoss().gradients, 'w') },
        ],
        values: named,
      };
    }
    case 'neuron-step-w': {
      const gradient = required(gradients, 'w');
      return {
        expected: variant.w - variant.eta * gradient,
        misconceptions: [
          { id: 'step-uphill', value: variant.w + variant.eta * gradient },
          { id: 'no-learning-rate', value: variant.w - gradient },
          { id: 'wrong-loss', value: variant.w - variant.eta * required(otherLoss().gradients, 'w') },
        ],
        values: { ...named, newW: variant.w - variant.eta * gradient },
      };
    }
    case 'reused-dL-dp': {
      const paths = pathProducts(trace, 'p', 'L');
      return {
        expected: required(nodeGradients, 'p'),
        misconceptions: [
          { id: 'paths-multiplied', value: paths.reduce((product, path) => product * path, 1) },
          ...paths.map((value): Misconception => ({ id: 'one-path-only', value })),
        ],
        values: named,
      };
    }
  }
}

function prefixed(prefix: string, record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [`${prefix}${key}`, value]));
}
