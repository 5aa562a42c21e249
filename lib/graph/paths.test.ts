import { describe, expect, it } from 'vitest';

import { compile, evaluate, EXAMPLE_PROGRAMS } from '@/lib/autodiff';

import { pathsToOutput } from './paths';
import { nodeName } from './types';

function example(id: string) {
  const found = EXAMPLE_PROGRAMS.find((program) => program.id === id);
  if (!found) throw new Error(`no example ${id}`);
  return found;
}

function centralDifference(source: string, env: Record<string, number>, name: string, h = 1e-5): number {
  const plus = evaluate(source, { ...env, [name]: env[name]! + h }).value;
  const minus = evaluate(source, { ...env, [name]: env[name]! - h }).value;
  return (plus - minus) / (2 * h);
}

describe('pathsToOutput', () => {
  const reused = example('reused-node');
  const run = compile(reused.source).run(reused.env);
  const idOf = (name: string) => run.trace.nodes.find((node) => nodeName(node) === name)!.id;

  it('finds both paths through the reused node and their products add up to the gradient', () => {
    const { paths, sum, truncated } = pathsToOutput(run.trace, idOf('u'));
    expect(truncated).toBe(false);
    expect(paths).toHaveLength(2);
    // u -> L directly (local 1), and u -> v = u*c -> L (local c, then 1).
    expect(paths.map((path) => path.product).sort((p, q) => p - q)).toEqual([1, reused.env.c]);
    expect(sum).toBe(1 + reused.env.c!);
    expect(sum).toBe(run.trace.nodes.find((node) => node.id === idOf('u'))!.grad);
    // Independent check: L as a function of u alone.
    expect(sum).toBeCloseTo(centralDifference('L = u + u*c', { u: -6, c: reused.env.c! }, 'u'), 6);
  });

  it('matches the engine gradient and central differences for every input of the reused-node graph', () => {
    for (const name of ['w', 'x', 'c']) {
      const { sum } = pathsToOutput(run.trace, idOf(name));
      expect(sum).toBeCloseTo(run.gradients[name]!, 12);
      expect(sum).toBeCloseTo(centralDifference(reused.source, reused.env, name), 6);
    }
    // x reaches L only through u, but u has two ways on: two paths.
    expect(pathsToOutput(run.trace, idOf('x')).paths).toHaveLength(2);
  });

  it('keeps the two parallel edges of b*b as two paths', () => {
    const source = 'b = w*x\nL = b*b + b';
    const env = { w: 2, x: 3 };
    const result = compile(source).run(env);
    const b = result.trace.nodes.find((node) => node.label === 'b')!;
    const { paths, sum } = pathsToOutput(result.trace, b.id);
    expect(paths).toHaveLength(3);
    expect(sum).toBe(2 * 6 + 1);
    expect(sum).toBe(b.grad);
    const w = result.trace.nodes.find((node) => node.label === 'w')!;
    expect(pathsToOutput(result.trace, w.id).sum).toBeCloseTo(centralDifference(source, env, 'w'), 5);
  });

  it('gives one path with the textbook product for the lesson neuron', () => {
    const neuron = example('neuron-squared-error');
    const result = compile(neuron.source).run(neuron.env);
    const w = result.trace.nodes.find((node) => node.label === 'w')!;
    const { paths, sum } = pathsToOutput(result.trace, w.id);
    expect(paths).toHaveLength(1);
    expect(paths[0]!.nodes.map((id) => result.trace.nodes.find((node) => node.id === id)!.label)).toEqual([
      'w',
      'p',
      'z',
      'a',
      'L',
    ]);
    expect(sum).toBeCloseTo(result.gradients.w!, 15);
    expect(sum).toBeCloseTo(centralDifference(neuron.source, neuron.env, 'w'), 6);
  });

  it('returns the empty path for the output itself and no path for a node off the graph', () => {
    const out = pathsToOutput(run.trace, run.trace.output);
    expect(out.paths).toHaveLength(1);
    expect(out.sum).toBe(1);
  });

  it('stops at the limit and says so', () => {
    // Each line doubles the number of paths from x.
    const source = ['h1 = x + x', 'h2 = h1 + h1', 'h3 = h2 + h2', 'h4 = h3 + h3', 'L = h4 + h4'].join('\n');
    const result = compile(source).run({ x: 1 });
    const x = result.trace.nodes.find((node) => node.label === 'x')!;
    expect(pathsToOutput(result.trace, x.id).paths).toHaveLength(32);
    const capped = pathsToOutput(result.trace, x.id, 10);
    expect(capped.truncated).toBe(true);
    expect(capped.paths).toHaveLength(10);
  });
});
