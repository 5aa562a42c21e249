/**
 * Numeric answers are accepted within a relative and an absolute tolerance, as PrairieLearn's
 * `rtol`/`atol` (numpy.isclose): |answer - expected| <= atol + rtol * |expected|. The absolute
 * part keeps answers near zero gradable; both are stated to the learner next to the input.
 */
export interface Tolerance {
  relative: number;
  absolute: number;
}

export const TOLERANCE: Readonly<Tolerance> = { relative: 1e-2, absolute: 1e-3 };

export function withinTolerance(answer: number, expected: number, tolerance: Readonly<Tolerance> = TOLERANCE): boolean {
  if (!Number.isFinite(answer) || !Number.isFinite(expected)) return false;
  return Math.abs(answer - expected) <= tolerance.absolute + tolerance.relative * Math.abs(expected);
}
