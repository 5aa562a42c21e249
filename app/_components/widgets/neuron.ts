/**
 * The lesson neuron shared by the widgets: its two programs (one per loss), compiled once per
 * page on first use, and the ranges of its inputs. Client-safe (no layout library).
 */
import { LESSON_NEURON, LESSON_WORKED_EXAMPLE } from '@/lib/autodiff/examples';
import { compile, type CompiledProgram } from '@/lib/autodiff/program';
import { num, oneOf } from '@/lib/widgets/url-state';

export type Loss = 'sq' | 'bce';

export const LOSS_OPTIONS: readonly { value: Loss; label: string }[] = [
  { value: 'sq', label: 'squared error' },
  { value: 'bce', label: 'binary cross-entropy' },
];

const SOURCES: Record<Loss, string> = { sq: LESSON_NEURON.squaredError, bce: LESSON_NEURON.bce };
const compiled: Partial<Record<Loss, CompiledProgram>> = {};

export function neuronProgram(loss: Loss): CompiledProgram {
  return (compiled[loss] ??= compile(SOURCES[loss]));
}

/** URL fields for the neuron's inputs; defaults are the lesson's worked example. */
export const NEURON_FIELDS = {
  x: num(LESSON_WORKED_EXAMPLE.x, -3, 3),
  w: num(LESSON_WORKED_EXAMPLE.w, -3, 3),
  b: num(LESSON_WORKED_EXAMPLE.b, -3, 3),
  y: num(LESSON_WORKED_EXAMPLE.y, 0, 1),
  loss: oneOf(['sq', 'bce'] as const, 'bce'),
};

/** One input slider of the neuron: its URL field, its description and its range. */
export interface NeuronSlider<N extends string = NeuronInput> {
  name: N;
  description: string;
  min: number;
  max: number;
}

export type NeuronInput = 'x' | 'w' | 'b' | 'y';

export const NEURON_SLIDERS: readonly NeuronSlider[] = [
  { name: 'x', description: 'input', min: -3, max: 3 },
  { name: 'w', description: 'weight', min: -3, max: 3 },
  { name: 'b', description: 'bias', min: -3, max: 3 },
  { name: 'y', description: 'target', min: 0, max: 1 },
];
