import { compile, type ProgramResult } from '@/lib/autodiff';

import { formatNumber } from './format';
import type { MisconceptionId } from './schema';

/**
 * Knowledge-check targets on a small network (issue 17), graded like every other target: the
 * learner's seeded x, w, b, y go into a program in the lesson's language and lib/autodiff
 * computes the expected answers. The network is the widget's in miniature: input x feeds two
 * tanh hidden units; the first has the learner's weight w and bias b, the second fixed numbers
 * (stated in the prompts); a sigmoid output with cross-entropy. So ∂L/∂w is a path product
 * through one hidden unit, and ∂L/∂x a sum over two paths.
 */
export const NETWORK_PROGRAM = [
  'z1 = w*x + b',
  'h1 = tanh(z1)',
  'z2 = -0.5*x + 0.25',
  'h2 = tanh(z2)',
  's = 1.5*h1 - 1*h2',
  'p = sigmoid(s)',
  'L = bce(p, y)',
].join('\n');

/** The fixed weights of NETWORK_PROGRAM, as the prompts state them. */
export const NETWORK_FIXED = { u: -0.5, c: 0.25, v1: 1.5, v2: -1 } as const;

export const NETWORK_TARGETS = [
  /** ∂L/∂s: the blame arriving at the output's sum (p − y). */
  'network-dL-ds',
  /** ∂h1/∂z1: the first hidden unit's tanh slope. */
  'network-dh1-dz1',
  /** ∂L/∂w: the first-layer weight's one path, through h1. */
  'network-dL-dw',
  /** The product along x's path through h1. */
  'network-path-x-h1',
  /** The product along x's path through h2. */
  'network-path-x-h2',
  /** ∂L/∂x: both paths added. */
  'network-dL-dx',
] as const;
export type NetworkTarget = (typeof NETWORK_TARGETS)[number];

export function isNetworkTarget(target: string): target is NetworkTarget {
  return (NETWORK_TARGETS as readonly string[]).includes(target);
}

const program = compile(NETWORK_PROGRAM);

export interface NetworkSolution {
  expected: number;
  misconceptions: { id: MisconceptionId; value: number }[];
  values: Record<string, number>;
}

/** Local derivative on the edge into `to` from `from`, by node names. */
function local(result: ProgramResult, from: string, to: string): number {
  const id = (name: string) => result.trace.nodes.find((node) => node.names.includes(name))?.id;
  const edge = result.trace.edges.find((candidate) => candidate.from === id(from) && candidate.to === id(to));
  if (!edge) throw new Error(`network has no edge ${from} -> ${to}`);
  return edge.localDerivative;
}

/** Local derivative on the one edge leaving a named node (w's edge into its product w·x). */
function onlyEdgeFrom(result: ProgramResult, from: string): number {
  const id = result.trace.nodes.find((node) => node.names.includes(from))?.id;
  const edges = result.trace.edges.filter((candidate) => candidate.from === id);
  if (edges.length !== 1) throw new Error(`expected one edge out of ${from}`);
  return edges[0]!.localDerivative;
}

/** Product of local derivatives along every path between two named nodes (depth-first, trace order). */
function paths(result: ProgramResult, from: string, to: string): number[] {
  const { trace } = result;
  const id = (name: string) => trace.nodes.find((node) => node.names.includes(name))!.id;
  const target = id(to);
  const products: number[] = [];
  const walk = (node: number, product: number) => {
    if (node === target) {
      products.push(product);
      return;
    }
    for (const edge of trace.edges) if (edge.from === node) walk(edge.to, product * edge.localDerivative);
  };
  walk(id(from), 1);
  return products;
}

