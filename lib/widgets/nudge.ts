import type { CompiledProgram } from '@/lib/autodiff/program';

/**
 * The nudge test: estimate dL/dv by nudging one variable v by h and compare with the
 * gradient backprop computes. Pure; every number comes from running the compiled program.
 *
 *   forward difference  (L(v + h) - L(v)) / h          error O(h)   (truncation)
 *   central difference  (L(v + h) - L(v - h)) / 2h     error O(h^2) (the h terms cancel)
 *
 * Both divide by the nominal h, the quantity a learner types, not by the step float64 actually
 * took: at tiny h the difference between v + h and v is itself rounded, and seeing that
 * round-off come back is the point of the widget.
 */

/** Guards the relative error against 0/0 when both derivatives are exactly 0. */
const TINY = 1e-300;

/** Exponents of the h ladder: h = 10^0 down to 10^-12. */
export const H_EXPONENT_MAX = 0;
export const H_EXPONENT_MIN = -12;

export interface NudgeRow {
  h: number;
  /** L at the unnudged point. */
  loss: number;
  /** L(v + h) and L(v - h). */
  lossAbove: number;
  lossBelow: number;
  forward: number;
  central: number;
  backprop: number;
  forwardRelError: number;
  centralRelError: number;
}

/** |a - b| / max(|a|, |b|): scale-free, so one threshold works for any size of gradient. */
export function relativeError(estimate: number, reference: number): number {
  const scale = Math.max(Math.abs(estimate), Math.abs(reference), TINY);
  return Math.abs(estimate - reference) / scale;
}

function lossAt(program: CompiledProgram, env: Record<string, number>, variable: string, value: number): number {
  return program.run({ ...env, [variable]: value }).value;
}

/**
 * One row of the nudge test for `variable` at step `h`. `backprop` is the engine's reverse-mode
 * gradient at `env`; it is the reference both finite differences are compared against.
 */
export function nudgeRow(
  program: CompiledProgram,
  env: Record<string, number>,
  variable: string,
  h: number,
  backprop: number = program.run(env).gradients[variable] ?? Number.NaN,
): NudgeRow {
  if (!(h > 0) || !Number.isFinite(h)) throw new RangeError(`h must be a positive finite number, got ${h}`);
  const v = env[variable];
  if (v === undefined) throw new RangeError(`no value for variable '${variable}'`);
  const loss = program.run(env).value;
  const above = lossAt(program, env, variable, v + h);
  const below = lossAt(program, env, variable, v - h);
  const forward = (above - loss) / h;
  const central = (above - below) / (2 * h);
  return {
    h,
    loss,
    lossAbove: above,
    lossBelow: below,
    forward,
    central,
    backprop,
    forwardRelError: relativeError(forward, backprop),
    centralRelError: relativeError(central, backprop),
  };
}

/** h = 10^exponent, exact for the integer exponents the slider uses (10^-3 is not 0.001 * 1). */
export function hFromExponent(exponent: number): number {
  return Number(`1e${exponent}`);
}

/** The whole ladder h = 1, 0.1, ..., 1e-12: the data for the error-vs-h plot. */
export function nudgeLadder(
  program: CompiledProgram,
  env: Record<string, number>,
  variable: string,
  minExponent = H_EXPONENT_MIN,
  maxExponent = H_EXPONENT_MAX,
): NudgeRow[] {
  const backprop = program.run(env).gradients[variable] ?? Number.NaN;
  const rows: NudgeRow[] = [];
  for (let exponent = maxExponent; exponent >= minExponent; exponent--) {
    rows.push(nudgeRow(program, env, variable, hFromExponent(exponent), backprop));
  }
  return rows;
}
