import { describe, expect, it } from 'vitest';

import { AutodiffError, Tape, backward, defaultTape, forwardGradients, trace, variable } from './index';

describe('Value API', () => {
  it('computes the CS231n circuit and matches forward mode', () => {
    const tape = new Tape();
    const x = tape.variable(-2, 'x');
    const y = tape.variable(5, 'y');
    const z = tape.variable(-4, 'z');
    const f = x.add(y).named('q').mul(z);
    expect(f.value).toBe(-12);
    const reverse = backward(f);
    expect([reverse.grad(x), reverse.grad(y), reverse.grad(z)]).toEqual([-4, -4, 3]);
    expect(reverse.byName()).toEqual({ x: -4, y: -4, z: 3, q: -4 });
    expect(reverse.passes).toBe(1);
    const forward = forwardGradients(f);
    expect(forward.passes).toBe(3);
    expect(forward.byName()).toEqual({ x: -4, y: -4, z: 3 });
    expect(forwardGradients(f, [z]).passes).toBe(1);
  });

  it('accepts plain numbers as constants on either chainable method', () => {
    const tape = new Tape();
    const x = tape.variable(3);
    const y = x.mul(2).add(1).pow(2).div(7).sub(0.5);
    // ((2x + 1)^2)/7 - 0.5, derivative 4(2x + 1)/7
    expect(y.value).toBeCloseTo(49 / 7 - 0.5, 14);
    expect(backward(y).grad(x)).toBeCloseTo((4 * 7) / 7, 14);
  });

  it('every chainable method exists and differentiates (spot check against closed forms)', () => {
    const tape = new Tape();
    const x = tape.variable(0.3);
    const s = 1 / (1 + Math.exp(-0.3));
    const checks: [string, number, number][] = [
      ['neg', x.neg().value + 0.3, backward(x.neg()).grad(x) + 1],
      ['exp', x.exp().value - Math.exp(0.3), backward(x.exp()).grad(x) - Math.exp(0.3)],
      ['log', x.log().value - Math.log(0.3), backward(x.log()).grad(x) - 1 / 0.3],
      ['sqrt', x.sqrt().value - Math.sqrt(0.3), backward(x.sqrt()).grad(x) - 0.5 / Math.sqrt(0.3)],
      ['abs', x.abs().value - 0.3, backward(x.abs()).grad(x) - 1],
      ['sigmoid', x.sigmoid().value - s, backward(x.sigmoid()).grad(x) - s * (1 - s)],
      ['tanh', x.tanh().value - Math.tanh(0.3), backward(x.tanh()).grad(x) - (1 - Math.tanh(0.3) ** 2)],
      ['relu', x.relu().value - 0.3, backward(x.relu()).grad(x) - 1],
      ['max', x.max(1).value - 1, backward(x.max(1)).grad(x)],
      ['min', x.min(1).value - 0.3, backward(x.min(1)).grad(x) - 1],
      ['sin', x.sin().value - Math.sin(0.3), backward(x.sin()).grad(x) - Math.cos(0.3)],
      ['cos', x.cos().value - Math.cos(0.3), backward(x.cos()).grad(x) + Math.sin(0.3)],
      ['sqerr', x.sqerr(1).value - 0.49, backward(x.sqerr(1)).grad(x) + 1.4],
      ['bce', x.bce(1).value + Math.log(0.3), backward(x.bce(1)).grad(x) + 1 / 0.3],
      [
        'bceWithLogits',
        x.bceWithLogits(1).value - Math.log1p(Math.exp(-0.3)),
        backward(x.bceWithLogits(1)).grad(x) - (s - 1),
      ],
    ];
    for (const [name, valueError, gradError] of checks) {
      expect(Math.abs(valueError), name).toBeLessThan(1e-14);
      expect(Math.abs(gradError), name).toBeLessThan(1e-13);
    }
  });

  it('a node used on many paths gets the sum: one node fanned out 10,000 times', () => {
    const tape = new Tape();
    const x = tape.variable(1.5);
    const shared = x.mul(x); // d shared / dx = 2x
    let total = tape.constant(0);
    for (let i = 1; i <= 10_000; i++) total = total.add(shared.mul(i));
    // total = shared · Σi, so d total / dx = 2x · 50,005,000
    const grads = backward(total);
    expect(grads.grad(shared)).toBe(50_005_000);
    expect(grads.grad(x)).toBe(2 * 1.5 * 50_005_000);
    expect(forwardGradients(total, [x]).grad(x)).toBe(2 * 1.5 * 50_005_000);
  });

  it('a chain of 1e6 ops runs without recursion (no stack overflow) in both modes', () => {
    const tape = new Tape();
    const x = tape.variable(0.5);
    let y = x;
    for (let i = 0; i < 1_000_000; i++) y = y.add(1e-6);
    expect(y.value).toBeCloseTo(1.5, 6);
    expect(backward(y).grad(x)).toBe(1);
    expect(forwardGradients(y, [x]).grad(x)).toBe(1);
  }, 60_000);

  it('backward twice gives the same answer (no accumulation across calls)', () => {
    const tape = new Tape();
    const x = tape.variable(2);
    const y = x.mul(x).mul(x);
    const first = backward(y).grad(x);
    const second = backward(y).grad(x);
    expect(first).toBe(12);
    expect(second).toBe(12);
  });

  it('an earlier Gradients view goes stale instead of silently changing', () => {
    const tape = new Tape();
    const x = tape.variable(2);
    const y = x.mul(3);
    const z = x.mul(5);
    const gradsY = backward(y);
    expect(gradsY.grad(x)).toBe(3);
    const gradsZ = backward(z);
    expect(gradsZ.grad(x)).toBe(5);
    expect(() => gradsY.grad(x)).toThrowError(AutodiffError);
    try {
      gradsY.grad(x);
    } catch (error) {
      expect((error as AutodiffError).kind).toBe('stale');
    }
  });

  it('after reset, old Values are rejected and new inputs give fresh gradients', () => {
    const tape = new Tape();
    const x = tape.variable(2);
    const grads = backward(x.mul(x));
    expect(grads.grad(x)).toBe(4);
    tape.reset();
    expect(() => x.mul(2)).toThrowError(/reset/);
    expect(() => grads.grad(x)).toThrowError(AutodiffError);
    const x2 = tape.variable(7);
    expect(backward(x2.mul(x2)).grad(x2)).toBe(14);
  });

  it('keep() lets parameters survive reset(); setInput updates them between steps', () => {
    const tape = new Tape();
    const w = tape.variable(0.5, 'w');
    tape.keep();
    const lossAt = (x: number): number => backward(w.mul(x).sqerr(1)).grad(w);
    expect(lossAt(2)).toBe(2 * (0.5 * 2 - 1) * 2);
    tape.reset();
    expect(tape.size).toBe(1);
    tape.setInput(w, 1.5);
    expect(w.value).toBe(1.5);
    expect(lossAt(2)).toBe(2 * (1.5 * 2 - 1) * 2);
    expect(() => tape.setInput(w, 3)).toThrowError(AutodiffError);
    tape.clear();
    expect(() => w.value).toThrowError(AutodiffError);
  });

  it('rejects mixing Values from two tapes', () => {
    const a = new Tape().variable(1);
    const b = new Tape().variable(2);
    expect(() => a.add(b)).toThrowError(expect.objectContaining({ kind: 'foreign-value' }));
  });

  it('forward mode refuses nodes it was not seeded with', () => {
    const tape = new Tape();
    const x = tape.variable(1);
    const y = tape.variable(2);
    const grads = forwardGradients(x.mul(y), [x]);
    expect(grads.grad(x)).toBe(2);
    expect(() => grads.grad(y)).toThrowError(expect.objectContaining({ kind: 'not-seeded' }));
  });

  it('variable() records on the shared default tape unless given one', () => {
    defaultTape.clear();
    const x = variable(3, 'x');
    expect(x.tape).toBe(defaultTape);
    const own = new Tape();
    expect(variable(1, 'y', own).tape).toBe(own);
    expect(backward(x.mul(x)).byName()).toEqual({ x: 6 });
    defaultTape.clear();
  });
});

