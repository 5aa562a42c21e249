import { describe, expect, it } from 'vitest';

import {
  decodeVars,
  domainIssues,
  encodeVars,
  envFor,
  errorLocation,
  MAX_DRAWN_UNITS,
  outputName,
  sliderRange,
  tooLargeToDraw,
  tryCompile,
  untrustedGradients,
} from './playground';

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

describe('learner mistakes the playground explains (issue 16, item 11)', () => {
  it('suggests log for ln, saying that log is the natural logarithm', () => {
    const outcome = tryCompile('L = ln(x)');
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error).toMatchObject({ line: 1, column: 5 });
      expect(outcome.error.detail).toContain("did you mean 'log'?");
      expect(outcome.error.detail).toContain('natural logarithm');
    }
  });

  it('refuses a name used before it is assigned, pointing at the assignment', () => {
    const outcome = tryCompile('a = b + 1; b = a * 2');
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error).toMatchObject({ line: 1, column: 12 });
      expect(outcome.error.detail).toMatch(/^'b' is used earlier \(line 1, column 5\) before it gets a value here/);
    }
    const self = tryCompile('c = c + 1');
    expect(self.ok).toBe(false);
    if (!self.ok) expect(self.error.detail).toContain('on the right of its own definition');
    // Re-binding a name that already has a value stays allowed.
    expect(tryCompile('a = x * 2\na = a + 1').ok).toBe(true);
  });

  it('names an unnamed output "output", and a named one by its name', () => {
    const unnamed = tryCompile('x * x + x');
    expect(unnamed.ok).toBe(true);
    if (unnamed.ok) {
      const trace = unnamed.program.run({ x: 2 }).trace;
      expect(
        outputName(
          trace.nodes.find((node) => node.id === trace.output),
          unnamed.program.variables,
        ),
      ).toBe('output');
    }
    expect(outputName({ names: ['L'] })).toBe('L');
    expect(outputName({ names: [] }, ['output'])).toBe('result');
  });
});

describe('domain checks', () => {
  const traceOf = (source: string, env: Record<string, number>) => {
    const outcome = tryCompile(source);
    if (!outcome.ok) throw new Error(outcome.error.detail);
    return outcome.program.run(env).trace;
  };

  it('flags log of a negative number, whose slope 1/x is still finite, and distrusts the gradient through it', () => {
    const trace = traceOf('L = log(x) + y', { x: -1, y: 2 });
    // The engine's local derivative of log at -1 is 1/x = -1: finite, so the gradient is too.
    expect(trace.edges.find((edge) => edge.from === 0)!.localDerivative).toBe(-1);
    const issues = domainIssues(trace);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.op).toBe('log');
    expect(issues[0]!.message).toBe('log needs a positive input, and here it gets \u22121');
    // L itself is then no real number, so neither gradient of L means anything.
    expect([...untrustedGradients(trace)].sort()).toEqual(['x', 'y']);
    // When the undefined part does not reach the output's value, only its own inputs are flagged.
    const side = traceOf('u = log(x)\nL = y * 2', { x: -1, y: 2 });
    expect([...untrustedGradients(side)]).toEqual(['x']);
  });

  it('flags sqrt of a negative, division by zero, and nothing on a healthy program', () => {
    expect(domainIssues(traceOf('L = sqrt(x)', { x: -4 }))[0]!.message).toContain('0 or more');
    expect(domainIssues(traceOf('L = x / y', { x: 0, y: 0 }))[0]!.message).toBe('this divides by zero');
    const healthy = traceOf('L = log(x) * y', { x: 2, y: 3 });
    expect(domainIssues(healthy)).toEqual([]);
    expect(untrustedGradients(healthy).size).toBe(0);
  });

  it('lists only the origin of a problem, not every node downstream of it', () => {
    const trace = traceOf('u = log(x)\nv = u * 2\nL = exp(v)', { x: -3 });
    expect(domainIssues(trace).map((issue) => issue.op)).toEqual(['log']);
  });
});

describe('tooLargeToDraw', () => {
  const traceOf = (source: string) => {
    const outcome = tryCompile(source);
    if (!outcome.ok) throw new Error(outcome.error.detail);
    return outcome.program.run(envFor(outcome.program.variables, {})).trace;
  };

  it('draws every lesson-sized program and refuses x*x*...*x with a plain reason', () => {
    expect(tooLargeToDraw(traceOf('p = w*x\nz = p + b\na = sigmoid(z)\nL = bce(a, y)'))).toBeNull();
    expect(tooLargeToDraw(traceOf(`y = x${'*x'.repeat(14)}`))).toBeNull();
    const big = tooLargeToDraw(traceOf(`y = x${'*x'.repeat(995)}`));
    expect(big?.detail).toMatch(/^this program makes a graph too big to draw here \(996 nodes/);
    expect(big?.detail).toContain(`the limit is ${MAX_DRAWN_UNITS}`);
  });
});
