/**
 * Number formatting for what a learner reads: about 4 significant digits and a real minus
 * sign. Data attributes (data-value, data-grad) never use this: they hold String(number), the
 * full-precision value tests compare against the engine.
 *   formatNumber(-0.17744691734927373) === '−0.1774'
 */

const MINUS = '\u2212';

export function formatNumber(value: number, digits = 4): string {
  if (Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : `${MINUS}∞`;
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  const text =
    magnitude >= 1e5 || magnitude < 1e-4
      ? magnitude.toExponential(digits - 1).replace(/\.?0+e/, 'e')
      : String(Number(magnitude.toPrecision(digits)));
  return value < 0 ? `${MINUS}${text}` : text;
}

/** The exact attribute text for a number: round-trips through Number(). */
export function dataNumber(value: number): string {
  return String(value);
}

/** ∂L/∂name, as plain text for labels and table headers. */
export function partial(output: string, of: string): string {
  return `∂${output}/∂${of}`;
}
