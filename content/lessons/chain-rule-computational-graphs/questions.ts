import {
  publicChoiceQuestionSchema,
  publicFormulaQuestionSchema,
  publicNumericQuestionSchema,
  type AttemptPolicy,
  type PublicChoiceQuestion,
  type PublicFormulaQuestion,
  type PublicNumericQuestion,
} from '@/lib/quiz/schema';

/**
 * The knowledge check as learners may see it: prompts, options and attempt policies. Keys,
 * explanations and worked solutions are in answers.server.ts, which only server code can import.
 * Option order here does not matter: every learner gets their own seeded order.
 */

const conceptPolicy: AttemptPolicy = { maxAttempts: 2, newVariantOnWrong: false, reveal: 'after-last-attempt' };

export const knowledgeCheck: readonly PublicChoiceQuestion[] = [
  {
    id: 'why-chain-rule',
    kind: 'single-choice',
    skill: 'chain-product',
    prompt: 'Why does training a neural network need the chain rule?',
    options: [
      {
        id: 'indirect-dependence',
        text: 'The loss depends on early parameters only through many intermediate computations.',
      },
      {
        id: 'sum-of-examples',
        text: 'The loss adds up many training examples, and the chain rule is how you differentiate a sum.',
      },
      {
        id: 'local-is-global',
        text: "Each weight's local derivative is already its effect on the loss; the chain rule only collects them into one vector.",
      },
    ],
    policy: conceptPolicy,
  },
  {
    id: 'graph-purpose',
    kind: 'single-choice',
    skill: 'concepts',
    prompt: 'What is a computational graph mainly for?',
    options: [
      {
        id: 'nudge-each-weight',
        text: 'Estimating each gradient by nudging one weight at a time and running the network again.',
      },
      {
        id: 'layer-order',
        text: 'Recording the order of the layers, so that the forward pass can run faster.',
      },
      {
        id: 'trace-dependencies',
        text: 'Showing how each value is built from simpler operations, so gradients can be traced step by step.',
      },
    ],
    policy: conceptPolicy,
  },
  {
    id: 'local-derivative-meaning',
    kind: 'single-choice',
    skill: 'local-derivative',
    prompt: 'In a computational graph, what does a local derivative describe?',
    options: [
      {
        id: 'loss-vs-weight',
        text: 'How the loss changes when one weight changes, with everything else held fixed.',
      },
      { id: 'node-vs-input', text: "How one node's output changes when one of its direct inputs changes." },
      {
        id: 'path-product',
        text: 'The product of the slopes on the path from a node all the way to the loss.',
      },
    ],
    policy: conceptPolicy,
  },
].map((question) => publicChoiceQuestionSchema.parse(question));

/**
 * "Practice on the graph": generated from the lesson's neuron p = w·x, z = p + b, a = σ(z),
 * L = bce(a, y). Each learner gets seeded numbers; lib/autodiff computes the expected answers.
 */
export const graphPractice: readonly PublicNumericQuestion[] = [
  {
    id: 'edge-sigmoid',
    kind: 'numeric',
    skill: 'local-derivative',
    prompt: 'Run the neuron forward with the numbers below. What is the local derivative on the edge $z \\to a$?',
    parts: [{ id: 'value', label: '$\\partial a / \\partial z$', target: 'neuron-local-z-a' }],
    loss: 'bce',
    policy: { maxAttempts: 3, newVariantOnWrong: false, reveal: 'after-last-attempt' },
  },
  {
    id: 'chain-factors',
    kind: 'multi-part',
    skill: 'chain-product',
    prompt:
      'This time the neuron is scored by squared error. Work out the three factors of $\\partial L / \\partial w$ separately for the numbers below. Each factor earns its own credit.',
    loss: 'squared-error',
    parts: [
      { id: 'dLda', label: '$\\partial L / \\partial a$', target: 'neuron-local-a-L', skill: 'local-derivative' },
      { id: 'dadz', label: '$\\partial a / \\partial z$', target: 'neuron-local-z-a', skill: 'local-derivative' },
      { id: 'dzdw', label: '$\\partial z / \\partial w$', target: 'neuron-path-w-z' },
    ],
    policy: { maxAttempts: 3, newVariantOnWrong: false, reveal: 'after-last-attempt' },
  },
  {
    id: 'gradient-dl-dw',
    kind: 'numeric',
    skill: 'chain-product',
    prompt: 'For the numbers below, what is $\\partial L / \\partial w$?',
    parts: [{ id: 'value', label: '$\\partial L / \\partial w$', target: 'neuron-dL-dw' }],
    loss: 'bce',
    policy: { maxAttempts: 3, newVariantOnWrong: false, reveal: 'after-last-attempt' },
  },
  {
    id: 'gradient-step',
    kind: 'numeric',
    skill: 'gradient-step',
    prompt:
      'Take one gradient-descent step on $w$ with learning rate $\\eta$: what is the new value of $w$? A wrong answer gets new numbers.',
    parts: [{ id: 'value', label: 'new $w$', target: 'neuron-step-w' }],
    loss: 'bce',
    policy: { maxAttempts: 3, newVariantOnWrong: true, reveal: 'after-last-attempt' },
  },
  {
    id: 'reused-node',
    kind: 'numeric',
    skill: 'sum-over-paths',
    prompt:
      'Now the product $p = w x$ is used twice: $z = p + b$ and $L = p \\cdot z$. For the numbers below, what is $\\partial L / \\partial p$?',
    parts: [{ id: 'value', label: '$\\partial L / \\partial p$', target: 'reused-dL-dp' }],
    policy: { maxAttempts: 3, newVariantOnWrong: false, reveal: 'after-last-attempt' },
  },
].map((question) => publicNumericQuestionSchema.parse(question));

