import { describe, expect, it } from 'vitest';

import { AutodiffError, compile, evaluate } from './index';

function errorOf(run: () => unknown): AutodiffError {
  try {
    run();
  } catch (error) {
    if (error instanceof AutodiffError) return error;
    throw new Error(`expected an AutodiffError, got ${String(error)}`);
  }
  throw new Error('expected an AutodiffError, nothing was thrown');
}

const value = (source: string, env: Record<string, number> = {}): number => evaluate(source, env).value;

describe('expression syntax', () => {
  it('numbers: integers, decimals, leading dot, exponents', () => {
    expect(value('1e-3')).toBe(0.001);
    expect(value('.5')).toBe(0.5);
    expect(value('2.')).toBe(2);
    expect(value('1.5E+2')).toBe(150);
  });

  it('precedence: * / over + -, ^ over unary minus, ^ right-associative', () => {
    expect(value('1 + 2 * 3')).toBe(7);
    expect(value('(1 + 2) * 3')).toBe(9);
    expect(value('8 / 4 / 2')).toBe(1);
    expect(value('5 - 3 - 1')).toBe(1);
    expect(value('2^3^2')).toBe(512);
    expect(value('-x^2', { x: 3 })).toBe(-9);
    expect(value('-2^2')).toBe(-4);
    expect(value('(-2)^2')).toBe(4);
    expect(value('2^-1')).toBe(0.5);
    expect(value('- -x', { x: 3 })).toBe(3);
    expect(value('+x', { x: 3 })).toBe(3);
    expect(value('x - -3', { x: 1 })).toBe(4);
  });

  it('calls, including two-argument ones and the mse alias', () => {
    expect(value('max(1, 2) + min(1, 2)')).toBe(3);
    expect(value('pow(2, 10)')).toBe(1024);
    expect(value('mse(3, 1)')).toBe(4);
    expect(value('sqerr(3, 1)')).toBe(4);
  });

  it('statements on lines or separated by ;, comments, newlines inside parentheses', () => {
    const source = '# the neuron\nz = w*x + b  # pre-activation\n\na = sigmoid(\n  z\n); L = sqerr(a, y)\n';
    const program = compile(source);
    expect(program.bindings).toEqual(['z', 'a', 'L']);
    expect(program.variables).toEqual(['w', 'x', 'b', 'y']);
    expect(program.run({ w: 0, x: 1, b: 0, y: 0 }).value).toBe(0.25);
  });

  it('a final bare expression is the value', () => {
    expect(value('a = 2; a * 3')).toBe(6);
  });

  it('a name bound earlier is the same node; re-binding makes a new one', () => {
    const shared = compile('a = x * y\nL = a + a * z').run({ x: 2, y: 3, z: 4 });
    expect(shared.trace.nodes.filter((node) => node.names.includes('a'))).toHaveLength(1);
    expect(shared.trace.nodes).toHaveLength(6);

    const rebound = compile('c = x + 1\nc = c * c').run({ x: 2 });
    expect(rebound.value).toBe(9);
    expect(rebound.gradients.x).toBe(6);
    expect(rebound.values.c).toBe(9);
    expect(rebound.trace.nodes.filter((node) => node.names.includes('c')).map((node) => node.value)).toEqual([3, 9]);

    const alias = compile('a = x * 2\nb = a\nL = b + a').run({ x: 1 });
    const aliased = alias.trace.nodes.find((node) => node.names.includes('b'))!;
    expect(aliased.names).toEqual(['a', 'b']);
    expect(alias.nodeGradients).toMatchObject({ a: 2, b: 2, x: 4 });
  });

  it('free names are variables in order of first use, each one input node', () => {
    const program = compile('L = y * x + x * y');
    expect(program.variables).toEqual(['y', 'x']);
    const result = program.run({ x: 2, y: 5 });
    expect(result.trace.nodes.filter((node) => node.kind === 'input').map((node) => node.label)).toEqual(['y', 'x']);
    expect(result.gradients).toEqual({ y: 4, x: 10 });
  });

  it('env entries the program does not use get gradient 0; names like constructor are ordinary', () => {
    expect(evaluate('x * 2', { x: 1, unused: 5 }).gradients).toEqual({ x: 2, unused: 0 });
    expect(evaluate('constructor * toString', { constructor: 2, toString: 3 }).value).toBe(6);
    expect(errorOf(() => evaluate('constructor + 1', {})).kind).toBe('missing-variable');
  });

  it('compile once, run many times: each run recomputes from the new inputs', () => {
    const program = compile('L = sqerr(w * x, y)');
    const first = program.run({ w: 1, x: 2, y: 0 });
    const second = program.run({ w: 3, x: 2, y: 0 });
    expect(first.gradients.w).toBe(8);
    expect(second.gradients.w).toBe(24);
    // The first result is a snapshot, not a view of reused buffers.
    expect(first.gradients.w).toBe(8);
    expect(first.trace.nodes.at(-1)!.value).toBe(4);
    expect(program.run({ w: 1, x: 2, y: 0 })).toEqual(first);
  });

  it('trace: stable ids in creation order, labels from names, constants and op symbols', () => {
    const { trace } = compile('z = 2 * x + b\na = tanh(z)').run({ x: 0.5, b: -1 });
    expect(trace.nodes.map((node) => [node.id, node.label, node.kind])).toEqual([
      [0, '2', 'constant'],
      [1, 'x', 'input'],
      [2, '*', 'op'],
      [3, 'b', 'input'],
      [4, 'z', 'op'],
      [5, 'a', 'op'],
    ]);
    expect(trace.output).toBe(5);
    expect(trace.edges.map((edge) => [edge.from, edge.to, edge.argIndex])).toEqual([
      [0, 2, 0],
      [1, 2, 1],
      [2, 4, 0],
      [3, 4, 1],
      [4, 5, 0],
    ]);
    const a = Math.tanh(0);
    expect(trace.edges.at(-1)!.localDerivative).toBe(1 - a * a);
  });
});

