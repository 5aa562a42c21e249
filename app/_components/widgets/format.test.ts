import { describe, expect, it } from 'vitest';

import { dataNumber, formatNumber } from './format';

describe('formatNumber', () => {
  it('shows about 4 significant digits with a real minus sign', () => {
    expect(formatNumber(-0.17744691734927373)).toBe('−0.1774');
    expect(formatNumber(0.6224593312018546)).toBe('0.6225');
    expect(formatNumber(1.5)).toBe('1.5');
    expect(formatNumber(-30)).toBe('−30');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(123456)).toBe('1.235e+5');
    expect(formatNumber(0.00001234)).toBe('1.234e-5');
    expect(formatNumber(Number.NaN)).toBe('—');
    expect(formatNumber(-Infinity)).toBe('−∞');
  });

  it('keeps attributes at full precision', () => {
    expect(Number(dataNumber(0.1 + 0.2))).toBe(0.1 + 0.2);
  });
});
