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
      'sum-of-examples':
        'Adding up examples needs only the sum rule: the gradient of a sum is the sum of gradients. The chain rule is about functions inside functions.',
      'local-is-global':
        "A local derivative only sees one operation. An early weight's effect on the loss is the product of every local derivative on the way.",
    },
    whyWrong: {
      'sum-of-examples':
        'Adding up examples needs only the sum rule: the gradient of a sum is the sum of the gradients. The chain rule is about functions inside functions, one feeding the next.',
      'local-is-global':
        "A local derivative only sees one operation, so it is not yet the weight's effect on the loss. Think about what happens between that operation and the loss.",
    },
    summary:
      'The chain rule is needed because a network is a composition: an early parameter changes the loss only through every computation that follows it, and the slopes of those steps multiply.',
  },
  {
    questionId: 'graph-purpose',
    correctOptionId: 'trace-dependencies',
    explanations: {
      'trace-dependencies':
        'Right: the graph records which value was computed from which, and both the forward pass and the backward pass walk that structure.',
      'nudge-each-weight':
        'Nudging each weight is the finite-difference check: one extra run per weight. The graph lets one backward pass give every gradient at once.',
      'layer-order':
        'The graph does not speed up the forward pass. It keeps the dependencies so the backward pass can use them.',
    },
    whyWrong: {
      'nudge-each-weight':
        'Nudging weights one at a time is the slow finite-difference check, one extra run per weight. The graph is what lets us avoid that.',
      'layer-order':
        'The forward pass is no faster for being drawn as a graph. Ask what the backward pass needs to know about the forward pass.',
    },
    summary:
      'A computational graph records how each value was computed from simpler ones, so a backward pass can follow those dependencies and multiply local derivatives step by step.',
  },
  {
    questionId: 'local-derivative-meaning',
    correctOptionId: 'node-vs-input',
    explanations: {
      'node-vs-input':
        'Right: each node only knows its own slope with respect to its direct inputs. Backpropagation multiplies these local pieces into the full gradient.',
      'loss-vs-weight':
        'That is the gradient ∂L/∂w, a global quantity. It is built from many local derivatives, not one of them.',
      'path-product':
        'A product along a whole path is what the chain rule builds out of local derivatives; a single local derivative is one factor of it.',
    },
    whyWrong: {
      'loss-vs-weight':
        'How the loss responds to a weight is a gradient, a global quantity that passes through many operations. A local derivative is smaller in scope.',
      'path-product':
        'A product along a whole path is what the chain rule builds. A local derivative is one factor of that product, not the product.',
    },
    summary:
      'A local derivative is about one operation only: how one node responds to one of its direct inputs. Gradients of the loss are products and sums of these.',
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
      `Forward: z = ${f(v.z!)}, a = ${f(v.a!)}. With squared error L = (a − y)², ∂L/∂a = 2(a − y) = ${f(v.da!)}; ∂a/∂z = a(1 − a) = ${f(v.a! * (1 - v.a!))}; ∂z/∂w = x = ${f(v.x!)}. Their product is ∂L/∂w = ${f(v.dw!)}.`,
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
  {
    // Formula question: `v` names the variant asked as '<wrt>:<loss>' (lib/quiz/views.ts).
    questionId: 'formula-dl-dw',
    explain: (v) => FORMULA_SOLUTIONS[Object.keys(v)[0] ?? 'w:bce'] ?? '',
  },
];

/**
 * One expression per (parameter, loss), in the playground's language as a learner would type it;
 * a unit test checks each is equivalent to lib/autodiff's gradient.
 */
export const FORMULA_REFERENCES: Readonly<Record<string, string>> = {
  'w:bce': '(sigmoid(w*x + b) - y) * x',
  'b:bce': 'sigmoid(w*x + b) - y',
  'x:bce': '(sigmoid(w*x + b) - y) * w',
  'w:squared-error': '2*(sigmoid(w*x + b) - y) * sigmoid(w*x + b)*(1 - sigmoid(w*x + b)) * x',
  'b:squared-error': '2*(sigmoid(w*x + b) - y) * sigmoid(w*x + b)*(1 - sigmoid(w*x + b))',
  'x:squared-error': '2*(sigmoid(w*x + b) - y) * sigmoid(w*x + b)*(1 - sigmoid(w*x + b)) * w',
};

