import { describe, expect, it } from 'vitest';

import { compile, LESSON_NEURON } from '@/lib/autodiff';

import { descend, gradientStep, MAX_STEPS, OVERSHOOT_SETUP, trend } from './gradient-descent';

const neuron = compile(LESSON_NEURON.squaredError);
const START = { w: 0.5, x: 1.5, b: -0.25, y: 1 };
const PARAMS = ['w', 'b'] as const;

/** The lesson neuron's loss written out by hand, independent of the engine. */
function loss({ w, x, b, y }: Record<string, number>): number {
  const a = 1 / (1 + Math.exp(-(w! * x! + b!)));
  return (a - y!) ** 2;
}

/** Central-difference derivative of the hand-written loss: an independent reference. */
function numericGradient(env: Record<string, number>, name: string, h = 1e-6): number {
  return (loss({ ...env, [name]: env[name]! + h }) - loss({ ...env, [name]: env[name]! - h })) / (2 * h);
}

describe('gradientStep', () => {
  it('updates w and b by -eta times a gradient that matches central differences', () => {
    const eta = 0.5;
    const record = gradientStep(neuron, START, PARAMS, eta);
    for (const name of PARAMS) {
      const expected = START[name] - eta * numericGradient(START, name);
      expect(record.after[name]).toBeCloseTo(expected, 9);
    }
    expect(record.loss).toBeCloseTo(loss(START), 14);
    expect(record.before).toEqual({ w: 0.5, b: -0.25 });
  });

  it('leaves data (x, y) alone', () => {
    const record = gradientStep(neuron, START, PARAMS, 1);
    expect(Object.keys(record.after).sort()).toEqual(['b', 'w']);
  });

  it('rejects a parameter the program does not have', () => {
    expect(() => gradientStep(neuron, START, ['q'], 0.1)).toThrow(RangeError);
  });
});

describe('descend', () => {
  it('lowers L at every step for a small eta on the lesson neuron', () => {
    const run = descend(neuron, START, PARAMS, 0.5, 30);
    expect(run.lossHistory).toHaveLength(31);
    for (let i = 1; i < run.lossHistory.length; i++) {
      expect(run.lossHistory[i]!).toBeLessThan(run.lossHistory[i - 1]!);
    }
    expect(run.loss).toBeCloseTo(loss(run.env), 14);
    expect(run.loss).toBeLessThan(loss(START) / 2);
  });

  it('equals stepping by hand with central-difference gradients', () => {
    const eta = 1;
    let env: Record<string, number> = { ...START };
    for (let i = 0; i < 5; i++) {
      const next = { ...env };
      for (const name of PARAMS) next[name] = env[name]! - eta * numericGradient(env, name);
      env = next;
    }
    const run = descend(neuron, START, PARAMS, eta, 5);
    expect(run.env.w).toBeCloseTo(env.w!, 8);
    expect(run.env.b).toBeCloseTo(env.b!, 8);
  });

  it('is deterministic, so a step count replays to the same state', () => {
    expect(descend(neuron, START, PARAMS, 0.7, 12)).toEqual(descend(neuron, START, PARAMS, 0.7, 12));
  });

  it('takes no step for 0 and clamps a huge count', () => {
    expect(descend(neuron, START, PARAMS, 0.5, 0).lossHistory).toEqual([loss(START)]);
    expect(descend(neuron, START, PARAMS, 0.5, 10 * MAX_STEPS).steps).toHaveLength(MAX_STEPS);
  });
});

describe('OVERSHOOT_SETUP and trend', () => {
  // Independent of the engine: the cross-entropy neuron's update by hand, w <- w - eta (a - y) x.
  const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
  const byHand = (eta: number, steps: number) => {
    const { x, b, y } = OVERSHOOT_SETUP;
    let w: number = OVERSHOOT_SETUP.w;
    const ws = [w];
    for (let i = 0; i < steps; i++) {
      w -= eta * (sigmoid(w * x + b) - y) * x;
      ws.push(w);
    }
    return ws;
  };

  it('matches the engine step for step', () => {
    const program = compile(LESSON_NEURON.bce);
    const { x, w, b, y, eta } = OVERSHOOT_SETUP;
    const run = descend(program, { x, w, b, y }, ['w'], eta, 12);
    const engine = [w, ...run.steps.map((step) => step.after.w!)];
    const hand = byHand(eta, 12);
    engine.forEach((value, index) => expect(value).toBeCloseTo(hand[index]!, 12));
  });

  it('overshoots at its eta, and settles at a tenth of it', () => {
    const wild = byHand(OVERSHOOT_SETUP.eta, 20);
    // The best w, logit(0.8)/2: the overshooting run keeps landing on both sides of it.
    const best = Math.log(0.8 / 0.2) / 2;
    const sides = wild.slice(-8).map((w) => Math.sign(w - best));
    expect(new Set(sides).size).toBe(2);
    expect(trend(wild)).toBe('overshooting');
    const calm = byHand(OVERSHOOT_SETUP.eta / 9, 40);
    expect(trend(calm)).toBe('settling');
    expect(Math.abs(calm.at(-1)! - best)).toBeLessThan(0.01);
  });

  it('says nothing before a few steps, and sees a run that grows', () => {
    expect(trend([0, 1])).toBe('start');
    expect(trend([0, 1, 3, 7, 15, 31])).toBe('growing');
    expect(trend([1, 1.5, 1.75, 1.875, 1.9375])).toBe('settling');
  });
});
