import { describe, expect, it } from 'vitest';

import { judgePrediction, signOf } from './events';

describe('judgePrediction', () => {
  it('judges signs, with tiny gradients counting as zero', () => {
    expect(signOf(-0.2)).toBe(-1);
    expect(signOf(1e-12)).toBe(0);
    expect(judgePrediction({ kind: 'sign', sign: -1 }, -0.27)).toBe(true);
    expect(judgePrediction({ kind: 'sign', sign: 1 }, -0.27)).toBe(false);
    expect(judgePrediction({ kind: 'sign', sign: 0 }, 0)).toBe(true);
  });

  it('accepts a typed value within 5% (or 0.01 near zero)', () => {
    expect(judgePrediction({ kind: 'value', value: 5 }, 5)).toBe(true);
    expect(judgePrediction({ kind: 'value', value: -0.27 }, -0.2662)).toBe(true);
    expect(judgePrediction({ kind: 'value', value: 1 }, 5)).toBe(false);
    expect(judgePrediction({ kind: 'value', value: 0.005 }, 0)).toBe(true);
  });
});
