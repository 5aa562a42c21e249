import { describe, expect, it } from 'vitest';

import { dataset, DATASET_KINDS, POINT_COUNT } from './data';
import { blameReport, pointEnv, programFor, runPoint } from './example';
import { layoutNetworkTrace } from './layout';
import {
  ACTIVATIONS,
  forwardLogit,
  initialParameters,
  layersOf,
  parameterNames,
  sumName,
  type Activation,
  type NetworkSpec,
} from './model';
import { TrainingRun } from './session';
import { DIVERGED_LOSS, NetworkTrainer } from './trainer';

/** Independent references: plain arithmetic written from the definitions, no engine. */
const act = (a: Activation, z: number) =>
  a === 'tanh' ? Math.tanh(z) : a === 'relu' ? Math.max(0, z) : 1 / (1 + Math.exp(-z));
const actSlope = (a: Activation, z: number) =>
  a === 'tanh' ? 1 - Math.tanh(z) ** 2 : a === 'relu' ? (z > 0 ? 1 : 0) : act(a, z) * (1 - act(a, z));
const bceLogit = (z: number, y: number) => Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));

function meanLoss(spec: NetworkSpec, params: Float64Array, kind: (typeof DATASET_KINDS)[number]): number {
  const { xs, ys } = dataset(kind);
  let total = 0;
  for (let n = 0; n < ys.length; n++) total += bceLogit(forwardLogit(spec, params, xs[2 * n]!, xs[2 * n + 1]!), ys[n]!);
  return total / ys.length;
}

/**
 * Hand-derived backpropagation for 2-3-1 at one point: p − y at the output, times w2_j and the
 * activation's slope at hidden unit j, times x_k for w1_jk. Keyed by parameter name.
 */
function closedForm231(activation: Activation, params: Float64Array, x: [number, number], y: number) {
  const names = parameterNames(2);
  const v = (name: string) => params[names.indexOf(name)]!;
  const z = [1, 2, 3].map((j) => v(`w1_${j}1`) * x[0] + v(`w1_${j}2`) * x[1] + v(`b1_${j}`));
  const h = z.map((zj) => act(activation, zj));
  const out = v('w2_11') * h[0]! + v('w2_12') * h[1]! + v('w2_13') * h[2]! + v('b2_1');
  const p = 1 / (1 + Math.exp(-out));
  const g: Record<string, number> = { b2_1: p - y };
  const dx = [0, 0];
  for (let j = 1; j <= 3; j++) {
    g[`w2_1${j}`] = (p - y) * h[j - 1]!;
    const dz = (p - y) * v(`w2_1${j}`) * actSlope(activation, z[j - 1]!);
    g[`b1_${j}`] = dz;
    g[`w1_${j}1`] = dz * x[0];
    g[`w1_${j}2`] = dz * x[1];
    dx[0]! += dz * v(`w1_${j}1`);
    dx[1]! += dz * v(`w1_${j}2`);
  }
  return { grads: g, dx, p, z };
}

const close = (a: number, b: number, rel: number, abs = 1e-12) => Math.abs(a - b) <= Math.max(abs, rel * Math.abs(b));

describe('data sets', () => {
  it('are 64 fixed points per kind, balanced, inside the square, the same on every call', () => {
    for (const kind of DATASET_KINDS) {
      const { xs, ys } = dataset(kind);
      expect(ys.length).toBe(POINT_COUNT);
      expect(ys.reduce((a, b) => a + b, 0)).toBe(POINT_COUNT / 2);
      for (const x of xs) expect(Math.abs(x)).toBeLessThanOrEqual(1);
      expect(Array.from(dataset(kind).xs)).toEqual(Array.from(xs));
    }
    // XOR's label is the sign of x1·x2.
    const xor = dataset('xor');
    for (let n = 0; n < POINT_COUNT; n++) expect(xor.ys[n]).toBe(xor.xs[2 * n]! * xor.xs[2 * n + 1]! > 0 ? 1 : 0);
  });
});

