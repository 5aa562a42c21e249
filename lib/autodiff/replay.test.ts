import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { AutodiffError, OPS, Tape, backward, compile, forwardGradients } from './index';

/** Plain-Math reference, sharing no code with the engine. */
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Central difference of `f` at `x`. */
function centralDifference(f: (x: number) => number, x: number, h = 1e-6): number {
  return (f(x + h) - f(x - h)) / (2 * h);
}

describe('Tape.replay and setLeafValue', () => {
  it('replays the lesson neuron with new inputs: closed-form gradients, bit-identical to a fresh recording', () => {
    const tape = new Tape();
    const w = tape.pushInput(0);
    const b = tape.pushInput(0);
    const x = tape.pushConstant(0);
    const z = tape.add(tape.mul(w, x), b);
    const a = tape.sigmoid(z);
    const y = tape.pushConstant(0);
    const loss = tape.bce(a, y);
    const cases = [
      [0.5, -0.3, 1.5, 1],
      [-2, 0.7, -1.25, 0],
      [3, 1, 2, 1],
      [0.1, -0.1, 0, 0],
    ] as const;
    for (const [wv, bv, xv, yv] of cases) {
      tape.setLeafValue(w, wv);
      tape.setLeafValue(b, bv);
      tape.setLeafValue(x, xv);
      tape.setLeafValue(y, yv);
      tape.replay();
      const grads = tape.backward(loss);
      const s = sigmoid(wv * xv + bv);
      expect(tape.valueAt(loss)).toBeCloseTo(-(yv * Math.log(s) + (1 - yv) * Math.log(1 - s)), 12);
      // Closed form: dL/dz = sigmoid(z) - y.
      expect(grads[w]).toBeCloseTo((s - yv) * xv, 12);
      expect(grads[b]).toBeCloseTo(s - yv, 12);
      // A constant's partial stays 0 after replay.
      expect(grads[x]).toBe(0);
      expect(tape.partialsAt(tape.size - 1)[1]).toBe(0);

      const fresh = new Tape();
      const fw = fresh.pushInput(wv);
      const fb = fresh.pushInput(bv);
      const fx = fresh.pushConstant(xv);
      const fz = fresh.add(fresh.mul(fw, fx), fb);
      const freshLoss = fresh.bce(fresh.sigmoid(fz), fresh.pushConstant(yv));
      const freshGrads = fresh.backward(freshLoss);
      expect(fresh.nodeArrays()).toEqual(tape.nodeArrays());
      expect([...freshGrads]).toEqual([...grads]);
    }
  });

  it('recomputes branch choices of max, min, relu and abs from the new values (central differences)', () => {
    const tape = new Tape();
    const u = tape.pushInput(0);
    const v = tape.pushInput(0);
    const out = tape.add(
      tape.mul(tape.max(u, v), tape.relu(tape.sub(u, v))),
      tape.add(tape.abs(u), tape.mul(tape.min(u, v), tape.tanh(v))),
    );
    const f = (uv: number, vv: number): number =>
      Math.max(uv, vv) * Math.max(uv - vv, 0) + Math.abs(uv) + Math.min(uv, vv) * Math.tanh(vv);
    for (const [uv, vv] of [
      [1.5, -0.5],
      [-0.5, 1.5],
      [-2, -3],
      [0.75, 0.25],
    ] as const) {
      tape.setLeafValue(u, uv);
      tape.setLeafValue(v, vv);
      tape.replay();
      expect(tape.valueAt(out)).toBeCloseTo(f(uv, vv), 14);
      const grads = tape.backward(out);
      expect(grads[u]).toBeCloseTo(
        centralDifference((t) => f(t, vv), uv),
        6,
      );
      expect(grads[v]).toBeCloseTo(
        centralDifference((t) => f(uv, t), vv),
        6,
      );
      // Forward mode reads the same (partly derived) partials.
      expect(tape.tangentPass(u, out)).toBe(grads[u]);
    }
  });

  it('replays every op exactly as a fresh recording would (random leaf values)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 4, maxLength: 4 }),
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 4, maxLength: 4 }),
        (first, second) => {
          const build = (tape: Tape, leaves: readonly number[]): number[] => {
            const p = tape.pushInput(leaves[0]!);
            const q = tape.pushInput(leaves[1]!);
            const c = tape.pushConstant(leaves[2]!);
            const r = tape.pushInput(leaves[3]!);
            const nodes: number[] = [];
            for (const definition of OPS) {
              if (definition.arity === 1) nodes.push(tape.pushUnary(definition, p), tape.pushUnary(definition, c));
              else nodes.push(tape.pushBinary(definition, q, r), tape.pushBinary(definition, p, c));
            }
            return nodes;
          };
          const replayed = new Tape();
          build(replayed, first);
          for (let i = 0; i < 4; i++) replayed.setLeafValue(i, second[i]!);
          replayed.replay();
          const fresh = new Tape();
          build(fresh, second);
          expect(replayed.nodeArrays()).toEqual(fresh.nodeArrays());
          const last = fresh.size - 1;
          expect([...replayed.backward(last)]).toEqual([...fresh.backward(last)]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('replay(from) recomputes only the nodes from `from`', () => {
    const tape = new Tape();
    const x = tape.variable(2, 'x');
    const squared = x.mul(x);
    tape.keep();
    const y = tape.variable(3, 'y');
    const out = squared.add(y.tanh());
    tape.setLeafValue(y, 0.5);
    tape.replay(tape.keptSize);
    expect(out.value).toBe(4 + Math.tanh(0.5));
    expect(backward(out).grad(y)).toBeCloseTo(1 - Math.tanh(0.5) ** 2, 15);
    expect(forwardGradients(out, [x]).grad(x)).toBe(4);
  });

  it('rejects setting an op node, and makes earlier Gradients stale', () => {
    const tape = new Tape();
    const x = tape.variable(1, 'x');
    const y = x.mul(3);
    expect(() => tape.setLeafValue(y, 2)).toThrow(AutodiffError);
    expect(() => tape.setLeafValue(99, 2)).toThrow(AutodiffError);
    const grads = backward(y);
    expect(grads.grad(x)).toBe(3);
    tape.setLeafValue(x, 5);
    expect(() => grads.grad(x)).toThrow(/stale/);
    tape.replay();
    expect(y.value).toBe(15);
    expect(backward(y).grad(x)).toBe(3);
  });
});

describe('compile().run() replays on later runs', () => {
  it('gives the same result as a fresh compile for every run, including branch changes', () => {
    const source = 'h = relu(w*x + b)\nm = max(h, x) - min(h, abs(x))\nL = bce(sigmoid(m), y)';
    const program = compile(source);
    for (const env of [
      { w: 0.5, b: 0.1, x: 1.5, y: 1 },
      { w: -0.5, b: 0.1, x: 1.5, y: 0 },
      { w: 2, b: -3, x: -1, y: 1 },
      { w: 0.5, b: 0.1, x: 1.5, y: 1 },
    ]) {
      expect(program.run(env)).toEqual(compile(source).run(env));
      expect(program.run(env, { mode: 'forward' })).toEqual(compile(source).run(env, { mode: 'forward' }));
    }
  });

  it('still reports missing and invalid variables on a replayed run, and recovers', () => {
    const program = compile('a = x * y\na + x');
    expect(program.run({ x: 2, y: 3 }).value).toBe(8);
    expect(() => program.run({ x: 2 })).toThrow(/no value for variable 'y'/);
    expect(() => program.run({ x: Number.NaN, y: 1 })).toThrow(/must be a finite number/);
    const result = program.run({ x: -1, y: 4 });
    expect(result.value).toBe(-5);
    expect(result.gradients).toEqual({ x: 5, y: -1 });
  });
});
