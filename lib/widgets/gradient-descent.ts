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