describe('2-3-1 gradients against a hand-derived closed form', () => {
  for (const activation of ACTIVATIONS) {
    it(`one point's graph (${activation}): every parameter and both inputs`, () => {
      const spec = { depth: 2, activation };
      const params = initialParameters(2, 3);
      const data = dataset('xor');
      for (const point of [0, 7, 33]) {
        const run = runPoint(spec, params, data, point);
        const x: [number, number] = [data.xs[2 * point]!, data.xs[2 * point + 1]!];
        const { grads, dx } = closedForm231(activation, params, x, data.ys[point]!);
        for (const [name, expected] of Object.entries(grads))
          expect(close(run.gradients[name]!, expected, 1e-12)).toBe(true);
        expect(close(run.gradients.x1!, dx[0]!, 1e-12)).toBe(true);
        expect(close(run.gradients.x2!, dx[1]!, 1e-12)).toBe(true);
      }
    });

    it(`the batch trainer (${activation}): the mean of the per-point closed forms`, () => {
      const spec = { depth: 2, activation };
      const params = initialParameters(2, 5);
      const data = dataset('circles');
      const trainer = new NetworkTrainer(spec, data, params);
      const names = parameterNames(2);
      const mean = new Float64Array(names.length);
      for (let n = 0; n < POINT_COUNT; n++) {
        const { grads } = closedForm231(activation, params, [data.xs[2 * n]!, data.xs[2 * n + 1]!], data.ys[n]!);
        names.forEach((name, i) => (mean[i]! += grads[name]! / POINT_COUNT));
      }
      names.forEach((_, i) => expect(close(trainer.grads[i]!, mean[i]!, 1e-10, 1e-15)).toBe(true));
    });
  }
});

describe('network gradients against central differences', () => {
  for (const activation of ACTIVATIONS)
    for (const depth of [2, 3, 4]) {
      it(`batch loss, ${activation}, depth ${depth}`, () => {
        const spec = { depth, activation };
        // Zero biases put a ReLU unit whose inputs are all switched off exactly on its kink
        // (z = 0), where the engine's one-sided slope and a central difference rightly differ.
        const params = initialParameters(depth, 2).map((value, i) => value + 0.01 * ((i % 5) - 2.5));
        const trainer = new NetworkTrainer(spec, dataset('xor'), params);
        expect(close(trainer.loss, meanLoss(spec, params, 'xor'), 1e-12)).toBe(true);
        for (let i = 0; i < params.length; i++) {
          const h = 1e-6;
          const plus = Float64Array.from(params);
          const minus = Float64Array.from(params);
          plus[i]! += h;
          minus[i]! -= h;
          const fd = (meanLoss(spec, plus, 'xor') - meanLoss(spec, minus, 'xor')) / (2 * h);
          // ReLU kinks: a point within h of a unit's switch would make the difference lie.
          expect(Math.abs(trainer.grads[i]! - fd)).toBeLessThan(1e-7);
        }
      });
    }
});

