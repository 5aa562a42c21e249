/**
 * The single table of differentiable operations.
 *
 * Every op declares its forward value and its local partial derivatives here and nowhere else.
 * The tape evaluates `value`, `da` and `db` once when a node is recorded and stores the partials
 * per edge; reverse mode, forward (tangent) mode and the drawn trace all read those stored
 * partials, so the three can never disagree about what an op's derivative is.
 *
 * Partials receive the operand values and the already computed output, because several
 * derivatives are cheapest in terms of the output (tanh' = 1 - out^2, exp' = out, ...).
 *
 * Numeric domain: ops follow IEEE 754 and never throw. log(0) = -Infinity with derivative
 * Infinity, log(-1) = NaN, x/0 = ±Infinity, sqrt'(0) = Infinity. Non-smooth points take a
 * fixed one-sided choice: abs'(0) = 0, relu'(0) = 0, and max/min ties send the whole gradient
 * to the first argument.
 */

export const OP_INPUT = 0;
export const OP_CONSTANT = 1;

export type Arity = 1 | 2;

export interface OpDefinition {
  readonly code: number;
  /** Stable identifier, used as `TraceNode.op`. */
  readonly name: string;
  /** Short label for an unnamed node of this op in a drawn graph. */
  readonly symbol: string;
  readonly arity: Arity;
  /** Names under which the expression language can call this op. */
  readonly callNames: readonly string[];
  readonly value: (a: number, b: number) => number;
  readonly da: (a: number, b: number, out: number) => number;
  readonly db: (a: number, b: number, out: number) => number;
}

const noPartial = (): number => 0;

/**
 * Clamp for `bce` on a probability: log(1e-12) ≈ -27.6 keeps the loss finite when a sigmoid
 * saturates to exactly 0 or 1 in float64. Outside the clamp the loss is flat, so its derivative
 * there is 0 — the derivative of what is actually computed (finite differences agree). That
 * flatness is why `bce_logits` exists for training.
 */
export const BCE_EPSILON = 1e-12;

function clampProbability(a: number): number {
  return a < BCE_EPSILON ? BCE_EPSILON : a > 1 - BCE_EPSILON ? 1 - BCE_EPSILON : a;
}