export function solveNetworkTarget(
  target: NetworkTarget,
  variant: { x: number; w: number; b: number; y: number },
): NetworkSolution {
  const { x, w, b, y } = variant;
  const result = program.run({ x, w, b, y });
  const { values, nodeGradients, gradients } = result;
  const [viaH1 = Number.NaN, viaH2 = Number.NaN] = paths(result, 'x', 'L');
  const named: Record<string, number> = {
    ...values,
    ...Object.fromEntries(Object.entries(nodeGradients).map(([key, value]) => [`d${key}`, value])),
    dx: gradients.x!,
    dw: gradients.w!,
    pathH1: viaH1,
    pathH2: viaH2,
    slope1: local(result, 'z1', 'h1'),
    slope2: local(result, 'z2', 'h2'),
  };
  switch (target) {
    case 'network-dL-ds':
      return {
        expected: nodeGradients.s!,
        misconceptions: [
          { id: 'sign-dL-da', value: -nodeGradients.s! },
          { id: 'dL-dz-for-dL-da', value: nodeGradients.p! },
        ],
        values: named,
      };
    case 'network-dh1-dz1':
      return {
        expected: named.slope1!,
        misconceptions: [{ id: 'sigmoid-for-derivative', value: values.h1! }],
        values: named,
      };
    case 'network-dL-dw': {
      const expected = gradients.w!;
      return {
        expected,
        misconceptions: [
          // Dropping the w -> (w·x) factor, which is x.
          { id: 'missing-x', value: expected / onlyEdgeFrom(result, 'w') },
          { id: 'sigmoid-for-derivative', value: (expected / named.slope1!) * values.h1! },
          { id: 'sign-dL-da', value: -expected },
        ],
        values: named,
      };
    }
    case 'network-path-x-h1':
      return { expected: viaH1, misconceptions: [{ id: 'sign-dL-da', value: -viaH1 }], values: named };
    case 'network-path-x-h2':
      return { expected: viaH2, misconceptions: [{ id: 'sign-dL-da', value: -viaH2 }], values: named };
    case 'network-dL-dx':
      return {
        expected: gradients.x!,
        misconceptions: [
          { id: 'paths-multiplied', value: viaH1 * viaH2 },
          { id: 'one-path-only', value: viaH1 },
          { id: 'one-path-only', value: viaH2 },
        ],
        values: named,
      };
  }
}

/**
 * Hints for the network targets, in the learner's numbers (lib/quiz/hints.ts calls these for a
 * network target). Like every hint, they never state the expected answer.
 */
export function networkHint(
  misconception: MisconceptionId | null,
  target: NetworkTarget,
  values: Readonly<Record<string, number>>,
  answer: number | null,
): string {
  const n = (name: string) => formatNumber(values[name] ?? Number.NaN);
  const typed = answer === null ? 'Your answer' : `Your ${formatNumber(answer)}`;
  const forward = `h₁ = tanh(w·x + b) = ${n('h1')}, h₂ = tanh(−0.5·x + 0.25) = ${n('h2')}, s = 1.5·h₁ − h₂ = ${n('s')}, p = σ(s) = ${n('p')}`;
  switch (misconception) {
    case 'sign-dL-da':
      return `${typed} has the right size but the wrong sign. With cross-entropy after a sigmoid, the blame arriving at s is p − y (here p = ${n('p')}, y = ${n('y')}), and every factor after it keeps its own sign.`;
    case 'dL-dz-for-dL-da':
      return `${typed} is ∂L/∂p, the loss's slope before the sigmoid. ∂L/∂s goes one link further, through σ: with cross-entropy the two together simplify to p − y.`;
    case 'sigmoid-for-derivative':
      return `${typed} is h₁ = tanh(z₁) itself. The edge z₁ → h₁ carries tanh's slope, 1 − h₁², with h₁ = ${n('h1')}.`;
    case 'missing-x':
      return `${typed} leaves out the first link of the path: z₁ = w·x + b, so ∂z₁/∂w = x = ${n('x')}.`;
    case 'paths-multiplied':
      return `You multiplied the two paths' products. Multiply along each path, then add across paths: x reaches L through h₁ and through h₂.`;
    case 'one-path-only':
      return `${typed} counts only one of the two paths from x to L. x feeds both hidden units: add the product through h₁ and the one through h₂.`;
    case null:
      break;
    default:
      return `Check each link of the path separately: forward first (${forward}), then one local derivative per link.`;
  }
  const not = answer === null ? 'Not yet.' : `${formatNumber(answer)} is not within tolerance.`;
  switch (target) {
    case 'network-dL-ds':
      return `${not} Forward first: ${forward}. Then the loss's slope at s: ∂L/∂p · ∂p/∂s.`;
    case 'network-dh1-dz1':
      return `${not} z₁ = w·x + b = ${n('z1')}; the slope of tanh there is 1 − tanh²(z₁).`;
    case 'network-dL-dw':
      return `${not} Forward: ${forward}. Then multiply along w → z₁ → h₁ → s → L: ∂z₁/∂w · ∂h₁/∂z₁ · ∂s/∂h₁ · ∂L/∂s.`;
    case 'network-path-x-h1':
      return `${not} Along x → z₁ → h₁ → s → L the links are w, 1 − h₁², 1.5 and ∂L/∂s = p − y (forward: ${forward}).`;
    case 'network-path-x-h2':
      return `${not} Along x → z₂ → h₂ → s → L the links are −0.5, 1 − h₂², −1 and ∂L/∂s = p − y (forward: ${forward}).`;
    case 'network-dL-dx':
      return `${not} x reaches L along two paths, through h₁ and through h₂: multiply the local derivatives along each, then add.`;
  }
}
