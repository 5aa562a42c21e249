// Deep imports, not '@/lib/autodiff': this module reaches the browser, and the index also pulls
// in the gradient checker and creates a default tape.
import { AutodiffError } from '@/lib/autodiff/errors';
import { compile, type CompiledProgram } from '@/lib/autodiff/program';

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

export function tryCompile(source: string): CompileOutcome {
  try {
    const program = compile(source, { maxSourceLength: MAX_SOURCE_LENGTH });
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
