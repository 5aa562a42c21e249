import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { compile, evaluate, LESSON_NEURON, LESSON_WORKED_EXAMPLE, type ProgramResult } from '@/lib/autodiff';

/**
 * Every number the chain-rule lesson quotes in its worked example, nudge test and gradient step
 * is the engine's, rounded as the text rounds it. The widgets beside the text compute the same
 * numbers live, so a change to the example, the engine or the prose that makes them disagree
 * fails here rather than in front of a student.
 */

const lesson = readFileSync(
  path.join(process.cwd(), 'content', 'lessons', 'chain-rule-computational-graphs', 'lesson.mdx'),
  'utf8',
)
  // The prose writes negative numbers with a true minus sign in places.
  .replaceAll('−', '-');

const example = { ...LESSON_WORKED_EXAMPLE };
const bce = compile(LESSON_NEURON.bce);

function nodeValue(result: ProgramResult, name: string): number {
  const value = result.values[name];
  if (value === undefined) throw new Error(`no value named ${name}`);
  return value;
}

/** The local derivative on the edge from one named node into another. */
function localDerivative(result: ProgramResult, from: string, to: string): number {
  const id = (name: string) => result.trace.nodes.find((node) => node.names.includes(name))?.id;
  const edge = result.trace.edges.find((candidate) => candidate.from === id(from) && candidate.to === id(to));
  if (!edge) throw new Error(`no edge ${from} -> ${to}`);
  return edge.localDerivative;
}

/** The text quotes `value` with this many decimals (trailing zeros dropped, as the prose does). */
function quoted(value: number, decimals: number): string {
  return String(Number(value.toFixed(decimals)));
}

describe('the numbers the chain-rule lesson quotes', () => {
  const run = bce.run(example);

  it('uses the worked example the widgets start from', () => {
    expect(lesson).toContain(
      `x &= ${example.x}, &\\qquad w &= ${example.w}, \\\\\nb &= ${example.b}, &\\qquad y &= ${example.y},`,
    );
  });

  it('gives the forward values', () => {
    expect(lesson).toContain(`z &= w x + b = 0.8 \\times 1.5 - 0.5 = ${quoted(nodeValue(run, 'z'), 4)}`);
    expect(lesson).toContain(`\\approx ${quoted(nodeValue(run, 'a'), 4)}`);
    expect(lesson).toContain(`\\approx ${quoted(run.value, 4)}`);
    // The diagram rounds to three decimals.
    expect(lesson).toContain(`a: '${quoted(nodeValue(run, 'a'), 3)}'`);
    expect(lesson).toContain(`L: '${quoted(run.value, 3)}'`);
  });

  it('gives the local derivatives, the chained gradients and the diagram of them', () => {
    const dLda = localDerivative(run, 'a', 'L');
    const dadz = localDerivative(run, 'z', 'a');
    expect(lesson).toContain(`\\approx ${quoted(dLda, 4)}`);
    expect(lesson).toContain(`\\approx ${quoted(dadz, 4)}`);
    expect(lesson).toContain(`(${quoted(dLda, 4)})(${quoted(dadz, 4)})(${example.x})`);
    expect(lesson).toContain(`&\\approx ${quoted(run.gradients.w!, 4)}`);
    expect(lesson).toContain(`\\cdot 1 \\approx ${quoted(run.gradients.b!, 4)}`);
    expect(lesson).toContain(`\\approx ${quoted(run.gradients.x!, 4)}`);
    // The shortcut: dL/dz = a - y.
    expect(lesson).toContain(`${quoted(nodeValue(run, 'a'), 4)} - 1 = ${quoted(run.nodeGradients.z!, 4)}`);
    for (const [name, gradient] of [
      ['a', run.nodeGradients.a!],
      ['z', run.nodeGradients.z!],
      ['w', run.gradients.w!],
      ['x', run.gradients.x!],
    ] as const)
      expect(lesson).toContain(`${name}: '${quoted(gradient, 3)}'`);
  });

  it('gives the squared-error variant', () => {
    const squared = compile(LESSON_NEURON.squaredError).run(example);
    expect(lesson).toContain(`2(a - y) \\approx ${quoted(localDerivative(squared, 'a', 'L'), 4)}`);
    expect(lesson).toContain(`\\approx ${quoted(squared.gradients.w!, 4)}$, less than half`);
  });

  it('gives the nudge test', () => {
    const loss = (w: number) => bce.run({ ...example, w }).value;
    expect(lesson).toContain(`L(0.81) \\approx ${quoted(loss(0.81), 5)}`);
    expect(lesson).toContain(`falls by about $${quoted(loss(0.8) - loss(0.81), 5)}$`);
    expect(lesson).toContain(`ratio is $\\approx ${quoted((loss(0.81) - loss(0.8)) / 0.01, 4)}$`);
    expect(lesson).toContain(`$h = 0.001$ the ratio is $\\approx ${quoted((loss(0.801) - loss(0.8)) / 0.001, 4)}$`);
    expect(lesson).toContain(`gives $${quoted((loss(0.81) - loss(0.79)) / 0.02, 5)}$ already`);
  });

  it('gives one gradient step with eta = 0.5', () => {
    const w = example.w - 0.5 * run.gradients.w!;
    const after = bce.run({ ...example, w });
    expect(lesson).toContain(`moves from $0.8$ to about $${quoted(w, 4)}$`);
    expect(lesson).toContain(
      `$z \\approx ${quoted(nodeValue(after, 'z'), 4)}$, $a \\approx ${quoted(nodeValue(after, 'a'), 4)}$ and $L \\approx ${quoted(after.value, 4)}$`,
    );
    expect(lesson).toContain(`drops from $${quoted(run.value, 4)}$ to $${quoted(after.value, 4)}$`);
  });

  it('gives the gradient-step widget its overshooting setup: target 0.8, best w about 0.69, eta 4.5', () => {
    // OVERSHOOT_SETUP (x = 2, b = 0): a = sigmoid(2w) = 0.8 at w = ln(0.8 / 0.2) / 2, where the
    // cross-entropy's curvature a(1 - a)x^2 = 0.64 makes every eta above 2 / 0.64 overshoot.
    const best = Math.log(0.8 / 0.2) / 2;
    expect(bce.run({ x: 2, w: best, b: 0, y: 0.8 }).gradients.w).toBeCloseTo(0, 12);
    expect(lesson).toContain(`target of $0.8$: now the best $w$ is finite, about $${quoted(best, 2)}$`);
    expect(lesson).toContain('with $\\eta = 4.5$ every step jumps over it');
    expect(4.5).toBeGreaterThan(2 / (0.8 * 0.2 * 2 ** 2));
  });

  it('gives the reused-node example: two paths of u each', () => {
    expect(evaluate('f = u*u', { u: 3 }).gradients.u).toBe(6);
    expect(lesson).toContain('At $u = 3$ that is $3 + 3 = 6$');
  });
});
