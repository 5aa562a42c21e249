import { AutodiffError, compile, type CompiledProgram } from '@/lib/autodiff';
import { parseProgram, type Instruction, type ParsedProgram } from '@/lib/autodiff/language';

import { randomInt, variantRng } from './random';
import type { FormulaWrt, Loss, MisconceptionId } from './schema';
import { edgeLocal, OTHER_LOSS, runNeuron } from './targets';
import type { FormulaVariant } from './variants';

/**
 * Formula answers (issue 16, item 7): the learner types dL/d(wrt) of the lesson neuron as an
 * expression in the playground's language (lib/autodiff/language.ts, so the same errors with the
 * same positions), and it is graded by equivalence: evaluated at seeded random points and
 * compared with the engine's own gradient there (PrairieLearn's symbolic input, STACK's
 * algebraic equivalence, done numerically). A wrong expression that equals the reference with
 * one chain factor missing, or with σ where σ' belongs, is named.
 */

/** Names a formula may use: the neuron's inputs, and z and a as shorthands for w·x + b and σ(z). */
export const FORMULA_NAMES = ['x', 'w', 'b', 'y', 'z', 'a'] as const;
const ALLOWED = new Set<string>(FORMULA_NAMES);

/** Small limits: an answer is one line of algebra, and it is parsed on every keystroke's preview. */
export const FORMULA_LIMITS = { maxSourceLength: 300, maxDepth: 40, maxNodes: 300 } as const;

export interface FormulaError {
  message: string;
  line: number;
  column: number;
}

export type ParsedFormula =
  { ok: true; source: string; parsed: ParsedProgram; program: CompiledProgram } | { ok: false; error: FormulaError };

function failure(error: unknown): { ok: false; error: FormulaError } {
  if (error instanceof AutodiffError)
    return { ok: false, error: { message: error.message, line: error.line, column: error.column } };
  throw error;
}

/** Parses a typed formula; errors carry the language's message and a 1-based position. */
export function parseFormula(input: string): ParsedFormula {
  const source = input.trim();
  if (source.length === 0) return { ok: false, error: { message: 'Type an expression first.', line: 1, column: 1 } };
  let parsed: ParsedProgram;
  try {
    parsed = parseProgram(source, FORMULA_LIMITS);
  } catch (error) {
    return failure(error);
  }
  for (const variable of parsed.variables) {
    if (ALLOWED.has(variable.name)) continue;
    const at = parsed.instructions[variable.register];
    const line = at?.line ?? 1;
    const column = at?.column ?? 1;
    return {
      ok: false,
      error: {
        message: `line ${line}, col ${column}: unknown name '${variable.name}'; use x, w, b and y (z and a also work: z = w*x + b, a = sigmoid(z))`,
        line,
        column,
      },
    };
  }
  try {
    return { ok: true, source, parsed, program: compile(source, FORMULA_LIMITS) };
  } catch (error) {
    return failure(error);
  }
}

/** Grading points: fixed per question, so a formula's grade never depends on who typed it. */
export const FORMULA_POINTS = 16;
const EQUAL = { relative: 1e-6, absolute: 1e-9 };

function close(a: number, b: number): boolean {
  return Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= EQUAL.absolute + EQUAL.relative * Math.abs(b);
}

export interface FormulaPoint {
  x: number;
  w: number;
  b: number;
  y: number;
}

/**
 * Points where the sigmoid is not flat (|z| <= 2.5), no input is near zero (x = 0 would hide a
 * missing factor x) and the label takes both values, so each modelled mistake differs from the
 * reference at most points.
 */
export function formulaPoints(questionId: string, count = FORMULA_POINTS): FormulaPoint[] {
  const rng = variantRng('formula-points', questionId, 0);
  const points: FormulaPoint[] = [];
  const draw = (from: number, to: number) => randomInt(rng, from * 100, to * 100) / 100;
  while (points.length < count) {
    const point = { x: draw(-2, 2), w: draw(-1.5, 1.5), b: draw(-1, 1), y: points.length % 2 };
    if (Math.abs(point.x) < 0.25 || Math.abs(point.w) < 0.25 || Math.abs(point.w * point.x + point.b) > 2.5) continue;
    points.push(point);
  }
  return points;
}

