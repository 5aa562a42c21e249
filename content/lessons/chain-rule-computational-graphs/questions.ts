import { publicChoiceQuestionSchema, type PublicChoiceQuestion } from '@/lib/quiz/schema';

/**
 * The knowledge check as learners see it. The key and explanations are in answers.server.ts,
 * which only server code can import.
 */
export const knowledgeCheck: readonly PublicChoiceQuestion[] = [
  {
    id: 'why-chain-rule',
    kind: 'single-choice',
    skill: 'concepts',
    prompt: 'Why does training a neural network need the chain rule?',
    options: [
      { id: 'indirect-dependence', text: 'The loss depends on early parameters only through many intermediate computations.' },
      { id: 'no-loss', text: 'It lets the network train without a loss function.' },
      { id: 'linear', text: 'It turns every activation into a linear function.' },
    ],
  },
  {
    id: 'graph-purpose',
    kind: 'single-choice',
    skill: 'concepts',
    prompt: 'What is a computational graph mainly for?',
    options: [
      { id: 'trace-dependencies', text: 'Showing how each value is built from simpler operations, so gradients can be traced step by step.' },
      { id: 'replace-matmul', text: 'Making matrix multiplication unnecessary.' },
      { id: 'guarantee-convergence', text: 'Guaranteeing that optimisation converges.' },
    ],
  },
  {
    id: 'local-derivative-meaning',
    kind: 'single-choice',
    skill: 'local-derivative',
    prompt: 'In a computational graph, what does a local derivative describe?',
    options: [
      { id: 'node-vs-input', text: "How one node's output changes when one of its direct inputs changes." },
      { id: 'validation-accuracy', text: "The model's final accuracy on the validation set." },
      { id: 'global-summary', text: 'A summary of the whole network, on its own.' },
    ],
  },
].map((question) => publicChoiceQuestionSchema.parse(question));
