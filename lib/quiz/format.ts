/**
 * One formatter for every call: `toLocaleString` with options builds a new Intl.NumberFormat on
 * each call, which cost more than the rest of an answer's view (docs/decisions/009).
 */
const FOUR_SIGNIFICANT = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4, useGrouping: false });

/** Numbers as a learner reads them: four significant figures and a real minus sign. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return FOUR_SIGNIFICANT.format(Number(value.toPrecision(4))).replace('-', '−');
}