/** The reference and each modelled mistake at one point, all from lib/autodiff's run of the neuron. */
function candidatesAt(
  variant: FormulaVariant,
  point: FormulaPoint,
): { expected: number; mistakes: Map<MisconceptionId, number> } {
  const result = runNeuron(variant.loss, point);
  const { trace, gradients, values } = result;
  const expected = gradients[variant.wrt] ?? Number.NaN;
  const dLda = edgeLocal(trace, 'a', 'L');
  const dadz = edgeLocal(trace, 'z', 'a');
  const a = values.a ?? Number.NaN;
  const dzdParam: Record<FormulaWrt, number> = {
    w: edgeLocal(trace, 'w', 'p') * edgeLocal(trace, 'p', 'z'),
    x: edgeLocal(trace, 'x', 'p') * edgeLocal(trace, 'p', 'z'),
    b: edgeLocal(trace, 'b', 'z'),
  };
  const mistakes = new Map<MisconceptionId, number>([
    ['sigmoid-for-derivative', (expected / dadz) * a],
    ['missing-sigmoid-slope', expected / dadz],
    ['missing-loss-slope', expected / dLda],
    ['sign-dL-da', -expected],
    ['wrong-loss', runNeuron(OTHER_LOSS[variant.loss], point).gradients[variant.wrt] ?? Number.NaN],
  ]);
  // The last factor, dz/d(param): x for w, w for x, 1 for b (no factor to miss).
  if (variant.wrt !== 'b') {
    mistakes.set('missing-x', expected / dzdParam[variant.wrt]);
    mistakes.set('wrong-path', gradients[variant.wrt === 'w' ? 'x' : 'w'] ?? Number.NaN);
  }
  return { expected, mistakes };
}

export interface FormulaGrading {
  correct: boolean;
  misconception: MisconceptionId | null;
  /** A point where the answer and the reference differ, for the hint (null when correct). */
  counterexample: { point: FormulaPoint; value: number; expected: number } | null;
}

function valueAt(program: CompiledProgram, point: FormulaPoint): number {
  const z = point.w * point.x + point.b;
  const env: Record<string, number> = { ...point, z, a: 1 / (1 + Math.exp(-z)) };
  const used = Object.fromEntries(program.variables.map((name) => [name, env[name] ?? Number.NaN]));
  try {
    return program.run(used).value;
  } catch {
    return Number.NaN;
  }
}

/** Equivalence at every point; else the modelled mistake it equals at every point, if any. */
export function gradeFormula(
  formula: Extract<ParsedFormula, { ok: true }>,
  variant: FormulaVariant,
  points: readonly FormulaPoint[],
): FormulaGrading {
  const matches = new Map<MisconceptionId, boolean>();
  let counterexample: FormulaGrading['counterexample'] = null;
  for (const point of points) {
    const value = valueAt(formula.program, point);
    const { expected, mistakes } = candidatesAt(variant, point);
    if (!close(value, expected) && counterexample === null) counterexample = { point, value, expected };
    for (const [id, mistake] of mistakes) {
      // A mistake that coincides with the reference at this point says nothing here.
      if (close(mistake, expected)) continue;
      matches.set(id, (matches.get(id) ?? true) && close(value, mistake));
    }
  }
  if (counterexample === null) return { correct: true, misconception: null, counterexample: null };
  const misconception = [...matches.entries()].find(([, all]) => all)?.[0] ?? null;
  return { correct: false, misconception, counterexample };
}

// ---------------------------------------------------------------------------------------------
// TeX for the preview: the parsed expression tree, typeset on the server (lib/server/math).

const LEVEL = { sum: 1, product: 2, unary: 3, power: 4, atom: 5 } as const;
type Level = (typeof LEVEL)[keyof typeof LEVEL];

const GREEK: Record<string, string> = {
  eta: '\\eta',
  sigma: '\\sigma',
  alpha: '\\alpha',
  beta: '\\beta',
  theta: '\\theta',
};

function texName(name: string): string {
  if (GREEK[name]) return GREEK[name];
  if (/^[a-zA-Z]$/.test(name)) return name;
  const match = /^([a-zA-Z]+)_?(\d+)$/.exec(name);
  if (match) return `${match[1]!.length === 1 ? match[1] : `\\mathrm{${match[1]}}`}_{${match[2]}}`;
  return `\\mathrm{${name.replace(/_/g, '\\_')}}`;
}