describe('blame along paths', () => {
  it('a first-layer weight at depth 2 has one path; its product is the closed form and equals the engine and the check', () => {
    const spec = { depth: 2, activation: 'tanh' as const };
    const params = initialParameters(2, 1);
    const data = dataset('line');
    const env = pointEnv(spec, params, data, 4);
    const program = programFor(spec);
    const run = program.run(env);
    const report = blameReport(run, env, program, 'w1_21');
    expect(report.paths).toHaveLength(1);
    const path = report.paths[0]!;
    expect(path.names).toEqual(['w1_21', 'z1_2', 'h1_2', 'z2_1', 'p', 'L']);
    const { grads } = closedForm231('tanh', params, [data.xs[8]!, data.xs[9]!], data.ys[4]!);
    expect(close(path.product, grads.w1_21!, 1e-12)).toBe(true);
    expect(close(report.sum, report.engine, 1e-12)).toBe(true);
    expect(close(report.finiteDifference, report.engine, 1e-6, 1e-9)).toBe(true);
    // Hops: x1 (the other factor of the product), tanh's slope, w2_12, σ's slope, bce's slope.
    expect(path.factors.map((f) => `${f.from}>${f.to}`)).toEqual([
      'w1_21>z1_2',
      'z1_2>h1_2',
      'h1_2>z2_1',
      'z2_1>p',
      'p>L',
    ]);
    expect(path.factors[0]!.value).toBe(data.xs[8]!);
    expect(path.factors[2]!.value).toBe(params[parameterNames(2).indexOf('w2_12')]!);
  });

  it('paths multiply with depth, and an input feeding three hidden units sums three paths', () => {
    for (const [depth, expected] of [
      [2, 1],
      [3, 3],
      [4, 9],
    ] as const) {
      const spec = { depth, activation: 'sigmoid' as const };
      const params = initialParameters(depth, 1);
      const env = pointEnv(spec, params, dataset('circles'), 10);
      const program = programFor(spec);
      const report = blameReport(program.run(env), env, program, 'w1_11');
      expect(report.paths).toHaveLength(expected);
      expect(close(report.sum, report.engine, 1e-12, 1e-18)).toBe(true);
      expect(close(report.finiteDifference, report.engine, 1e-5, 1e-10)).toBe(true);
    }
    const spec = { depth: 2, activation: 'tanh' as const };
    const params = initialParameters(2, 1);
    const data = dataset('xor');
    const env = pointEnv(spec, params, data, 3);
    const program = programFor(spec);
    const report = blameReport(program.run(env), env, program, 'x1');
    expect(report.paths).toHaveLength(3);
    const { dx } = closedForm231('tanh', params, [data.xs[6]!, data.xs[7]!], data.ys[3]!);
    expect(close(report.sum, dx[0]!, 1e-12)).toBe(true);
  });
});

describe('forward values and training', () => {
  it("forwardLogit (the boundary's shading) matches the engine's output sum", () => {
    for (const activation of ACTIVATIONS)
      for (const depth of [2, 3, 4]) {
        const spec = { depth, activation };
        const params = initialParameters(depth, 9);
        const run = runPoint(spec, params, dataset('xor'), 12);
        const { xs } = dataset('xor');
        expect(close(forwardLogit(spec, params, xs[24]!, xs[25]!), run.values[sumName(depth, 1)]!, 1e-12)).toBe(true);
      }
  });

  it('learns the line: the loss falls over 50 steps and the boundary classifies every point', () => {
    const spec = { depth: 2, activation: 'tanh' as const };
    const trainer = new NetworkTrainer(spec, dataset('line'), initialParameters(2, 1));
    for (let i = 0; i < 50; i++) expect(trainer.step(2)).toBe(true);
    expect(trainer.losses).toHaveLength(51);
    expect(trainer.loss).toBeLessThan(0.3 * trainer.losses[0]!);
    expect(trainer.accuracy((x1, x2) => forwardLogit(spec, trainer.params, x1, x2))).toBe(1);
  });

  it('a dead start gets no blame into its hidden layer, and the sigmoid stack starves its first layer', () => {
    const dead = new NetworkTrainer(
      { depth: 2, activation: 'relu' },
      dataset('circles'),
      initialParameters(2, 1, 'dead'),
    );
    expect(dead.layerGradientSizes()[0]!.blame).toBe(0);
    const deep = new NetworkTrainer({ depth: 4, activation: 'sigmoid' }, dataset('circles'), initialParameters(4, 1));
    const sizes = deep.layerGradientSizes();
    expect(sizes[0]!.blame).toBeLessThan(sizes[3]!.blame / 100);
  });

  it('a blown-up run stops, names its step, and keeps the last sane parameters', () => {
    const trainer = new NetworkTrainer({ depth: 4, activation: 'relu' }, dataset('line'), initialParameters(4, 1));
    let steps = 0;
    while (trainer.step(20) && steps < 200) steps++;
    expect(trainer.divergedAt).toBe(trainer.steps + 1);
    expect(trainer.divergedAt).toBeLessThan(50);
    for (const value of trainer.params) expect(Number.isFinite(value)).toBe(true);
    expect(trainer.loss).toBeLessThanOrEqual(DIVERGED_LOSS);
    expect(trainer.step(0.01)).toBe(false);
    // A learning rate that overflows at once is caught the same way.
    const wild = new NetworkTrainer({ depth: 2, activation: 'relu' }, dataset('xor'), initialParameters(2, 1));
    expect(wild.step(1e308)).toBe(false);
    expect(wild.divergedAt).toBe(1);
  });
});

