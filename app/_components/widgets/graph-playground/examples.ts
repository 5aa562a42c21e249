/**
 * The playground's examples: the engine's EXAMPLE_PROGRAMS, with the two lesson-neuron
 * examples starting at the lesson's worked point (w = 0.8, b = -0.5), so the drawn gradients
 * match the numbers in the text. Client-safe: no layout library here.
 */
import { EXAMPLE_PROGRAMS, LESSON_WORKED_EXAMPLE, type ExampleProgram } from '@/lib/autodiff/examples';
import type { LayoutOptions } from '@/lib/graph/layout';

export const LAYOUT_OPTIONS: LayoutOptions = { edgeLabels: true };

const LESSON_NEURONS = new Set(['neuron-squared-error', 'neuron-bce']);

export const EXAMPLES: readonly ExampleProgram[] = EXAMPLE_PROGRAMS.map((example) =>
  LESSON_NEURONS.has(example.id) ? { ...example, env: { ...example.env, ...LESSON_WORKED_EXAMPLE } } : example,
);

export const EXAMPLE_IDS = EXAMPLES.map((example) => example.id) as [string, ...string[]];
export const DEFAULT_EXAMPLE = 'neuron-bce';

export function exampleById(id: string): ExampleProgram {
  return EXAMPLES.find((example) => example.id === id) ?? EXAMPLES.find((example) => example.id === DEFAULT_EXAMPLE)!;
}
