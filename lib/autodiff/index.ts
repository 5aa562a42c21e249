import { Tape, type Value } from './tape';

export { AutodiffError, type AutodiffErrorKind } from './errors';
export { OPS, BCE_EPSILON, type OpDefinition, type OpName } from './ops';
export { Tape, Value, backward, forwardGradients, type Gradients } from './tape';
export { trace, type Trace, type TraceNode, type TraceEdge } from './trace';
export {
  compile,
  evaluate,
  type CompiledProgram,
  type ProgramResult,
  type RunOptions,
  type DerivativeMode,
} from './program';
export { DEFAULT_LIMITS, type LanguageLimits } from './language';
export { gradCheck, type GradCheckRow } from './gradcheck';
export { EXAMPLE_PROGRAMS, LESSON_NEURON, LESSON_WORKED_EXAMPLE, type ExampleProgram } from './examples';

/**
 * The tape `variable()` records on when none is given. It is shared module state, so long-lived
 * callers (a server, a training loop) should own a `new Tape()` instead, or call
 * `defaultTape.reset()` between independent computations.
 */
export const defaultTape = new Tape();

export function variable(value: number, name?: string, tape: Tape = defaultTape): Value {
  return tape.variable(value, name);
}
