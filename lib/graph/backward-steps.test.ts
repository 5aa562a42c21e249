import { describe, expect, it } from 'vitest';

import { compile, EXAMPLE_PROGRAMS } from '@/lib/autodiff';

import { backwardSteps, knownGradients } from './backward-steps';

const neuron = EXAMPLE_PROGRAMS.find((program) => program.id === 'neuron-squared-error')!;

describe('backwardSteps', () => {
  const run = compile(neuron.source).run(neuron.env);
  const label = (id: number) => run.trace.nodes.find((node) => node.id === id)!.label;
  const steps = backwardSteps(run.trace);

  it('visits every edge once, from the output down (reverse topological order)', () => {
    expect(steps.map((step) => `${label(step.edge.from)}->${label(step.edge.to)}`)).toEqual([
      'a->L',
      'y->L',
      'z->a',
      'p->z',
      'b->z',
      'w->p',
      'x->p',
    ]);
    // Each step's head already has its final gradient.
    for (const step of steps) {
      expect(step.upstream).toBe(run.trace.nodes.find((node) => node.id === step.edge.to)!.grad);
    }
  });

  it('carries the running product from L, ending at the engine gradient of w', () => {
    const toW = steps.find((step) => label(step.edge.from) === 'w')!;
    expect(toW.product).toBe(toW.accumulated);
    expect(toW.product).toBeCloseTo(run.gradients.w!, 15);
    expect(toW.completes).toBe(true);
    expect(steps[0]!.upstream).toBe(1);
    for (const step of steps) expect(step.product).toBe(step.upstream * step.local);
  });

  it('accumulates the two contributions of a reused node', () => {
    const reused = EXAMPLE_PROGRAMS.find((program) => program.id === 'reused-node')!;
    const result = compile(reused.source).run(reused.env);
    const u = result.trace.nodes.find((node) => node.label === 'u')!;
    const intoU = backwardSteps(result.trace).filter((step) => step.edge.from === u.id);
    expect(intoU).toHaveLength(2);
    expect(intoU[0]!.completes).toBe(false);
    expect(intoU[1]!.completes).toBe(true);
    expect(intoU[1]!.accumulated).toBe(u.grad);
  });

  it('reports which gradients are known after k steps', () => {
    expect([...knownGradients(run.trace, steps, 0)]).toEqual([run.trace.output]);
    const all = knownGradients(run.trace, steps, steps.length);
    expect(all.size).toBe(run.trace.nodes.length);
  });
});
