import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { compile } from './index';

/**
 * Random well-formed programs over smooth ops on safe domains. Each program is printed to
 * source for the engine and also evaluated by `reference` below, a plain-Math interpreter that
 * shares no code with the engine, whose central differences are the independent check.
 */
type Expr =
  | { kind: 'variable'; name: 'x' | 'y' | 'z' }
  | { kind: 'number'; value: number }
  | { kind: 'binding'; back: number }
  | { kind: 'unary'; op: UnaryOp; arg: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr };

const UNARY_OPS = ['neg', 'tanh', 'sigmoid', 'sin', 'cos', 'expTanh', 'logSquarePlusOne', 'sqrtSquarePlusOne'] as const;
const BINARY_OPS = [
  'add',
  'sub',
  'mul',
  'safeDiv',
  'power',
  'safePow',
  'sqerr',
  'bceLogits',
  'bceSigmoid',
  'max',
] as const;
type UnaryOp = (typeof UNARY_OPS)[number];
type BinaryOp = (typeof BINARY_OPS)[number];

const VARIABLES = ['x', 'y', 'z'] as const;

const { expr: exprArbitrary } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    fc.constantFrom(...VARIABLES).map((name): Expr => ({ kind: 'variable', name })),
    fc.integer({ min: -200, max: 200 }).map((n): Expr => ({ kind: 'number', value: n / 100 })),
    fc.nat(8).map((back): Expr => ({ kind: 'binding', back })),
    fc.record({ kind: fc.constant('unary' as const), op: fc.constantFrom(...UNARY_OPS), arg: tie('expr') }),
    fc.record({
      kind: fc.constant('binary' as const),
      op: fc.constantFrom(...BINARY_OPS),
      left: tie('expr'),
      right: tie('expr'),
    }),
  ),
}));

interface GeneratedProgram {
  statements: Expr[];
  env: Record<string, number>;
}

const programArbitrary: fc.Arbitrary<GeneratedProgram> = fc.record({
  statements: fc.array(exprArbitrary, { minLength: 1, maxLength: 5 }),
  env: fc.record({
    x: fc.double({ min: -1.5, max: 1.5, noNaN: true }),
    y: fc.double({ min: -1.5, max: 1.5, noNaN: true }),
    z: fc.double({ min: -1.5, max: 1.5, noNaN: true }),
  }),
});

/** `back` picks an earlier statement; with none bound yet it falls back to a variable. */
function resolveBinding(back: number, statementIndex: number): string | undefined {
  return statementIndex === 0 ? undefined : `t${statementIndex - 1 - (back % statementIndex)}`;
}

function print(expr: Expr, statementIndex: number): string {
  switch (expr.kind) {
    case 'variable':
      return expr.name;
    case 'number':
      return `(${expr.value})`;
    case 'binding':
      return resolveBinding(expr.back, statementIndex) ?? VARIABLES[expr.back % 3]!;
    case 'unary': {
      const arg = print(expr.arg, statementIndex);
      switch (expr.op) {
        case 'neg':
          return `(-${arg})`;
        case 'expTanh':
          return `exp(tanh(${arg}))`;
        case 'logSquarePlusOne':
          return `log(${arg}^2 + 1)`;
        case 'sqrtSquarePlusOne':
          return `sqrt(1 + ${arg}*${arg})`;
        default:
          return `${expr.op}(${arg})`;
      }
    }
    case 'binary': {
      const left = print(expr.left, statementIndex);
      const right = print(expr.right, statementIndex);
      switch (expr.op) {
        case 'add':
          return `(${left} + ${right})`;
        case 'sub':
          return `(${left} - ${right})`;
        case 'mul':
          return `(${left} * ${right})`;
        case 'safeDiv':
          return `(${left} / (1 + ${right}^2))`;
        case 'power':
          return `((${left})^3)`;
        case 'safePow':
          return `pow(${left}^2 + 1, tanh(${right}))`;
        case 'sqerr':
          return `sqerr(${left}, ${right})`;
        case 'bceLogits':
          return `bce_logits(${left}, sigmoid(${right}))`;
        case 'bceSigmoid':
          return `bce(sigmoid(tanh(${left})), sigmoid(${right}))`;
        case 'max':
          // Smooth stand-in that still exercises max: max(u, u + 1 + v^2) is always the second.
          return `max(${left}, ${left} + 1 + ${right}^2)`;
      }
    }
  }
}