/**
 * Formula answers: the learner types the derivative as an expression, graded by equivalence at
 * many points with lib/autodiff (lib/quiz/formula.ts). Practice rounds ask other parameters and losses.
 */
export const formulaPractice: readonly PublicFormulaQuestion[] = [
  {
    id: 'formula-dl-dw',
    kind: 'formula',
    skill: 'chain-product',
    prompt:
      'Write $\\partial L / \\partial w$ for the neuron as a formula in $x$, $w$, $b$ and $y$, as you would type it in the graph playground.',
    target: { wrt: 'w', loss: 'bce' },
    policy: { maxAttempts: 3, newVariantOnWrong: false, reveal: 'after-last-attempt' },
  },
].map((question) => publicFormulaQuestionSchema.parse(question));

/**
 * "Blame in a network" (issue 17): a small network, the widget's in miniature. The input x feeds
 * two tanh hidden units, h1 = tanh(w·x + b) with the learner's seeded w and b, and
 * h2 = tanh(−0.5·x + 0.25); the output is p = σ(1.5·h1 − h2) with cross-entropy. Expected answers
 * come from lib/autodiff (lib/quiz/network-targets.ts); each part earns its own credit.
 */
const NETWORK_SETUP =
  'A small network: the input $x$ feeds two hidden units, $h_1 = \\tanh(z_1)$ with $z_1 = w x + b$, and $h_2 = \\tanh(-0.5\\,x + 0.25)$. The output is $p = \\sigma(s)$ with $s = 1.5\\,h_1 - h_2$, and the loss is the cross-entropy $L = -[\\,y \\log p + (1 - y)\\log(1 - p)\\,]$.';

export const networkPractice: readonly PublicNumericQuestion[] = [
  {
    id: 'network-first-layer',
    kind: 'multi-part',
    skill: 'chain-product',
    prompt: `${NETWORK_SETUP} The first-layer weight $w$ reaches $L$ along one path, through $h_1$. For the numbers below, work out two of its factors and then $\\partial L / \\partial w$. Each part earns its own credit.`,
    parts: [
      { id: 'dLds', label: '$\\partial L / \\partial s$', target: 'network-dL-ds', skill: 'local-derivative' },
      { id: 'dh1dz1', label: '$\\partial h_1 / \\partial z_1$', target: 'network-dh1-dz1', skill: 'local-derivative' },
      { id: 'dLdw', label: '$\\partial L / \\partial w$', target: 'network-dL-dw' },
    ],
    policy: { maxAttempts: 3, newVariantOnWrong: false, reveal: 'after-last-attempt' },
  },
  {
    id: 'network-two-paths',
    kind: 'multi-part',
    skill: 'sum-over-paths',
    prompt: `${NETWORK_SETUP} The input $x$ reaches $L$ along two paths, one through each hidden unit. For the numbers below, give the product along each path, then $\\partial L / \\partial x$. Each part earns its own credit.`,
    parts: [
      { id: 'viaH1', label: 'path through $h_1$', target: 'network-path-x-h1', skill: 'chain-product' },
      { id: 'viaH2', label: 'path through $h_2$', target: 'network-path-x-h2', skill: 'chain-product' },
      { id: 'dLdx', label: '$\\partial L / \\partial x$', target: 'network-dL-dx' },
    ],
    policy: { maxAttempts: 3, newVariantOnWrong: false, reveal: 'after-last-attempt' },
  },
].map((question) => publicNumericQuestionSchema.parse(question));