function texNumber(value: number): string {
  const text = String(value);
  const exponent = /^(-?[\d.]+)e([+-]?\d+)$/.exec(text);
  return exponent ? `${exponent[1]} \\times 10^{${Number(exponent[2])}}` : text;
}

const FUNCTIONS: Record<string, (args: string[]) => string> = {
  sigmoid: ([a]) => `\\sigma\\left(${a}\\right)`,
  exp: ([a]) => `e^{${a}}`,
  log: ([a]) => `\\log\\left(${a}\\right)`,
  sqrt: ([a]) => `\\sqrt{${a}}`,
  abs: ([a]) => `\\left|${a}\\right|`,
  tanh: ([a]) => `\\tanh\\left(${a}\\right)`,
  sin: ([a]) => `\\sin\\left(${a}\\right)`,
  cos: ([a]) => `\\cos\\left(${a}\\right)`,
  relu: ([a]) => `\\operatorname{relu}\\left(${a}\\right)`,
  max: ([a, b]) => `\\max\\left(${a}, ${b}\\right)`,
  min: ([a, b]) => `\\min\\left(${a}, ${b}\\right)`,
  sqerr: ([a, b]) => `\\left(${a} - ${b}\\right)^{2}`,
  bce: ([a, b]) => `\\operatorname{bce}\\left(${a}, ${b}\\right)`,
  bce_logits: ([a, b]) => `\\operatorname{bce\\_logits}\\left(${a}, ${b}\\right)`,
};

/**
 * TeX of the program's output expression. Bound names are shown by name (as typed), so
 * `z = w*x + b; (sigmoid(z) - y)*x` previews as (σ(z) − y)·x. Parentheses only where
 * precedence needs them.
 */
export function formulaToTex(parsed: ParsedProgram): string {
  const names = new Map<number, string>();
  for (const binding of parsed.bindings) names.set(binding.register, binding.name);
  const visit = (register: number, top: boolean): { tex: string; level: Level } => {
    const bound = names.get(register);
    if (bound !== undefined && !top) return { tex: texName(bound), level: LEVEL.atom };
    const instruction: Instruction | undefined = parsed.instructions[register];
    if (!instruction) return { tex: '?', level: LEVEL.atom };
    if (instruction.kind === 'input') return { tex: texName(instruction.name), level: LEVEL.atom };
    if (instruction.kind === 'constant') {
      return { tex: texNumber(instruction.value), level: instruction.value < 0 ? LEVEL.unary : LEVEL.atom };
    }
    const args = instruction.args.map((arg) => visit(arg, false));
    const at = (index: number, min: Level) => {
      const arg = args[index]!;
      return arg.level < min ? `\\left(${arg.tex}\\right)` : arg.tex;
    };
    switch (instruction.definition.name) {
      case 'add':
        return { tex: `${at(0, LEVEL.sum)} + ${at(1, LEVEL.product)}`, level: LEVEL.sum };
      case 'sub':
        return { tex: `${at(0, LEVEL.sum)} - ${at(1, LEVEL.product)}`, level: LEVEL.sum };
      case 'mul':
        return { tex: `${at(0, LEVEL.product)} \\cdot ${at(1, LEVEL.unary)}`, level: LEVEL.product };
      case 'div':
        return { tex: `\\frac{${args[0]!.tex}}{${args[1]!.tex}}`, level: LEVEL.atom };
      case 'neg':
        return { tex: `-${at(0, LEVEL.product)}`, level: LEVEL.unary };
      case 'pow':
        return { tex: `{${at(0, LEVEL.atom)}}^{${args[1]!.tex}}`, level: LEVEL.power };
      default: {
        const render = FUNCTIONS[instruction.definition.name];
        const texts = args.map((arg) => arg.tex);
        return {
          tex: render
            ? render(texts)
            : `\\operatorname{${instruction.definition.name}}\\left(${texts.join(', ')}\\right)`,
          level: LEVEL.atom,
        };
      }
    }
  };
  return visit(parsed.output, true).tex;
}

/** The asked derivative as plain text and TeX, e.g. ∂L/∂w with binary cross-entropy. */
export function formulaAsk(variant: FormulaVariant): { text: string; tex: string } {
  return { text: `∂L/∂${variant.wrt}`, tex: `\\partial L / \\partial ${variant.wrt}` };
}

export const LOSS_NAMES: Record<Loss, string> = { bce: 'binary cross-entropy', 'squared-error': 'squared error' };