function sourceOf(program: GeneratedProgram): string {
  return program.statements.map((statement, index) => `t${index} = ${print(statement, index)}`).join('\n');
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

function referenceUnary(op: UnaryOp, u: number): number {
  switch (op) {
    case 'neg':
      return -u;
    case 'tanh':
      return Math.tanh(u);
    case 'sigmoid':
      return sigmoid(u);
    case 'sin':
      return Math.sin(u);
    case 'cos':
      return Math.cos(u);
    case 'expTanh':
      return Math.exp(Math.tanh(u));
    case 'logSquarePlusOne':
      return Math.log(u * u + 1);
    case 'sqrtSquarePlusOne':
      return Math.sqrt(1 + u * u);
  }
}

function referenceBinary(op: BinaryOp, u: number, v: number): number {
  switch (op) {
    case 'add':
      return u + v;
    case 'sub':
      return u - v;
    case 'mul':
      return u * v;
    case 'safeDiv':
      return u / (1 + v * v);
    case 'power':
      return u * u * u;
    case 'safePow':
      return Math.pow(u * u + 1, Math.tanh(v));
    case 'sqerr':
      return (u - v) * (u - v);
    case 'bceLogits': {
      const target = sigmoid(v);
      return -(target * Math.log(sigmoid(u)) + (1 - target) * Math.log(1 - sigmoid(u)));
    }
    case 'bceSigmoid': {
      const p = sigmoid(Math.tanh(u));
      const target = sigmoid(v);
      return -(target * Math.log(p) + (1 - target) * Math.log(1 - p));
    }
    case 'max':
      return u + 1 + v * v;
  }
}

function reference(expr: Expr, env: Record<string, number>, bound: number[]): number {
  switch (expr.kind) {
    case 'variable':
      return env[expr.name]!;
    case 'number':
      return expr.value;
    case 'binding':
      if (bound.length === 0) return env[VARIABLES[expr.back % 3]!]!;
      return bound[bound.length - 1 - (expr.back % bound.length)]!;
    case 'unary':
      return referenceUnary(expr.op, reference(expr.arg, env, bound));
    case 'binary':
      return referenceBinary(expr.op, reference(expr.left, env, bound), reference(expr.right, env, bound));
  }
}

function referenceProgram(program: GeneratedProgram, env: Record<string, number>): number {
  const bound: number[] = [];
  for (const statement of program.statements) bound.push(reference(statement, env, bound));
  return bound[bound.length - 1]!;
}

/** Central difference refined by one Richardson step: error O(h^4) instead of O(h^2). */
function numericDerivative(f: (t: number) => number, at: number): number {
  const h = 1e-3;
  const central = (step: number): number => (f(at + step) - f(at - step)) / (2 * step);
  return (4 * central(h / 2) - central(h)) / 3;
}

describe('random programs: reverse = forward = central differences of an independent evaluator', () => {
  it('agree on value and every gradient', () => {
    fc.assert(
      fc.property(programArbitrary, (program) => {
        const source = sourceOf(program);
        const compiled = compile(source);
        const reverse = compiled.run(program.env);
        const forward = compiled.run(program.env, { mode: 'forward' });
        const expectedValue = referenceProgram(program, program.env);
        fc.pre(Number.isFinite(expectedValue) && Math.abs(expectedValue) < 1e6);

        const scale = 1 + Math.abs(expectedValue);
        expect(Math.abs(reverse.value - expectedValue)).toBeLessThanOrEqual(1e-10 * scale);
        for (const name of VARIABLES) {
          const analytic = reverse.gradients[name]!;
          const tangent = forward.gradients[name]!;
          expect(Math.abs(analytic - tangent), `${name}: reverse vs forward\n${source}`).toBeLessThanOrEqual(
            1e-10 * (1 + Math.abs(analytic)),
          );
          const numeric = numericDerivative(
            (t) => referenceProgram(program, { ...program.env, [name]: t }),
            program.env[name]!,
          );
          expect(Math.abs(analytic - numeric), `${name}: reverse vs numeric\n${source}`).toBeLessThanOrEqual(
            1e-7 * (scale + Math.abs(analytic)),
          );
        }
      }),
      { numRuns: 500 },
    );
  });

  it('names bound once and used on several paths receive the summed gradient', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.integer({ min: 1, max: 30 }),
        (x, y, uses) => {
          // L = a + a + ... (uses times) with a = x*y, so dL/da = uses and dL/dx = uses*y.
          const source = `a = x * y\nL = a${' + a'.repeat(uses - 1)}`;
          const result = compile(source).run({ x, y });
          expect(result.nodeGradients.a).toBe(uses);
          expect(result.gradients.x).toBeCloseTo(uses * y, 12);
          expect(result.gradients.y).toBeCloseTo(uses * x, 12);
        },
      ),
    );
  });
});
