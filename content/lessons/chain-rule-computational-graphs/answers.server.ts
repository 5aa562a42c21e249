import 'server-only';

import { choiceAnswerKeySchema, type ChoiceAnswerKey } from '@/lib/quiz/schema';

/** Answer keys and explanations. Never imported by client code; see questions.ts. */
export const knowledgeCheckKeys: readonly ChoiceAnswerKey[] = [
  {
    questionId: 'why-chain-rule',
    correctOptionId: 'indirect-dependence',
    explanations: {
      'indirect-dependence':
        'Right: an early weight never touches the loss directly. Its influence passes through every later step, and the chain rule multiplies those steps together.',
      'no-loss': 'The chain rule needs a loss to differentiate; it tells you how the loss responds, it does not replace it.',
      linear: 'Derivatives do not change what an activation computes. Sigmoid stays non-linear; the chain rule only measures its slope.',
    },
  },
  {
    questionId: 'graph-purpose',
    correctOptionId: 'trace-dependencies',
    explanations: {
      'trace-dependencies':
        'Right: the graph records which value was computed from which, and both the forward pass and the backward pass walk that structure.',
      'replace-matmul': 'A graph can contain matrix multiplications; it describes the computation, it does not remove any of it.',
      'guarantee-convergence': 'The graph only tells you how to get gradients. Whether training converges depends on the loss surface, step size and more.',
    },
  },
  {
    questionId: 'local-derivative-meaning',
    correctOptionId: 'node-vs-input',
    explanations: {
      'node-vs-input':
        'Right: each node only knows its own slope with respect to its direct inputs. Backpropagation multiplies these local pieces into the full gradient.',
      'validation-accuracy': 'Accuracy is a property of the trained model on data, not a derivative of one operation.',
      'global-summary': 'A local derivative is deliberately small in scope: one node, one input. Global sensitivity comes from chaining many of them.',
    },
  },
].map((key) => choiceAnswerKeySchema.parse(key));
