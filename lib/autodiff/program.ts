import { AutodiffError } from './errors';
import { DEFAULT_LIMITS, parseProgram, type LanguageLimits, type ParsedProgram } from './language';
import { Tape, setRecord } from './tape';
import { traceTape, type Trace } from './trace';

export type DerivativeMode = 'reverse' | 'forward';

export interface RunOptions {
  mode?: DerivativeMode;
}

export interface ProgramResult {
  /** Value of the last statement. */
  value: number;
  /** d(value)/d(variable) for every free variable, plus 0 for env entries the program ignores. */
  gradients: Record<string, number>;
  trace: Trace;
  /**
   * Sweeps over the graph that produced `gradients`: 1 in reverse mode, one tangent pass per
   * free variable in forward mode.
   */
  passes: number;
  /**
   * Every variable and bound name -> value. A re-bound name reports its last binding (also
   * when it shadows a variable; `gradients` still refers to the variable).
   */
  values: Record<string, number>;
  /**
   * d(value)/d(node) for the node each name in `values` refers to. These are adjoints, which
   * only a reverse sweep yields; forward mode computes them (and trace grads) with one extra
   * reverse sweep that is not counted in `passes` and does not feed `gradients`.
   */
  nodeGradients: Record<string, number>;
}

export interface CompiledProgram {
  readonly source: string;
  /** Free variables in order of first appearance. */
  readonly variables: readonly string[];
  /** Names bound by statements, in order of their first binding. */
  readonly bindings: readonly string[];
  run(env: Record<string, number>, options?: RunOptions): ProgramResult;
}

class Program implements CompiledProgram {
  readonly variables: readonly string[];
  readonly bindings: readonly string[];
  /** Reused by every run so re-running on each slider input allocates no tape buffers. */
  private readonly tape: Tape;
  /**
   * Set once the first run has recorded the whole program. Later runs replay that graph with
   * the new inputs (Tape.replay) instead of recording it again: the structure of a program
   * never depends on its inputs, and ops that branch (max, min, relu, abs) recompute their
   * branch and partials from the new values.
   */
  private recorded = false;

  constructor(
    readonly source: string,
    private readonly parsed: ParsedProgram,
  ) {
    this.variables = parsed.variables.map((variable) => variable.name);
    this.bindings = [...new Set(parsed.bindings.map((binding) => binding.name))];
    this.tape = new Tape(parsed.instructions.length);
  }

  run(env: Record<string, number>, options?: RunOptions): ProgramResult {
    const mode = options?.mode ?? 'reverse';
    if (mode !== 'reverse' && mode !== 'forward') {
      throw new AutodiffError('invalid-option', `unknown mode '${String(mode)}'; use 'reverse' or 'forward'`);
    }
    const tape = this.tape;
    const { instructions, variables, bindings, output } = this.parsed;
    if (this.recorded) {
      // Same program, so same graph: set the inputs (instruction i is node i) and replay the
      // recorded ops instead of recording them again. Errors and their order are those of a
      // recording run, since variables are read in the same order.
      for (let i = 0; i < instructions.length; i++) {
        const instruction = instructions[i]!;
        if (instruction.kind === 'input') tape.setLeafValue(i, readVariable(env, instruction.name, instruction));
      }
      tape.replay();
    } else {
      tape.reset();
      for (const instruction of instructions) {
        switch (instruction.kind) {
          case 'input':
            tape.pushInput(readVariable(env, instruction.name, instruction), instruction.name);
            break;
          case 'constant':
            tape.pushConstant(instruction.value);
            break;
          case 'op':
            if (instruction.args.length === 1) tape.pushUnary(instruction.definition, instruction.args[0]!);
            else tape.pushBinary(instruction.definition, instruction.args[0]!, instruction.args[1]!);
            break;
        }
      }
      for (const binding of bindings) tape.nameNode(binding.register, binding.name);
      this.recorded = true;
    }

    const version = tape.reverseSweep(output);
    const adjointOf = (index: number): number => tape.adjointAt(index, version);

    const gradients: Record<string, number> = {};
    for (const variable of variables) {
      const derivative =
        mode === 'reverse' ? adjointOf(variable.register) : tape.tangentPass(variable.register, output);
      setRecord(gradients, variable.name, derivative);
    }
    for (const name of Object.keys(env)) {
      if (!Object.prototype.hasOwnProperty.call(gradients, name)) setRecord(gradients, name, 0);
    }

    const values: Record<string, number> = {};
    const nodeGradients: Record<string, number> = {};
    const finalRegister = new Map<string, number>();
    for (const variable of variables) finalRegister.set(variable.name, variable.register);
    for (const binding of bindings) finalRegister.set(binding.name, binding.register);
    for (const [name, register] of finalRegister) {
      setRecord(values, name, tape.valueAt(register));
      setRecord(nodeGradients, name, adjointOf(register));
    }

    return {
      value: tape.valueAt(output),
      gradients,
      trace: traceTape(tape, output, adjointOf),
      passes: mode === 'reverse' ? 1 : variables.length,
      values,
      nodeGradients,
    };
  }
}

function readVariable(env: Record<string, number>, name: string, firstUse: { line: number; column: number }): number {
  // hasOwnProperty, not `in`: a variable named `constructor` must not read Object.prototype.
  if (env === null || typeof env !== 'object' || !Object.prototype.hasOwnProperty.call(env, name)) {
    throw new AutodiffError('missing-variable', `no value for variable '${name}'`, firstUse.line, firstUse.column);
  }
  const value: unknown = env[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new AutodiffError(
      'invalid-variable',
      `variable '${name}' must be a finite number, got ${typeof value === 'number' ? String(value) : typeof value}`,
      firstUse.line,
      firstUse.column,
    );
  }
  return value;
}

/** Parses once; the result can run many times with different inputs. */
export function compile(source: string, limits?: Partial<LanguageLimits>): CompiledProgram {
  const effectiveLimits = { ...DEFAULT_LIMITS, ...limits };
  return new Program(source, parseProgram(source, effectiveLimits));
}

export function evaluate(
  source: string,
  env: Record<string, number>,
  options?: RunOptions,
): { value: number; gradients: Record<string, number> } {
  const { value, gradients } = compile(source).run(env, options);
  return { value, gradients };
}
