// Deep imports, not '@/lib/autodiff': this module reaches the browser, and the index also pulls
// in the gradient checker and creates a default tape.
import { AutodiffError } from '@/lib/autodiff/errors';
import { parseProgram } from '@/lib/autodiff/language';
import { compile, type CompiledProgram } from '@/lib/autodiff/program';
import type { Trace, TraceNode } from '@/lib/autodiff/trace';
import { graphSize } from '@/lib/graph/size';

/**
 * Pure helpers of the graph playground: compiling a learner's program without ever throwing,
 * pointing at the spot of an error, and carrying variable values across edits and the URL.
 */

export interface ProgramError {
  /** 1-based; 0 when the error is not tied to a place in the source. */
  line: number;
  column: number;
  /** The message without its position (AutodiffError.detail). */
  detail: string;
}

export type CompileOutcome = { ok: true; program: CompiledProgram } | { ok: false; error: ProgramError };

/** A value for a variable nobody has set yet: 1 keeps products and logs away from 0. */
export const NEW_VARIABLE_VALUE = 1;
/** Cap on a program typed into the playground (the engine's own limit is larger). */
export const MAX_SOURCE_LENGTH = 2000;

/**
 * A name used as a variable and later given a value (`a = b + 1; b = a * 2`). The language
 * reads it as two things, a free variable b and a new b, which is never what a learner meant:
 * statements run from top to bottom, so the first b has no value yet. Refused, with where.
 */
function usedBeforeAssigned(source: string): ProgramError | null {
  const parsed = parseProgram(source, { maxSourceLength: MAX_SOURCE_LENGTH, maxDepth: 200, maxNodes: 10_000 });
  const free = new Map(parsed.variables.map((variable) => [variable.name, parsed.instructions[variable.register]!]));
  for (const binding of parsed.bindings) {
    const use = free.get(binding.name);
    if (!use) continue;
    const own = use.line === binding.line && use.column > binding.column;
    const where = own ? 'on the right of its own definition' : `earlier (line ${use.line}, column ${use.column})`;
    return {
      line: binding.line,
      column: binding.column,
      detail:
        `'${binding.name}' is used ${where} before it gets a value here. Lines run from top to bottom, ` +
        `so give '${binding.name}' its value first, or use a new name for the result (for example '${binding.name}2').`,
    };
  }
  return null;
}

export function tryCompile(source: string): CompileOutcome {
  try {
    const program = compile(source, { maxSourceLength: MAX_SOURCE_LENGTH });
    const reuse = usedBeforeAssigned(source);
    if (reuse) return { ok: false, error: reuse };
    if (program.variables.length === 0) {
      return { ok: false, error: { line: 0, column: 0, detail: 'the program has no variables to vary' } };
    }
    return { ok: true, program };
  } catch (error) {
    if (error instanceof AutodiffError) {
      return { ok: false, error: { line: error.line, column: error.column, detail: error.detail } };
    }
    // Anything else is a bug in the engine; still never break the page over a typed program.
    return { ok: false, error: { line: 0, column: 0, detail: error instanceof Error ? error.message : String(error) } };
  }
}

/**
 * The source line an error points at and where its caret goes (0-based, clamped to the line
 * plus one column, so "end of input" points just past the last character).
 */
export function errorLocation(
  source: string,
  error: ProgramError,
): { lineText: string; caret: number; offset: number } | null {
  if (error.line < 1) return null;
  const lines = source.split('\n');
  const lineText = lines[error.line - 1];
  if (lineText === undefined) return null;
  const caret = Math.max(0, Math.min(error.column - 1, lineText.length));
  let offset = caret;
  for (let i = 0; i < error.line - 1; i++) offset += lines[i]!.length + 1;
  return { lineText, caret, offset };
}

/** Values for `variables`: kept from `previous`, else from `defaults`, else NEW_VARIABLE_VALUE. */
export function envFor(
  variables: readonly string[],
  previous: Readonly<Record<string, number>>,
  defaults: Readonly<Record<string, number>> = {},
): Record<string, number> {
  const env: Record<string, number> = {};
  for (const name of variables) {
    const own = (record: Readonly<Record<string, number>>) =>
      Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined;
    env[name] = own(previous) ?? own(defaults) ?? NEW_VARIABLE_VALUE;
  }
  return env;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,31}$/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** `w:0.8,b:-0.5`: compact and readable in a URL (commas are left unescaped). */
export function encodeVars(env: Readonly<Record<string, number>>): string {
  return Object.entries(env)
    .map(([name, value]) => `${name}:${String(value)}`)
    .join(',');
}

/** Parses `encodeVars` text; malformed pairs, odd names and non-finite numbers are dropped. */
export function decodeVars(text: string): Record<string, number> {
  const env: Record<string, number> = {};
  if (text === '') return env;
  for (const pair of text.split(',')) {
    const [name, raw, extra] = pair.split(':');
    if (name === undefined || raw === undefined || extra !== undefined) continue;
    if (!NAME.test(name) || name === '__proto__' || !NUMBER.test(raw)) continue;
    const value = Number(raw);
    if (Number.isFinite(value)) env[name] = value;
  }
  return env;
}

