import type { CompiledProgram } from '@/lib/autodiff/program';

/**
 * Plain gradient descent on the parameters of a compiled program:
 *   p <- p - eta * dL/dp   for every p in `params`, all at once.
 * The gradients are the engine's (one reverse pass per step); nothing here differentiates.
 * Pure and deterministic, so a shared URL that stores the start point, eta and the number of
 * steps replays to exactly the same state.
 */

export interface StepRecord {
  /** Step number, 1-based. */
  step: number;
  /** Parameter values the step started from. */
  before: Record<string, number>;
  /** dL/dp at `before`. */
  gradients: Record<string, number>;
  /** L at `before`. */
  loss: number;
  /** Parameter values after the update. */
  after: Record<string, number>;
}

export interface DescentRun {
  /** One record per step taken, oldest first. */
  steps: StepRecord[];
  /** L at the start, then after each step: length = steps + 1. */
  lossHistory: number[];
  /** The environment after the last step. */
  env: Record<string, number>;
  /** L at `env`. */
  loss: number;
}

/** Upper bound on replayed steps, so a hand-edited URL cannot make the page loop for long. */
export const MAX_STEPS = 500;

/** One update of `params` from `env`. */
export function gradientStep(
  program: CompiledProgram,
  env: Record<string, number>,
  params: readonly string[],
  eta: number,
  step = 1,
): StepRecord {
  const result = program.run(env);
  const before: Record<string, number> = {};
  const gradients: Record<string, number> = {};
  const after: Record<string, number> = {};
  for (const name of params) {
    const value = env[name];
    const gradient = result.gradients[name];
    if (value === undefined || gradient === undefined)
      throw new RangeError(`'${name}' is not a variable of the program`);
    before[name] = value;
    gradients[name] = gradient;
    after[name] = value - eta * gradient;
  }
  return { step, before, gradients, loss: result.value, after };
}

/** `count` steps from `env` (clamped to 0..MAX_STEPS). */
export function descend(
  program: CompiledProgram,
  env: Record<string, number>,
  params: readonly string[],
  eta: number,
  count: number,
): DescentRun {
  const total = Math.max(0, Math.min(MAX_STEPS, Math.floor(count)));
  let current = { ...env };
  const steps: StepRecord[] = [];
  const lossHistory: number[] = [];
  for (let step = 1; step <= total; step++) {
    const record = gradientStep(program, current, params, eta, step);
    steps.push(record);
    lossHistory.push(record.loss);
    current = { ...current, ...record.after };
  }
  const loss = program.run(current).value;
  lossHistory.push(loss);
  return { steps, lossHistory, env: current, loss };
}

/**
 * A setup where one learning rate trains smoothly and a larger one overshoots, back and forth:
 * with a target strictly between 0 and 1 the best w is finite (a = y at w = logit(0.8) / 2 ≈
 * 0.693), and the loss curves up on both sides of it. The lesson's worked example (y = 1) has
 * its best w at infinity, so no learning rate can overshoot there (issue 16, item 13).
 * The curvature at the best w is a(1 - a)x² = 0.64, so steps oscillate once η > 2 / 0.64 ≈ 3.1.
 */
export const OVERSHOOT_SETUP = { x: 2, w: 0, b: 0, y: 0.8, eta: 4.5, loss: 'bce' } as const;

export type Trend = 'start' | 'settling' | 'overshooting' | 'growing';

/**
 * How a parameter is moving over its last steps, in words a learner can use: overshooting
 * when successive moves keep changing direction (it jumps across its best value), growing when
 * the moves get larger without changing direction, settling otherwise.
 */
export function trend(history: readonly number[], window = 6): Trend {
  const recent = history.slice(-(window + 1));
  if (recent.length < 4) return 'start';
  const moves: number[] = [];
  for (let i = 1; i < recent.length; i++) moves.push(recent[i]! - recent[i - 1]!);
  let flips = 0;
  for (let i = 1; i < moves.length; i++) if (moves[i]! * moves[i - 1]! < 0) flips++;
  if (flips >= Math.ceil((moves.length - 1) / 2)) {
    // Direction changes are also what a settling oscillation does; it overshoots only while the
    // jumps stay large.
    const last = Math.abs(moves.at(-1)!);
    const first = Math.abs(moves[0]!);
    if (last > 1e-3 && last > first * 0.5) return 'overshooting';
  }
  const sizes = moves.map(Math.abs);
  if (sizes.at(-1)! > sizes[0]! * 1.5 && sizes.at(-1)! > 1e-3) return 'growing';
  return 'settling';
}