describe('errors carry kind, 1-based line and column, and a readable message', () => {
  const cases: {
    source: string;
    env?: Record<string, number>;
    kind: string;
    line: number;
    column: number;
    message: RegExp;
  }[] = [
    {
      source: 'z = x\nL = sigmoif(z)',
      kind: 'unknown-function',
      line: 2,
      column: 5,
      message: /^line 2, col 5: unknown function 'sigmoif'; did you mean 'sigmoid'\?$/,
    },
    {
      source: 'a = frobnicate(x)',
      kind: 'unknown-function',
      line: 1,
      column: 5,
      message: /unknown function 'frobnicate'$/,
    },
    { source: 'a = max(x)', kind: 'arity', line: 1, column: 5, message: /'max' takes 2 arguments, got 1/ },
    { source: 'a = exp(x, y)', kind: 'arity', line: 1, column: 5, message: /'exp' takes 1 argument, got 2/ },
    {
      source: 'a = x +\nb = 2',
      kind: 'syntax',
      line: 1,
      column: 8,
      message: /expected a number, name or '\(', found end of line/,
    },
    { source: 'a = (x + 1', kind: 'syntax', line: 1, column: 11, message: /expected '\)', found end of input/ },
    { source: 'a = x $ y', kind: 'syntax', line: 1, column: 7, message: /unexpected character '\$'/ },
    {
      source: 'a = 2x',
      kind: 'syntax',
      line: 1,
      column: 5,
      message: /malformed number '2x'; to multiply write '2\*x'/,
    },
    { source: 'a = 1.2.3', kind: 'syntax', line: 1, column: 5, message: /malformed number '1.2.3'/ },
    { source: '\n\n  3 = x', kind: 'syntax', line: 3, column: 5, message: /expected end of statement, found '='/ },
    {
      source: 'x + 1; a = 2',
      kind: 'syntax',
      line: 1,
      column: 1,
      message: /only the last statement may be a bare expression/,
    },
    { source: '  \n # nothing\n', kind: 'syntax', line: 1, column: 1, message: /the program is empty/ },
    { source: 'a = 1e999', kind: 'syntax', line: 1, column: 5, message: /too large/ },
    { source: '__proto__ = 1', kind: 'syntax', line: 1, column: 1, message: /reserved/ },
    {
      source: 'a = x * 2\nb = a * yy',
      env: { x: 1 },
      kind: 'missing-variable',
      line: 2,
      column: 9,
      message: /^line 2, col 9: no value for variable 'yy'$/,
    },
    {
      source: 'a = x * 2',
      env: { x: Number.NaN },
      kind: 'invalid-variable',
      line: 1,
      column: 5,
      message: /finite number/,
    },
  ];

  it.each(cases)('$source → $kind at $line:$column', ({ source, env, kind, line, column, message }) => {
    const error = errorOf(() => evaluate(source, env ?? { x: 1, y: 1 }));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('AutodiffError');
    expect({ kind: error.kind, line: error.line, column: error.column }).toEqual({ kind, line, column });
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(`line ${line}, col ${column}: `)).toBe(true);
  });

  it('missing variables are reported at their first use, even when used again later', () => {
    const error = errorOf(() => evaluate('a = 1\nb = a + q\nc = q * 2', {}));
    expect([error.line, error.column]).toEqual([2, 9]);
  });
});

describe('limits give AutodiffError kind limit, never a hang or RangeError', () => {
  it('100,000 opening parentheses', () => {
    const error = errorOf(() => compile('('.repeat(100_000)));
    expect(error.kind).toBe('limit');
  });

  it('deep nesting within the length limit: parentheses, unary minus, exponents, calls', () => {
    for (const source of [
      `${'('.repeat(300)}x${')'.repeat(300)}`,
      `${'-'.repeat(300)}x`,
      `x${'^x'.repeat(300)}`,
      `${'exp('.repeat(300)}x${')'.repeat(300)}`,
    ]) {
      const error = errorOf(() => compile(source));
      expect(error.kind).toBe('limit');
      expect(error.message).toMatch(/nested deeper than 200/);
    }
    expect(compile(`${'('.repeat(150)}x${')'.repeat(150)}`).run({ x: 2 }).value).toBe(2);
  });

  it('long flat programs are fine (loops, not recursion) up to the node limit', () => {
    const sum = `x${' + x'.repeat(2000)}`;
    expect(evaluate(sum, { x: 1 }).gradients.x).toBe(2001);
    const error = errorOf(() => compile('x + x + x + x + x', { maxNodes: 4 }));
    expect(error.kind).toBe('limit');
    expect(error.message).toMatch(/more than 4 graph nodes/);
    expect(errorOf(() => compile('x'.repeat(10_001))).kind).toBe('limit');
  });
});

describe('run options', () => {
  it('forward mode reports one pass per variable and equal gradients', () => {
    const program = compile('L = sigmoid(w*x + b)');
    const reverse = program.run({ w: 0.2, x: 3, b: -1 });
    const forward = program.run({ w: 0.2, x: 3, b: -1 }, { mode: 'forward' });
    expect(reverse.passes).toBe(1);
    expect(forward.passes).toBe(3);
    for (const name of program.variables) expect(forward.gradients[name]).toBeCloseTo(reverse.gradients[name]!, 15);
    expect(forward.nodeGradients).toEqual(reverse.nodeGradients);
  });

  it('rejects an unknown mode', () => {
    expect(errorOf(() => compile('x').run({ x: 1 }, { mode: 'sideways' as 'reverse' })).kind).toBe('invalid-option');
  });
});