/** Slider bounds for a value: [-3, 3], widened to whole numbers around values outside it. */
export function sliderRange(value: number): { min: number; max: number } {
  return { min: Math.min(-3, Math.floor(value)), max: Math.max(3, Math.ceil(value)) };
}

/**
 * Largest graph the playground draws, in nodes plus the layout's hidden bend nodes
 * (lib/graph/size). Measured on a loaded 2-core machine: graphs near this size lay out in
 * 50-100 ms; twice this size took 170-320 ms, and the layout blocks the page while it runs.
 * The lesson's largest example (the residual chain) is 75.
 */
export const MAX_DRAWN_UNITS = 120;

/** Null when the trace can be drawn; otherwise the message the playground shows instead. */
export function tooLargeToDraw(trace: Trace): ProgramError | null {
  const size = graphSize(trace);
  if (size.units <= MAX_DRAWN_UNITS) return null;
  const longEdges =
    size.dummies > size.nodes
      ? ' Most of that is long arrows: one value feeds many operations far apart, as in x*x*x*….'
      : '';
  return {
    line: 0,
    column: 0,
    detail:
      `this program makes a graph too big to draw here (${size.nodes} nodes, about ${size.units} units of drawing; ` +
      `the limit is ${MAX_DRAWN_UNITS}).${longEdges} Try a shorter program: a few lines show the same ideas.`,
  };
}

/** What a learner reads for the output node: its name, or "output" for an unnamed last line. */
export function outputName(node: Pick<TraceNode, 'names'> | undefined, variables: readonly string[] = []): string {
  const named = node?.names[0];
  if (named !== undefined) return named;
  return variables.includes('output') ? 'result' : 'output';
}

export interface DomainIssue {
  /** The node whose value is undefined (or infinite) although its inputs are fine. */
  node: number;
  op: string;
  /** Plain words: which input is outside which domain. */
  message: string;
}

const DOMAIN_RULES: Readonly<Record<string, (inputs: readonly number[]) => string>> = {
  log: ([x]) => (x === 0 ? 'log(0) is minus infinity' : `log needs a positive input, and here it gets ${plain(x!)}`),
  sqrt: ([x]) => `sqrt needs an input of 0 or more, and here it gets ${plain(x!)}`,
  div: () => 'this divides by zero',
  pow: ([base, exponent]) =>
    `a negative number (${plain(base!)}) to a fractional power (${plain(exponent!)}) is not a real number`,
  bce: () => 'bce needs a prediction strictly between 0 and 1',
};

function plain(value: number): string {
  return String(Number(value.toPrecision(4))).replace('-', '\u2212');
}

/**
 * Nodes whose value stops being a real number (NaN or infinite) while their inputs are finite:
 * where a program leaves its functions' domains. Downstream nodes only inherit the problem,
 * so only its origins are listed.
 */
export function domainIssues(trace: Trace): DomainIssue[] {
  const byId = new Map(trace.nodes.map((node) => [node.id, node]));
  const inputs = new Map<number, number[]>();
  for (const edge of [...trace.edges].sort((a, b) => a.argIndex - b.argIndex)) {
    (inputs.get(edge.to) ?? inputs.set(edge.to, []).get(edge.to)!).push(byId.get(edge.from)?.value ?? Number.NaN);
  }
  const issues: DomainIssue[] = [];
  for (const node of trace.nodes) {
    if (node.kind !== 'op' || Number.isFinite(node.value)) continue;
    const args = inputs.get(node.id) ?? [];
    if (!args.every(Number.isFinite)) continue;
    const rule = DOMAIN_RULES[node.op];
    issues.push({
      node: node.id,
      op: node.op,
      message: rule ? rule(args) : `${node.op} gives no real number at this input`,
    });
  }
  return issues;
}

/**
 * Variables whose gradient means nothing here: those with a path into a node whose value or
 * local derivative is not a finite number. log(-1) has the finite slope 1/x = -1, so the engine
 * still multiplies a finite gradient through it; the gradient table must not present that as
 * the answer.
 */
export function untrustedGradients(trace: Trace): Set<string> {
  const bad = new Set<number>();
  for (const node of trace.nodes) if (node.kind === 'op' && !Number.isFinite(node.value)) bad.add(node.id);
  for (const edge of trace.edges) if (!Number.isFinite(edge.localDerivative)) bad.add(edge.to);
  if (bad.size === 0) return new Set();
  // Walk backwards from the bad nodes: every ancestor's gradient passes through one of them.
  const parents = new Map<number, number[]>();
  for (const edge of trace.edges) (parents.get(edge.to) ?? parents.set(edge.to, []).get(edge.to)!).push(edge.from);
  const seen = new Set<number>(bad);
  const stack = [...bad];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const parent of parents.get(id) ?? []) {
      if (!seen.has(parent)) {
        seen.add(parent);
        stack.push(parent);
      }
    }
  }
  const names = new Set<string>();
  for (const node of trace.nodes) if (node.kind === 'input' && seen.has(node.id)) names.add(node.label);
  return names;
}