describe('layout', () => {
  it('places every node of every shape once, columns left to right, no two boxes overlapping', () => {
    for (const depth of [2, 3, 4]) {
      const run = runPoint({ depth, activation: 'relu' }, initialParameters(depth, 1), dataset('xor'), 0);
      const layout = layoutNetworkTrace(run.trace);
      expect(layout.nodes).toHaveLength(run.trace.nodes.length);
      expect(layout.edges).toHaveLength(run.trace.edges.length);
      for (const edge of layout.edges) expect(edge.points[1]!.x).toBeGreaterThan(edge.points[0]!.x);
      for (const a of layout.nodes)
        for (const b of layout.nodes)
          if (a !== b && a.x === b.x) expect(Math.abs(a.y - b.y)).toBeGreaterThanOrEqual(a.height);
      expect(layout.nodes.find((node) => node.id === layout.output)?.name).toBe('L');
      expect(layersOf(depth)).toHaveLength(depth);
    }
  });
});

describe('training run (the widget URL state)', () => {
  it('replays a shared run in chunks to exactly the same network as in one go', () => {
    const setup = { data: 'xor' as const, activation: 'tanh' as const, depth: 3, init: 'standard' as const, seed: 4 };
    const whole = new TrainingRun().at(setup, 250, 3);
    const chunked = new TrainingRun();
    let snapshot = chunked.at(setup, 250, 3, 100);
    expect(snapshot.steps).toBe(100);
    snapshot = chunked.at(setup, 250, 3, 100);
    expect(snapshot.steps).toBe(200);
    snapshot = chunked.at(setup, 250, 3, 100);
    expect(snapshot.steps).toBe(250);
    expect(Array.from(snapshot.params)).toEqual(Array.from(whole.params));
    expect(snapshot.loss).toBe(whole.loss);
    // Going back (a reset) starts again from step 0; the same setup and steps give the same numbers.
    expect(chunked.at(setup, 0, 3).loss).toBe(whole.startLoss);
    expect(chunked.at(setup, 250, 3).loss).toBe(whole.loss);
  });

  it('starts over on the same tape exactly as a fresh run, also after a blow-up', () => {
    const setup = { data: 'line' as const, activation: 'relu' as const, depth: 4, init: 'standard' as const, seed: 1 };
    const run = new TrainingRun();
    const blown = run.at(setup, 40, 20);
    expect(blown.divergedAt).not.toBeNull();
    const again = run.at(setup, 0, 1);
    expect(again.divergedAt).toBeNull();
    expect(again.steps).toBe(0);
    expect(again.curve).toEqual([[0, again.startLoss]]);
    const fresh = new TrainingRun().at(setup, 30, 1);
    const replayed = run.at(setup, 30, 1);
    expect(Array.from(replayed.params)).toEqual(Array.from(fresh.params));
    expect(Array.from(replayed.grads)).toEqual(Array.from(fresh.grads));
    expect(replayed.loss).toBe(fresh.loss);
    expect(replayed.layers).toEqual(fresh.layers);
  });
});