describe('trace of a Value', () => {
  it('lists only ancestors in creation order, with labels, gradients and local derivatives', () => {
    const tape = new Tape();
    const unrelated = tape.variable(9, 'unrelated');
    const x = tape.variable(2, 'x');
    const y = tape.variable(-3, 'y');
    const product = x.mul(y);
    const out = product.add(1).named('L');
    unrelated.mul(2);
    const drawn = trace(out, backward(out));
    expect(drawn.output).toBe(out.index);
    expect(drawn.nodes.map((node) => [node.id, node.label, node.kind, node.op])).toEqual([
      [1, 'x', 'input', 'input'],
      [2, 'y', 'input', 'input'],
      [3, '*', 'op', 'mul'],
      [4, '1', 'constant', 'constant'],
      [5, 'L', 'op', 'add'],
    ]);
    expect(drawn.nodes.map((node) => node.grad)).toEqual([-3, 2, 1, 0, 1]);
    expect(drawn.edges).toEqual([
      { from: 1, to: 3, localDerivative: -3, argIndex: 0 },
      { from: 2, to: 3, localDerivative: 2, argIndex: 1 },
      { from: 3, to: 5, localDerivative: 1, argIndex: 0 },
      // Partials toward literals are recorded as 0: a constant cannot vary.
      { from: 4, to: 5, localDerivative: 0, argIndex: 1 },
    ]);
  });

  it('without gradients, node grads are NaN', () => {
    const tape = new Tape();
    const x = tape.variable(2, 'x');
    expect(trace(x.exp()).nodes.every((node) => Number.isNaN(node.grad))).toBe(true);
  });
});