function stableSigmoid(z: number): number {
  // Branching keeps exp's argument non-positive so it never overflows to Infinity/Infinity.
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

function powExponentPartial(base: number, out: number): number {
  // d(a^b)/db = a^b ln a. For a = 0 the product 0 * -Infinity would be NaN although 0^b is
  // constant (= 0) for every b > 0, so the honest derivative there is 0.
  if (out === 0) return 0;
  return out * Math.log(base);
}

interface OpSpec {
  name: string;
  symbol: string;
  arity: Arity;
  callNames?: readonly string[];
  value: (a: number, b: number) => number;
  da: (a: number, b: number, out: number) => number;
  db?: (a: number, b: number, out: number) => number;
}

const specs = [
  { name: 'add', symbol: '+', arity: 2, value: (a, b) => a + b, da: () => 1, db: () => 1 },
  { name: 'sub', symbol: '-', arity: 2, value: (a, b) => a - b, da: () => 1, db: () => -1 },
  { name: 'mul', symbol: '*', arity: 2, value: (a, b) => a * b, da: (_a, b) => b, db: (a) => a },
  {
    name: 'div',
    symbol: '/',
    arity: 2,
    value: (a, b) => a / b,
    da: (_a, b) => 1 / b,
    db: (_a, b, out) => -out / b,
  },
  { name: 'neg', symbol: 'neg', arity: 1, value: (a) => -a, da: () => -1 },
  {
    name: 'pow',
    symbol: '^',
    arity: 2,
    value: (a, b) => Math.pow(a, b),
    // b * a^(b-1) rather than b * out / a, which is NaN at a = 0 for b >= 1.
    da: (a, b) => (b === 0 ? 0 : b * Math.pow(a, b - 1)),
    db: (a, _b, out) => powExponentPartial(a, out),
  },
  { name: 'exp', symbol: 'exp', arity: 1, value: (a) => Math.exp(a), da: (_a, _b, out) => out },
  { name: 'log', symbol: 'log', arity: 1, value: (a) => Math.log(a), da: (a) => 1 / a },
  {
    name: 'sqrt',
    symbol: 'sqrt',
    arity: 1,
    value: (a) => Math.sqrt(a),
    da: (_a, _b, out) => 0.5 / out,
  },
  {
    name: 'abs',
    symbol: 'abs',
    arity: 1,
    value: (a) => Math.abs(a),
    da: (a) => (a > 0 ? 1 : a < 0 ? -1 : 0),
  },
  {
    name: 'sigmoid',
    symbol: 'sigmoid',
    arity: 1,
    value: stableSigmoid,
    da: (_a, _b, out) => out * (1 - out),
  },
  {
    name: 'tanh',
    symbol: 'tanh',
    arity: 1,
    value: (a) => Math.tanh(a),
    da: (_a, _b, out) => 1 - out * out,
  },
  {
    name: 'relu',
    symbol: 'relu',
    arity: 1,
    value: (a) => (a > 0 ? a : 0),
    da: (a) => (a > 0 ? 1 : 0),
  },
  {
    name: 'max',
    symbol: 'max',
    arity: 2,
    value: (a, b) => (a >= b ? a : b),
    da: (a, b) => (a >= b ? 1 : 0),
    db: (a, b) => (a >= b ? 0 : 1),
  },
  {
    name: 'min',
    symbol: 'min',
    arity: 2,
    value: (a, b) => (a <= b ? a : b),
    da: (a, b) => (a <= b ? 1 : 0),
    db: (a, b) => (a <= b ? 0 : 1),
  },
  { name: 'sin', symbol: 'sin', arity: 1, value: (a) => Math.sin(a), da: (a) => Math.cos(a) },
  { name: 'cos', symbol: 'cos', arity: 1, value: (a) => Math.cos(a), da: (a) => -Math.sin(a) },
  {
    name: 'sqerr',
    symbol: 'sqerr',
    arity: 2,
    callNames: ['sqerr', 'mse'],
    value: (a, y) => (a - y) * (a - y),
    da: (a, y) => 2 * (a - y),
    db: (a, y) => -2 * (a - y),
  },
  {
    name: 'bce',
    symbol: 'bce',
    arity: 2,
    value: (a, y) => {
      const p = clampProbability(a);
      // log1p(-p) keeps precision for p near 1, where 1 - p would lose digits.
      return -(y * Math.log(p) + (1 - y) * Math.log1p(-p));
    },
    da: (a, y) => {
      if (a < BCE_EPSILON || a > 1 - BCE_EPSILON) return 0;
      return (1 - y) / (1 - a) - y / a;
    },
    db: (a) => {
      const p = clampProbability(a);
      return Math.log1p(-p) - Math.log(p);
    },
  },
  {
    name: 'bce_logits',
    symbol: 'bce_logits',
    arity: 2,
    // max(z,0) - z*y + log1p(exp(-|z|)): exp's argument is never positive, so no overflow,
    // and no probability is ever formed, so nothing needs clamping.
    value: (z, y) => (z > 0 ? z : 0) - z * y + Math.log1p(Math.exp(-Math.abs(z))),
    da: (z, y) => stableSigmoid(z) - y,
    db: (z) => -z,
  },
] satisfies readonly OpSpec[];

export type OpName = (typeof specs)[number]['name'];

export const OPS: readonly OpDefinition[] = specs.map((spec: OpSpec, index): OpDefinition => ({
  code: index + 2,
  name: spec.name,
  symbol: spec.symbol,
  arity: spec.arity,
  callNames: spec.callNames ?? [spec.name],
  value: spec.value,
  da: spec.da,
  db: spec.db ?? noPartial,
}));

const byName = new Map<string, OpDefinition>(OPS.map((op) => [op.name, op]));

export function op(name: OpName): OpDefinition {
  const definition = byName.get(name);
  if (definition === undefined) throw new Error(`op table has no '${name}'`);
  return definition;
}

/** Indexed by op code; codes 0 and 1 (input, constant) have no definition. */
export const OPS_BY_CODE: readonly (OpDefinition | undefined)[] = [undefined, undefined, ...OPS];

/** Functions callable from the expression language, keyed by call name. */
export const CALLABLE_OPS: ReadonlyMap<string, OpDefinition> = new Map(
  OPS.flatMap((definition) => definition.callNames.map((callName) => [callName, definition] as const)),
);