const FORMULA_SOLUTIONS: Readonly<Record<string, string>> = {
  'w:bce':
    'One answer: (sigmoid(w*x + b) - y) * x. With cross-entropy the first two factors, ∂L/∂a · ∂a/∂z, simplify to a − y; the last, ∂z/∂w, is x.',
  'b:bce': 'One answer: sigmoid(w*x + b) - y. ∂L/∂a · ∂a/∂z simplifies to a − y with cross-entropy, and ∂z/∂b is 1.',
  'x:bce': 'One answer: (sigmoid(w*x + b) - y) * w. ∂L/∂a · ∂a/∂z is a − y with cross-entropy, and ∂z/∂x is w.',
  'w:squared-error':
    'One answer: 2*(a - y)*a*(1 - a)*x with a = sigmoid(w*x + b): ∂L/∂a = 2(a − y), ∂a/∂z = a(1 − a), ∂z/∂w = x.',
  'b:squared-error':
    'One answer: 2*(a - y)*a*(1 - a) with a = sigmoid(w*x + b): ∂L/∂a = 2(a − y), ∂a/∂z = a(1 − a), ∂z/∂b = 1.',
  'x:squared-error':
    'One answer: 2*(a - y)*a*(1 - a)*w with a = sigmoid(w*x + b): ∂L/∂a = 2(a − y), ∂a/∂z = a(1 − a), ∂z/∂x = w.',
};

/** Feedback aimed at each misconception the graders detect (Moodle/STACK-style). */
export const misconceptionFeedback: Readonly<Record<MisconceptionId, string>> = {
  'sigmoid-for-derivative':
    'It looks like you used σ(z) itself. The slope of the sigmoid is σ(z)(1 − σ(z)), that is a(1 − a), not a.',
  'sign-dL-da':
    'Check the sign of ∂L/∂a: it has the sign of a − y. Raising a raises the loss when y = 0 and lowers it when y = 1.',
  'dL-dz-for-dL-da':
    'That is a − y, which is ∂L/∂z (the shortcut after the sigmoid). ∂L/∂a is the loss’s own slope: −y/a + (1 − y)/(1 − a).',
  'missing-x': 'The factor x is missing: z = w·x + b, so ∂z/∂w = x. Only the bias has a local derivative of exactly 1.',
  'w-for-x': 'That is ∂z/∂x, which is w. The derivative with respect to w is the other factor of the product: x.',
  'paths-multiplied':
    'You multiplied the two paths. Multiply local derivatives along a path, but add the results across paths that reach the same node.',
  'one-path-only': 'That is only one of the two paths from p to L. p feeds L directly and through z: add both paths.',
  'step-uphill': 'That step went uphill: you added the gradient. Gradient descent subtracts it: w − η·∂L/∂w.',
  'no-learning-rate': 'The learning rate is missing: the step is η·∂L/∂w, not the bare gradient.',
  'wrong-loss': 'That answer fits the other loss. Check which loss the question uses, and differentiate that one.',
  'missing-sigmoid-slope': 'The sigmoid’s slope a(1 − a) is missing from the chain.',
  'missing-loss-slope': 'The loss’s own slope ∂L/∂a is missing from the chain.',
  'wrong-path': 'That is the product along another input’s path: follow the path from the parameter asked about.',
};

/** Worked solutions for the network questions (values from lib/quiz/network-targets.ts: z1, h1, z2, h2, s, p, ds, dw, dx, slope1, slope2, pathH1, pathH2). */
export const networkPracticeSolutions: readonly NumericSolution[] = [
  {
    questionId: 'network-first-layer',
    explain: (v, f) =>
      `Forward: z₁ = w·x + b = ${f(v.z1!)}, h₁ = ${f(v.h1!)}; h₂ = tanh(−0.5·x + 0.25) = ${f(v.h2!)}; s = 1.5·h₁ − h₂ = ${f(v.s!)}, p = σ(s) = ${f(v.p!)}. With cross-entropy after a sigmoid, ∂L/∂s = p − y = ${f(v.ds!)}. The tanh's slope is ∂h₁/∂z₁ = 1 − h₁² = ${f(v.slope1!)}. The one path w → z₁ → h₁ → s → L multiplies x · (1 − h₁²) · 1.5 · (p − y) = ${f(v.dw!)}.`,
  },
  {
    questionId: 'network-two-paths',
    explain: (v, f) =>
      `Forward: h₁ = ${f(v.h1!)}, h₂ = ${f(v.h2!)}, p = ${f(v.p!)}, so ∂L/∂s = p − y = ${f(v.ds!)}. Through h₁: w · (1 − h₁²) · 1.5 · (p − y) = ${f(v.pathH1!)}. Through h₂: (−0.5) · (1 − h₂²) · (−1) · (p − y) = ${f(v.pathH2!)}. The paths add: ∂L/∂x = ${f(v.dx!)}.`,
  },
];
