import 'server-only';

import {
  choiceAnswerKeySchema,
  type ChoiceAnswerKey,
  type MisconceptionId,
  type NumericSolution,
} from '@/lib/quiz/schema';

/** Answer keys and explanations. Never imported by client code; see questions.ts. */
export const knowledgeCheckKeys: readonly ChoiceAnswerKey[] = [
  {
    questionId: 'why-chain-rule',
    correctOptionId: 'indirect-dependence',
    explanations: {
      'indirect-dependence':
        'Right: an early weight never touches the loss directly. Its influence passes through every later step, and the chain rule multiplies those steps together.',
      'no-loss':
        'The chain rule needs a loss to differentiate; it tells you how the loss responds, it does not replace it.',
      linear:
        'Derivatives do not change what an activation computes. Sigmoid stays non-linear; the chain rule only measures its slope.',
    },
  },
  {
    questionId: 'graph-purpose',
    correctOptionId: 'trace-dependencies',
    explanations: {
      'trace-dependencies':
        'Right: the graph records which value was computed from which, and both the forward pass and the backward pass walk that structure.',
      'replace-matmul':
        'A graph can contain matrix multiplications; it describes the computation, it does not remove any of it.',
      'guarantee-convergence':
        'The graph only tells you how to get gradients. Whether training converges depends on the loss surface, step size and more.',
    },
  },
  {
    questionId: 'local-derivative-meaning',
    correctOptionId: 'node-vs-input',
    explanations: {
      'node-vs-input':
        'Right: each node only knows its own slope with respect to its direct inputs. Backpropagation multiplies these local pieces into the full gradient.',
      'validation-accuracy': 'Accuracy is a property of the trained model on data, not a derivative of one operation.',
      'global-summary':
        'A local derivative is deliberately small in scope: one node, one input. Global sensitivity comes from chaining many of them.',
    },
  },
].map((key) => choiceAnswerKeySchema.parse(key));

/** Worked solutions, filled with the learner's own numbers (values from lib/autodiff: x, w, b, y, p, z, a, L, eta, dw, dz, ...). */
export const graphPracticeSolutions: readonly NumericSolution[] = [
  {
    questionId: 'edge-sigmoid',
    explain: (v, f) =>
      `Forward: z = w·x + b = ${f(v.z!)}, a = σ(z) = ${f(v.a!)}. The sigmoid's local derivative is σ(z)(1 − σ(z)) = a(1 − a) = ${f(v.a!)} × ${f(1 - v.a!)} = ${f(v.a! * (1 - v.a!))}.`,
  },
  {
    questionId: 'chain-factors',
    explain: (v, f) =>
      `Forward: z = ${f(v.z!)}, a = ${f(v.a!)}. ∂L/∂a = −y/a + (1 − y)/(1 − a) = ${f(v.da!)}; ∂a/∂z = a(1 − a) = ${f(v.a! * (1 - v.a!))}; ∂z/∂w = x = ${f(v.x!)}. Their product is ∂L/∂w = ${f(v.dw!)}.`,
  },
  {
    questionId: 'gradient-dl-dw',
    explain: (v, f) =>
      `Forward: z = ${f(v.z!)}, a = ${f(v.a!)}. For a sigmoid with cross-entropy, ∂L/∂z = a − y = ${f(v.dz!)}; then ∂z/∂w = x, so ∂L/∂w = (a − y)·x = ${f(v.dw!)}.`,
  },
  {
    questionId: 'gradient-step',
    explain: (v, f) =>
      `∂L/∂w = (a − y)·x = ${f(v.dw!)}. Gradient descent moves against the gradient: w − η·∂L/∂w = ${f(v.w!)} − ${f(v.eta!)} × (${f(v.dw!)}) = ${f(v.newW!)}.`,
  },
  {
    questionId: 'reused-node',
    explain: (v, f) =>
      `p = ${f(v.p!)} and z = ${f(v.z!)}. p reaches L directly (local derivative z = ${f(v.z!)}) and through z (1 × ∂L/∂z = p = ${f(v.p!)}). Paths add: ∂L/∂p = z + p = ${f(v.dp!)}.`,
  },
];

/** Feedback aimed at each misconception the graders detect (Moodle/STACK-style). */
export const misconceptionFeedback: Readonly<Record<MisconceptionId, string>> = {
  'sigmoid-for-derivative':
    'It looks like you used σ(z) itself. The slope of the sigmoid is σ(z)(1 − σ(z)), that is a(1 − a), not a.',
  'sign-dL-da':
    'Check the sign of ∂L/∂a. With cross-entropy, ∂L/∂a = −y/a + (1 − y)/(1 − a): raising a lowers the loss when y = 1, so it is negative then.',
  'dL-dz-for-dL-da':
    'That is a − y, which is ∂L/∂z (the shortcut after the sigmoid). ∂L/∂a is the loss’s own slope: −y/a + (1 − y)/(1 − a).',
  'missing-x': 'The factor x is missing: z = w·x + b, so ∂z/∂w = x. Only the bias has a local derivative of exactly 1.',
  'w-for-x': 'That is ∂z/∂x, which is w. The derivative with respect to w is the other factor of the product: x.',
  'paths-multiplied':
    'You multiplied the two paths. Multiply local derivatives along a path, but add the results across paths that reach the same node.',
  'one-path-only': 'That is only one of the two paths from p to L. p feeds L directly and through z: add both paths.',
  'step-uphill': 'That step went uphill: you added the gradient. Gradient descent subtracts it: w − η·∂L/∂w.',
  'no-learning-rate': 'The learning rate is missing: the step is η·∂L/∂w, not the bare gradient.',
};
