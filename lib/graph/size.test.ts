import { describe, expect, it } from 'vitest';

import { compile } from '@/lib/autodiff/program';

import { graphSize } from './size';

const traceOf = (source: string) => {
  const program = compile(source);
  return program.run(Object.fromEntries(program.variables.map((name) => [name, 1]))).trace;
};

describe('graphSize', () => {
  it('counts no hidden nodes for a chain whose edges each span one rank', () => {
    expect(graphSize(traceOf('p = w*x\nz = p + b\na = sigmoid(z)\nL = bce(a, y)'))).toEqual({
      nodes: 8,
      edges: 7,
      dummies: 0,
      units: 8,
    });
  });

  it('counts n(n-1)/2-ish hidden nodes for x*x*...*x, computed by hand', () => {
    // n factors: one x and n-1 multiplies at ranks 1..n-1. The first multiply takes x twice
    // (span 1); the k-th (k >= 2) takes x across k ranks: k - 1 dummies each.
    for (const n of [3, 10, 30]) {
      const size = graphSize(traceOf(`y = x${'*x'.repeat(n - 1)}`));
      let dummies = 0;
      for (let k = 2; k <= n - 1; k++) dummies += k - 1;
      expect(size.nodes).toBe(n);
      expect(size.dummies).toBe(dummies);
    }
  });

  it('places a leaf next to its first consumer, so late inputs cost nothing', () => {
    // y enters only at the loss: it sits one rank before it, not at rank 0.
    const size = graphSize(traceOf('a = sigmoid(sigmoid(sigmoid(x)))\nL = sqerr(a, y)'));
    expect(size.dummies).toBe(0);
  });
});
