import { describe, expect, it } from 'vitest';

import { widgetTitleOf } from './catalog';

describe('widgetTitleOf', () => {
  it('names a widget from the target its events carry, with or without an instance', () => {
    expect(widgetTitleOf('forward-pass:fp')).toBe('Forward pass: one neuron');
    expect(widgetTitleOf('graph-playground:gp2')).toBe('Your own graph');
    expect(widgetTitleOf('backward-steps')).toBe('Backward pass, one edge at a time');
  });

  it('returns null for a kind it does not know, so the raw target can be shown', () => {
    expect(widgetTitleOf('chain-of-influence:ci')).toBeNull();
    expect(widgetTitleOf('toString')).toBeNull();
    expect(widgetTitleOf('')).toBeNull();
  });
});
