import { describe, expect, it } from 'vitest';

import { AutodiffError, OPS, Tape, backward, gradCheck } from './index';

/** Central difference of a plain-Math function, independent of the engine. */
function centralDifference(f: (x: number) => number, x: number, h = 1e-6): number {
  return (f(x + h) - f(x - h)) / (2 * h);
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

describe('Tape index API', () => {
  it('unary ops give closed-form values and derivatives', () => {
    const cases: [string, (tape: Tape, a: number) => number, (x: number) => number, (x: number) => number][] = [
      ['neg', (t, a) => t.neg(a), (x) => -x, () => -1],
      ['exp', (t, a) => t.exp(a), Math.exp, Math.exp],
      ['log', (t, a) => t.log(a), Math.log, (x) => 1 / x],
      ['sqrt', (t, a) => t.sqrt(a), Math.sqrt, (x) => 0.5 / Math.sqrt(x)],
      ['abs', (t, a) => t.abs(a), Math.abs, (x) => Math.sign(x)],
      ['sigmoid', (t, a) => t.sigmoid(a), sigmoid, (x) => sigmoid(x) * (1 - sigmoid(x))],
      ['tanh', (t, a) => t.tanh(a), Math.tanh, (x) => 1 - Math.tanh(x) ** 2],
      ['relu', (t, a) => t.relu(a), (x) => Math.max(x, 0), (x) => (x > 0 ? 1 : 0)],
      ['sin', (t, a) => t.sin(a), Math.sin, Math.cos],
      ['cos', (t, a) => t.cos(a), Math.cos, (x) => -Math.sin(x)],
    ];
    for (const [name, record, value, derivative] of cases) {
      for (const x of [0.3, 1.7]) {
        const tape = new Tape();
        const input = tape.pushInput(x);
        const out = record(tape, input);
        expect(typeof out, name).toBe('number');
        expect(tape.valueAt(out), name).toBeCloseTo(value(x), 14);
        const grads = tape.backward(out);
        expect(grads.length, name).toBe(out + 1);
        expect(grads[input]! - derivative(x), name).toBeCloseTo(0, 12);
        expect(grads[input]! - centralDifference(value, x), name).toBeCloseTo(0, 6);
      }
    }
  });

  it('binary ops give closed-form partials toward both operands', () => {
    const [x, y] = [0.35, 0.8];
    const cases: [string, (t: Tape, a: number, b: number) => number, number, number, number][] = [
      ['add', (t, a, b) => t.add(a, b), x + y, 1, 1],
      ['sub', (t, a, b) => t.sub(a, b), x - y, 1, -1],
      ['mul', (t, a, b) => t.mul(a, b), x * y, y, x],
      ['div', (t, a, b) => t.div(a, b), x / y, 1 / y, -x / (y * y)],
      ['pow', (t, a, b) => t.pow(a, b), x ** y, y * x ** (y - 1), x ** y * Math.log(x)],
      ['max', (t, a, b) => t.max(a, b), y, 0, 1],
      ['min', (t, a, b) => t.min(a, b), x, 1, 0],
      ['sqerr', (t, a, b) => t.sqerr(a, b), (x - y) ** 2, 2 * (x - y), -2 * (x - y)],
      [
        'bce',
        (t, a, b) => t.bce(a, b),
        -(y * Math.log(x) + (1 - y) * Math.log(1 - x)),
        -y / x + (1 - y) / (1 - x),
        Math.log(1 - x) - Math.log(x),
      ],
      [
        'bceWithLogits',
        (t, a, b) => t.bceWithLogits(a, b),
        -(y * Math.log(sigmoid(x)) + (1 - y) * Math.log(1 - sigmoid(x))),
        sigmoid(x) - y,
        -x,
      ],
    ];
    for (const [name, record, value, da, db] of cases) {
      const tape = new Tape();
      const a = tape.pushInput(x);
      const b = tape.pushInput(y);
      const out = record(tape, a, b);
      expect(tape.valueAt(out), name).toBeCloseTo(value, 13);
      const grads = tape.backward(out);
      expect(grads[a]! - da, name).toBeCloseTo(0, 12);
      expect(grads[b]! - db, name).toBeCloseTo(0, 12);
    }
  });

  it('has one method per op in the table', () => {
    const tape = new Tape() as unknown as Record<string, unknown>;
    const methodName = (name: string): string => (name === 'bce_logits' ? 'bceWithLogits' : name);
    for (const definition of OPS) expect(typeof tape[methodName(definition.name)], definition.name).toBe('function');
  });

  it('records partials toward constants as 0', () => {
    const tape = new Tape();
    const x = tape.pushInput(-1.5);
    const two = tape.pushConstant(2);
    const out = tape.pow(x, two);
    expect(tape.partialsAt(out)).toEqual([2 * -1.5, 0]);
    expect(tape.backward(out)[x]).toBe(-3);
  });

  it('a residual tanh chain matches a hand-written reverse pass and central differences', () => {
    const steps = 2000;
    const weights = Array.from({ length: steps }, (_, i) => 1e-3 * Math.sin(i + 1));
    const run = (y0: number): { y: number; grads: Float64Array; weightNodes: number[] } => {
      const tape = new Tape(16);
      const input = tape.pushInput(y0);
      const weightNodes = weights.map((w) => tape.pushInput(w));
      let y = input;
      for (let i = 0; i < steps; i++) y = tape.add(y, tape.tanh(tape.mul(weightNodes[i]!, y)));
      return { y: tape.valueAt(y), grads: Float64Array.from(tape.backward(y)), weightNodes };
    };
    const { grads, weightNodes } = run(0.5);
    // Hand-written reverse pass.
    const ys: number[] = [];
    const ts: number[] = [];
    let y = 0.5;
    for (let i = 0; i < steps; i++) {
      ys.push(y);
      ts.push(Math.tanh(weights[i]! * y));
      y += ts[i]!;
    }
    let g = 1;
    for (let i = steps - 1; i >= 0; i--) {
      const dPre = g * (1 - ts[i]! ** 2);
      expect(grads[weightNodes[i]!]).toBe(dPre * ys[i]!);
      g += dPre * weights[i]!;
    }
    expect(grads[0]).toBe(g);
    expect(grads[0]! - centralDifference((y0) => run(y0).y, 0.5)).toBeCloseTo(0, 6);
  });

  it('keeps parameters across resets and reuses the gradient buffer', () => {
    const tape = new Tape(4);
    const w = tape.pushInput(0.5);
    const b = tape.pushInput(-0.25);
    tape.keep();
    const results: number[][] = [];
    for (const x of [1, 2, 3]) {
      tape.reset();
      expect(tape.size).toBe(2);
      // x -> sigmoid(w*x + b) -> bce against 1; dL/dz = a - 1.
      const loss = tape.bce(tape.sigmoid(tape.add(tape.mul(w, tape.pushConstant(x)), b)), tape.pushConstant(1));
      const grads = tape.backward(loss);
      results.push([grads[w]!, grads[b]!]);
    }
    results.forEach(([gw, gb], i) => {
      const x = i + 1;
      const a = sigmoid(0.5 * x - 0.25);
      expect(gw! - (a - 1) * x).toBeCloseTo(0, 14);
      expect(gb! - (a - 1)).toBeCloseTo(0, 14);
    });
  });

  it('a first op reading the last kept node passes its gradient down (chain edge across the kept boundary)', () => {
    const tape = new Tape();
    const x = tape.pushInput(0.7);
    tape.keep();
    tape.reset();
    const out = tape.exp(tape.sin(x));
    expect(tape.backward(out)[x]).toBe(Math.exp(Math.sin(0.7)) * Math.cos(0.7));
    // Backward twice gives the same numbers.
    expect(tape.backward(out)[x]).toBe(Math.exp(Math.sin(0.7)) * Math.cos(0.7));
  });

  it('sums the two edges of x * x and of shared nodes exactly as written out', () => {
    const tape = new Tape();
    const x = tape.pushInput(1.25);
    const square = tape.mul(x, x);
    const out = tape.add(tape.mul(square, x), square); // x^3 + x^2
    expect(tape.backward(out)[x]).toBe(3 * 1.25 ** 2 + 2 * 1.25);
  });

  it('agrees with Value-level backward and with central differences on a mixed graph', () => {
    const f = (env: Record<string, number>): number => {
      const tape = new Tape();
      const [u, v] = [tape.pushInput(env.u!), tape.pushInput(env.v!)];
      const h = tape.tanh(tape.add(tape.mul(u, v), tape.sin(u)));
      return tape.valueAt(tape.div(tape.sqerr(h, v), tape.add(tape.exp(v), tape.pushConstant(1))));
    };
    const tape = new Tape();
    const u = tape.variable(0.4, 'u');
    const v = tape.variable(-0.9, 'v');
    const h = u.mul(v).add(u.sin()).tanh();
    const out = h.sqerr(v).div(v.exp().add(1));
    const valueGrads = backward(out).byName();
    const indexGrads = tape.backward(out.index);
    expect(indexGrads[u.index]).toBe(valueGrads.u);
    expect(indexGrads[v.index]).toBe(valueGrads.v);
    for (const row of gradCheck(f, { u: 0.4, v: -0.9 }, valueGrads)) expect(row.relError, row.name).toBeLessThan(1e-7);
  });

  it('rejects node indices the tape does not have', () => {
    const tape = new Tape();
    const x = tape.pushInput(1);
    for (const bad of [-1, 1, 99, Number.NaN]) {
      expect(() => tape.mul(x, bad)).toThrowError(AutodiffError);
      expect(() => tape.add(bad, x)).toThrowError(AutodiffError);
      expect(() => tape.tanh(bad)).toThrowError(AutodiffError);
      expect(() => tape.backward(bad)).toThrowError(AutodiffError);
    }
    tape.reset();
    expect(() => tape.exp(x)).toThrowError(/does not exist/);
  });

  it('pushUnary and pushBinary dispatch to the same ops', () => {
    const tape = new Tape();
    const x = tape.pushInput(0.6);
    const y = tape.pushInput(1.3);
    for (const definition of OPS) {
      const viaTable = definition.arity === 1 ? tape.pushUnary(definition, x) : tape.pushBinary(definition, x, y);
      expect(tape.opcodeAt(viaTable), definition.name).toBe(definition.code);
      const expected = definition.value(0.6, definition.arity === 1 ? 0 : 1.3);
      expect(tape.valueAt(viaTable), definition.name).toBe(expected);
    }
  });

  it('reset() drops names of dropped nodes but keeps names of kept ones', () => {
    const tape = new Tape();
    const w = tape.variable(2, 'w');
    tape.keep();
    const y = w.mul(3).named('y');
    expect(backward(y).byName()).toEqual({ w: 3, y: 1 });
    tape.reset();
    expect([...tape.namedNodes().keys()]).toEqual([w.index]);
    const z = w.mul(w).named('z');
    expect(backward(z).byName()).toEqual({ w: 4, z: 1 });
  });
});
