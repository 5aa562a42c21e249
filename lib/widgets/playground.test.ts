import { describe, expect, it } from 'vitest';

import { decodeVars, encodeVars, envFor, errorLocation, sliderRange, tryCompile } from './playground';

describe('tryCompile', () => {
  it('compiles a good program', () => {
    const outcome = tryCompile('p = w*x\nL = sigmoid(p)');
    expect(outcome.ok).toBe(true);
    if (outcome.ok) expect(outcome.program.variables).toEqual(['w', 'x']);
  });

  it('reports a misspelt function with its line and column instead of throwing', () => {
    const outcome = tryCompile('L = sigmoif(x)');
    expect(outcome).toEqual({
      ok: false,
      error: { line: 1, column: 5, detail: expect.stringContaining("unknown function 'sigmoif'") as unknown },
    });
  });

  it('reports a syntax error on a later line', () => {
    const outcome = tryCompile('p = w*x\nL = (p + ');
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.line).toBe(2);
  });

  it('refuses a program without variables and an overlong one', () => {
    expect(tryCompile('L = 2 * 3').ok).toBe(false);
    const long = tryCompile(`L = x${' + x'.repeat(1000)}`);
    expect(long.ok).toBe(false);
  });
});

describe('errorLocation', () => {
  const source = 'p = w*x\nL = sigmoif(p)';
  it('finds the line, the caret and the offset into the whole source', () => {
    const location = errorLocation(source, { line: 2, column: 5, detail: '' });
    expect(location).toEqual({ lineText: 'L = sigmoif(p)', caret: 4, offset: 12 });
    expect(source.slice(location!.offset, location!.offset + 7)).toBe('sigmoif');
  });

  it('clamps an end-of-input column and ignores errors without a position', () => {
    expect(errorLocation('L = (', { line: 1, column: 99, detail: '' })?.caret).toBe(5);
    expect(errorLocation(source, { line: 0, column: 0, detail: '' })).toBeNull();
    expect(errorLocation(source, { line: 9, column: 1, detail: '' })).toBeNull();
  });
});

describe('envFor', () => {
  it('keeps earlier values, then defaults, then 1 for a new variable', () => {
    expect(envFor(['w', 'x', 'q'], { w: 2 }, { w: 0.5, x: 1.5 })).toEqual({ w: 2, x: 1.5, q: 1 });
  });

  it('does not read inherited properties', () => {
    expect(envFor(['constructor'], {}, {})).toEqual({ constructor: 1 });
  });
});

describe('encodeVars / decodeVars', () => {
  it('round-trips exact doubles', () => {
    const env = { w: 0.1 + 0.2, b: -6.881373587019543, x: 1e-7 };
    expect(decodeVars(encodeVars(env))).toEqual(env);
  });

  it('drops malformed pairs', () => {
    expect(decodeVars('w:1,:2,x:abc,y:1:2,__proto__:3,z:Infinity,ok:-2.5')).toEqual({ w: 1, ok: -2.5 });
    expect(decodeVars('')).toEqual({});
  });
});

describe('sliderRange', () => {
  it('is [-3, 3] for ordinary values and widens for larger ones', () => {
    expect(sliderRange(0.5)).toEqual({ min: -3, max: 3 });
    expect(sliderRange(6.88)).toEqual({ min: -3, max: 7 });
    expect(sliderRange(-4.2)).toEqual({ min: -5, max: 3 });
  });
});
