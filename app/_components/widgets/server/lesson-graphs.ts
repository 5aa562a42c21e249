import 'server-only';

/**
 * Layouts of the lesson's fixed graphs, computed on the server (dagre stays out of the
 * browser bundle) once per process, and passed to client widgets as plain props.
 */
import { compile, type CompiledProgram } from '@/lib/autodiff/program';
import { EXAMPLE_PROGRAMS, LESSON_NEURON, LESSON_WORKED_EXAMPLE } from '@/lib/autodiff/examples';
import { layoutTrace, type LayoutOptions } from '@/lib/graph/layout';
import type { GraphLayout } from '@/lib/graph/types';

const cache = new Map<string, GraphLayout>();

export function layoutOf(source: string, env: Record<string, number>, options: LayoutOptions = {}): GraphLayout {
  const key = `${source}\u0000${JSON.stringify(options)}`;
  let layout = cache.get(key);
  if (!layout) {
    // Structure does not depend on the values, so any valid env gives the same layout.
    const program: CompiledProgram = compile(source);
    layout = layoutTrace(program.run(env).trace, options);
    cache.set(key, layout);
  }
  return layout;
}

export const REUSED_NODE = EXAMPLE_PROGRAMS.find((program) => program.id === 'reused-node')!;

export function neuronLayouts(options: LayoutOptions = {}): { sq: GraphLayout; bce: GraphLayout } {
  return {
    sq: layoutOf(LESSON_NEURON.squaredError, LESSON_WORKED_EXAMPLE, options),
    bce: layoutOf(LESSON_NEURON.bce, LESSON_WORKED_EXAMPLE, options),
  };
}
