import { formatNumber as f } from './format';
import { isNetworkTarget, networkHint } from './network-targets';
import type { FormulaWrt, Loss, MisconceptionId, NumericTarget } from './schema';

/**
 * Hints after a wrong answer (issue 16, items 3 and 4), built from the learner's own numbers and
 * the mistake their answer matches (lib/quiz/targets.ts and formula.ts decide which, within the
 * tolerance; this module only words it). Every statement is made true for the case at hand: a
 * sign hint reads the label y and the loss of *this* variant, never assumes y = 1. A hint never
 * states the expected answer itself, so it costs nothing when the policy allows another try.
 */

export interface HintContext {
  /** What was asked: a numeric target, or a formula derivative. */
  target: NumericTarget | { formula: FormulaWrt };
  loss: Loss | undefined;
  /** The variant's values from lib/autodiff: x, w, b, y, eta, p, z, a, L and adjoints dz, da, dw, ... */
  values: Readonly<Record<string, number>>;
  /** The learner's own number (numeric parts); null for formulas. */
  answer: number | null;
}

export const LOSS_FORMULAS: Record<Loss, { name: string; formula: string; dLda: string }> = {
  bce: {
    name: 'binary cross-entropy',
    formula: 'L = −[y·log a + (1 − y)·log(1 − a)]',
    dLda: '∂L/∂a = −y/a + (1 − y)/(1 − a)',
  },
  'squared-error': { name: 'squared error', formula: 'L = (a − y)²', dLda: '∂L/∂a = 2(a − y)' },
};

function v(values: HintContext['values'], name: string): number {
  return values[name] ?? Number.NaN;
}

/** Why ∂L/∂a has the sign it has, for this loss and this label. True for y = 0 and y = 1 alike. */
export function signReason(loss: Loss, values: HintContext['values']): string {
  const a = v(values, 'a');
  const y = v(values, 'y');
  if (loss === 'bce') {
    return y === 1
      ? `With y = 1 the loss is −log a, so ∂L/∂a = −1/a is negative: raising a lowers the loss.`
      : y === 0
        ? `With y = 0 the loss is −log(1 − a), so ∂L/∂a = 1/(1 − a) is positive: raising a raises the loss.`
        : `${LOSS_FORMULAS.bce.dLda}; with a = ${f(a)} and y = ${f(y)} it is ${a > y ? 'positive' : 'negative'}.`;
  }
  return `∂L/∂a = 2(a − y), and here a = ${f(a)} is ${a > y ? 'above' : 'below'} the label y = ${f(y)}, so it is ${
    a > y ? 'positive: raising a raises the loss' : 'negative: raising a lowers the loss'
  }.`;
}

function wrtOf(target: HintContext['target']): FormulaWrt {
  return typeof target === 'object' ? target.formula : 'w';
}

/** The last factor of the chain, ∂z/∂(parameter), in words: x for w, w for x. */
function lastFactor(wrt: FormulaWrt, values: HintContext['values']): string {
  return wrt === 'w' ? `∂z/∂w = x = ${f(v(values, 'x'))}` : `∂z/∂x = w = ${f(v(values, 'w'))}`;
}

const LOSS_OTHER: Record<Loss, Loss> = { bce: 'squared-error', 'squared-error': 'bce' };

