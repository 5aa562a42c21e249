export interface GradCheckRow {
  name: string;
  analytic: number;
  numeric: number;
  relError: number;
}

/** Guards the relative error against 0/0 when both derivatives are exactly 0. */
const TINY = 1e-300;

/**
 * CS231n-style numerical gradient check. For each variable of `point`, the numeric derivative
 * is the central difference (f(x+h) - f(x-h)) / 2h, whose error is O(h^2) against O(h) for a
 * one-sided difference. The step is scaled by max(1, |x|) so large coordinates are not
 * perturbed below their own rounding. relError = |a - n| / max(|a|, |n|, tiny): CS231n
 * suggests > 1e-2 usually means a bug and < 1e-7 is a clean match for smooth functions.
 * A variable missing from `analytic` reports NaN rather than passing silently.
 */
export function gradCheck(
  f: (env: Record<string, number>) => number,
  point: Record<string, number>,
  analytic: Record<string, number>,
  h = 1e-5,
): GradCheckRow[] {
  const rows: GradCheckRow[] = [];
  for (const name of Object.keys(point)) {
    const x = point[name]!;
    const step = h * Math.max(1, Math.abs(x));
    const above = x + step;
    const below = x - step;
    const plus = f({ ...point, [name]: above });
    const minus = f({ ...point, [name]: below });
    // Divide by the step actually taken: x ± step is rounded, and 2*step would not match it.
    const numeric = (plus - minus) / (above - below);
    const analyticValue = Object.prototype.hasOwnProperty.call(analytic, name) ? analytic[name]! : Number.NaN;
    const relError = Math.abs(analyticValue - numeric) / Math.max(Math.abs(analyticValue), Math.abs(numeric), TINY);
    rows.push({ name, analytic: analyticValue, numeric, relError });
  }
  return rows;
}
