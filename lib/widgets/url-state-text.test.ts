import { describe, expect, it } from 'vitest';

import { decodeWidgetState, defineWidgetState, encodeWidgetState, queryString, text } from './url-state';

// The `text` field (a learner's program in the URL) was added for the graph playground.
const spec = defineWidgetState({ src: text('', 40) });

describe('text fields', () => {
  it('round-trips newlines, operators and spaces through the query string', () => {
    const src = 'p = w*x\nL = (p + b)^2 # note';
    const query = queryString(encodeWidgetState(spec, 'gp', { values: { src }, hide: [], lock: [] }));
    expect(decodeWidgetState(spec, 'gp', query).values.src).toBe(src);
  });

  it('omits the default and falls back to it for text over the limit', () => {
    expect(queryString(encodeWidgetState(spec, 'gp', { values: { src: '' }, hide: [], lock: [] }))).toBe('');
    expect(decodeWidgetState(spec, 'gp', `?gp.src=${'x'.repeat(41)}`).values.src).toBe('');
    expect(decodeWidgetState(spec, 'gp', `?gp.src=${'x'.repeat(40)}`).values.src).toBe('x'.repeat(40));
  });
});