/** The hint for a recognised mistake, in the learner's numbers. */
export function misconceptionHint(id: MisconceptionId, context: HintContext): string {
  const { target, values } = context;
  if (typeof target === 'string' && isNetworkTarget(target)) return networkHint(id, target, values, context.answer);
  const loss = context.loss ?? 'bce';
  const formula = typeof target === 'object';
  const wrt = wrtOf(target);
  const typed = context.answer === null ? 'Your answer' : `Your ${f(context.answer)}`;
  const a = f(v(values, 'a'));
  switch (id) {
    case 'sigmoid-for-derivative':
      return target === 'neuron-local-z-a'
        ? `${typed} is σ(z) = a itself. The edge z → a carries the sigmoid's slope, σ′(z) = a(1 − a); with your numbers a = ${a}.`
        : `${typed} uses σ(z) where its slope belongs: the factor ∂a/∂z is σ′(z) = a(1 − a), not a${formula ? '' : ` = ${a}`}.`;
    case 'sign-dL-da':
      return target === 'neuron-local-a-L'
        ? `Check the sign. ${signReason(loss, values)}`
        : `${typed} has the right size but the wrong sign. ${formula ? 'With either label, ' : ''}∂L/∂z has the sign of a − y${
            formula ? '' : ` (here a = ${a}, y = ${f(v(values, 'y'))})`
          }: ${signReason(loss, values)}`;
    case 'dL-dz-for-dL-da':
      return `${typed} is ∂L/∂z, the slope after the sigmoid. ∂L/∂a is the loss's own slope, before the sigmoid: ${LOSS_FORMULAS[loss].dLda}.`;
    case 'missing-x':
      if (target === 'neuron-path-w-z') {
        return `The path w → p → z has two local derivatives: ∂p/∂w = x = ${f(v(values, 'x'))} and ∂z/∂p = 1. ${typed} leaves out the factor x.`;
      }
      return formula
        ? `A chain factor is missing: the last one, ${wrt === 'w' ? '∂z/∂w = x' : '∂z/∂x = w'}.`
        : `${typed} leaves out the last factor of the chain: ${lastFactor(wrt, values)}.`;
    case 'w-for-x':
      return `${typed} is ∂z/∂x = w. Along w → p the local derivative of p = w·x is the other factor, x = ${f(v(values, 'x'))}.`;
    case 'missing-sigmoid-slope':
      return `${typed} leaves out the sigmoid's slope: ∂L/∂${wrt} = ∂L/∂a · a(1 − a) · ∂z/∂${wrt}${formula ? '' : `, with a = ${a}`}.`;
    case 'missing-loss-slope':
      return `${typed} leaves out the loss's own slope: with ${LOSS_FORMULAS[loss].name}, ${LOSS_FORMULAS[loss].dLda}.`;
    case 'wrong-path':
      return wrt === 'w'
        ? `${typed} is ∂L/∂x: that path ends with ∂p/∂x = w. The path from w ends with ∂p/∂w = x${formula ? '' : ` = ${f(v(values, 'x'))}`}.`
        : `${typed} is ∂L/∂w: that path ends with ∂p/∂w = x. The path from x ends with ∂p/∂x = w.`;
    case 'wrong-loss':
      return `${typed} fits ${LOSS_FORMULAS[LOSS_OTHER[loss]].name}. This question uses ${LOSS_FORMULAS[loss].name}: ${LOSS_FORMULAS[loss].formula}, so ${LOSS_FORMULAS[loss].dLda}.`;
    case 'paths-multiplied':
      return `You multiplied the two paths' products. Multiply along one path, but add across paths: p = ${f(v(values, 'p'))} reaches L directly and through z = ${f(v(values, 'z'))}.`;
    case 'one-path-only':
      return `${typed} counts only one of the two paths from p to L. p feeds L directly (L = p·z) and through z = p + b: add both paths' products.`;
    case 'step-uphill':
      return `That step went uphill: you added η·∂L/∂w. Gradient descent subtracts it: w − η·∂L/∂w, with w = ${f(v(values, 'w'))} and η = ${f(v(values, 'eta'))}.`;
    case 'no-learning-rate':
      return `The learning rate is missing: the step is η·∂L/∂w with η = ${f(v(values, 'eta'))}, not the bare gradient.`;
  }
}

/** When the answer matches no modelled mistake: the next step to check, in the learner's numbers. */
export function nextStepHint(context: HintContext): string {
  const { target, values } = context;
  if (typeof target === 'string' && isNetworkTarget(target)) return networkHint(null, target, values, context.answer);
  const loss = context.loss ?? 'bce';
  const forward = `z = w·x + b = ${f(v(values, 'z'))}, a = σ(z) = ${f(v(values, 'a'))}`;
  const lossLine = `${LOSS_FORMULAS[loss].name}, ${LOSS_FORMULAS[loss].formula}`;
  const not = context.answer === null ? 'Not yet.' : `${f(context.answer)} is not within tolerance.`;
  if (typeof target === 'object') {
    const wrt = target.formula;
    return `Not equal to ∂L/∂${wrt} for all x, w, b and y. Build it as a product of local derivatives: ∂L/∂a · ∂a/∂z · ∂z/∂${wrt}, with ${lossLine}.`;
  }
  switch (target) {
    case 'neuron-local-z-a':
      return `${not} Start with the forward pass: z = w·x + b = ${f(v(values, 'z'))}. Then take the sigmoid's slope at that z: σ′(z) = σ(z)(1 − σ(z)).`;
    case 'neuron-local-a-L':
      return `${not} Forward first: ${forward}. Then differentiate the loss, ${lossLine}, with respect to a only.`;
    case 'neuron-path-w-z':
      return `${not} Follow w → p → z and multiply the two local derivatives: p = w·x, then z = p + b.`;
    case 'neuron-dL-dw':
      return `${not} Forward first: ${forward}. Then multiply ∂L/∂a · ∂a/∂z · ∂z/∂w, with ${lossLine}.`;
    case 'neuron-step-w':
      return `${not} First ∂L/∂w (forward: ${forward}), then w − η·∂L/∂w with η = ${f(v(values, 'eta'))}.`;
    case 'reused-dL-dp':
      return `${not} Forward: p = ${f(v(values, 'p'))}, z = ${f(v(values, 'z'))}. p reaches L along two paths: multiply the local derivatives along each, then add.`;
  }
}

/** The hint for a wrong answer: the matched mistake's, or the next step to check. */
export function hintFor(misconception: MisconceptionId | null, context: HintContext): string {
  return misconception ? misconceptionHint(misconception, context) : nextStepHint(context);
}
