import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  bool,
  decodeWidgetState,
  defaultState,
  defineWidgetState,
  encodeWidgetState,
  name,
  num,
  oneOf,
  queryString,
} from './url-state';

const spec = defineWidgetState(
  {
    x: num(1.5, -3, 3),
    w: num(0.5, -3, 3),
    loss: oneOf(['sq', 'bce'] as const, 'sq'),
    step: num(0, 0, 20, true),
    reveal: bool(false),
    node: name('w'),
  },
  ['timeline'],
);

describe('widget URL state', () => {
  it('reads the documented example', () => {
    const state = decodeWidgetState(spec, 'fp', '?fp.w=0.8&fp.loss=bce&fp.hide=b,x&fp.lock=x');
    expect(state.values).toEqual({ x: 1.5, w: 0.8, loss: 'bce', step: 0, reveal: false, node: 'w' });
    // b is not a control of this widget: ignored.
    expect(state.hide).toEqual(['x']);
    expect(state.lock).toEqual(['x']);
  });

  it('clamps numbers, rounds integers and rejects malformed values to defaults', () => {
    const state = decodeWidgetState(
      spec,
      'fp',
      'fp.x=99&fp.w=abc&fp.step=3.6&fp.loss=mse&fp.reveal=yes&fp.node=1bad&fp.extra=1&other.w=2',
    );
    expect(state.values).toEqual({ x: 3, w: 0.5, step: 4, loss: 'sq', reveal: false, node: 'w' });
    for (const bad of ['', ' 1', 'Infinity', 'NaN', '0x10', '1,5', '1e999']) {
      expect(decodeWidgetState(spec, 'fp', new URLSearchParams({ 'fp.w': bad })).values.w).toBe(0.5);
    }
    expect(decodeWidgetState(spec, 'fp', 'fp.w=-2e0').values.w).toBe(-2);
  });

  it('writes only non-default values, keeps other keys, and drops its own stale keys', () => {
    const state = defaultState(spec);
    expect(queryString(encodeWidgetState(spec, 'fp', state, '?bs.step=2&fp.w=1'))).toBe('?bs.step=2');
    const changed = { ...state, values: { ...state.values, w: -0.25, loss: 'bce' as const }, hide: ['x', 'timeline'] };
    expect(queryString(encodeWidgetState(spec, 'fp', changed, '?bs.step=2'))).toBe(
      '?bs.step=2&fp.w=-0.25&fp.loss=bce&fp.hide=x,timeline',
    );
  });

  it('round-trips any valid state exactly', () => {
    const field = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(
        field(-3, 3),
        field(-3, 3),
        fc.constantFrom('sq', 'bce'),
        fc.integer({ min: 0, max: 20 }),
        fc.boolean(),
        fc.constantFrom('w', 'x', 'node_2'),
        fc.subarray(['x', 'w', 'loss', 'timeline']),
        fc.subarray(['x', 'w', 'step']),
        (x, w, loss, step, reveal, node, hide, lock) => {
          const state = { values: { x, w, loss, step, reveal, node }, hide, lock };
          const text = queryString(encodeWidgetState(spec, 'fp', state, 'keep=1'));
          const back = decodeWidgetState(spec, 'fp', text);
          // -0 is written as "0".
          expect(back).toEqual({ ...state, values: { ...state.values, x: x + 0, w: w + 0 } });
          expect(new URLSearchParams(text).get('keep')).toBe('1');
        },
      ),
    );
  });

  it('keeps two instances of one widget apart', () => {
    const a = { ...defaultState(spec), values: { ...defaultState(spec).values, w: 1 } };
    const b = { ...defaultState(spec), values: { ...defaultState(spec).values, w: -1 } };
    const text = queryString(encodeWidgetState(spec, 'two', b, encodeWidgetState(spec, 'one', a)));
    expect(decodeWidgetState(spec, 'one', text).values.w).toBe(1);
    expect(decodeWidgetState(spec, 'two', text).values.w).toBe(-1);
  });
});
