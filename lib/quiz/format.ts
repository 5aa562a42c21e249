/** Numbers as a learner reads them: four significant figures and a real minus sign. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const text = Number(value.toPrecision(4)).toLocaleString('en-US', {
    maximumSignificantDigits: 4,
    useGrouping: false,
  });
  return text.replace('-', '−');
}
