import {
  formulaPractice,
  graphPractice,
  knowledgeCheck,
  networkPractice,
} from '@/content/lessons/chain-rule-computational-graphs/questions';
import type { Loss } from '@/lib/quiz/schema';
import { FormulaQuestion } from '@/app/_components/quiz/FormulaQuestion';
import { ProgressPanel } from '@/app/_components/progress/ProgressPanel';
import { SectionViewTracker } from '@/app/_components/progress/SectionViewTracker';
import { ChoiceQuestion } from '@/app/_components/quiz/ChoiceQuestion';
import { inlineMathAsText, renderInlineMath } from '@/lib/server/math';
import { NumericQuestion } from '@/app/_components/quiz/NumericQuestion';
import styles from '@/app/_components/quiz/quiz.module.css';
import { QuizProvider } from '@/app/_components/quiz/QuizProvider';

const LESSON_SLUG = 'chain-rule-computational-graphs';

/** The loss line each question on the neuron shows next to its numbers (issue 16, item 2). */
const LOSS_TEX: Record<Loss, string> = {
  bce: 'Loss: binary cross-entropy, $L = -\\big(y \\log a + (1 - y) \\log(1 - a)\\big)$, with $a = \\sigma(z)$ and the label $y$ given below.',
  'squared-error': 'Loss: squared error, $L = (a - y)^2$, with $a = \\sigma(z)$ and the label $y$ given below.',
};

/**
 * Where a choice question's idea can be practised with new numbers: the first generated question
 * on the same skill. Choice questions have no practice rounds of their own (docs/decisions/013).
 */
function practiseWith(skill: string): { id: string; number: number } | null {
  const generated = [...graphPractice, ...formulaPractice, ...networkPractice];
  const index = generated.findIndex((question) => question.skill === skill);
  const question = generated[index];
  return question ? { id: questionAnchor(question.id), number: knowledgeCheck.length + index + 1 } : null;
}

/** A question's anchor: links, the table of contents and tests jump straight to it. */
export function questionAnchor(questionId: string): string {
  return `question-${questionId}`;
}

/**
 * The lesson's knowledge check, graded by the quiz service. The page stays static: this
 * renders prompts only (typeset at build time); each learner's option order, numbers,
 * attempts and mastery load after hydration, and keys never leave the server until the
 * question's policy allows. It also mounts the section tracker (resume and progress events).
 */
export function KnowledgeCheck() {
  return (
    <QuizProvider lessonSlug={LESSON_SLUG}>
      <section className="knowledge-check" aria-labelledby="knowledge-check-title" data-quiz="knowledge-check">
        <h3 className="kc-title" id="knowledge-check-title">
          Check your understanding
        </h3>
        <ol className="kc-questions">
          {knowledgeCheck.map((question, index) => (
            <li
              key={question.id}
              id={questionAnchor(question.id)}
              className={styles.question}
              data-question={question.id}
            >
              <ChoiceQuestion
                id={question.id}
                number={index + 1}
                promptHtml={renderInlineMath(question.prompt)}
                optionCount={question.options.length}
                practiseWith={practiseWith(question.skill)}
              />
            </li>
          ))}
        </ol>
      </section>
      <section className="knowledge-check" aria-labelledby="practice-title" data-quiz="practice">
        <h3 className="kc-title" id="practice-title">
          Practice on the graph
        </h3>
        <p className={styles.intro}>
          These use the lesson&apos;s neuron, and at the end a small network, with numbers picked for you. Work them out
          by hand or with a calculator; the server checks them with the same autodiff engine that drives the widgets.
        </p>
        <ol className="kc-questions">
          {graphPractice.map((question, index) => (
            <li
              key={question.id}
              id={questionAnchor(question.id)}
              className={styles.question}
              data-question={question.id}
            >
              <NumericQuestion
                id={question.id}
                number={knowledgeCheck.length + index + 1}
                promptHtml={renderInlineMath(question.prompt)}
                lossHtml={question.loss ? renderInlineMath(LOSS_TEX[question.loss]) : null}
                parts={question.parts.map((part) => ({
                  id: part.id,
                  labelHtml: renderInlineMath(part.label),
                  labelText: inlineMathAsText(part.label),
                }))}
              />
            </li>
          ))}
          {formulaPractice.map((question, index) => (
            <li
              key={question.id}
              id={questionAnchor(question.id)}
              className={styles.question}
              data-question={question.id}
            >
              <FormulaQuestion
                id={question.id}
                number={knowledgeCheck.length + graphPractice.length + index + 1}
                promptHtml={renderInlineMath(question.prompt)}
                lossHtml={renderInlineMath(LOSS_TEX[question.target.loss].replace(' given below', ''))}
              />
            </li>
          ))}
          {networkPractice.map((question, index) => (
            <li
              key={question.id}
              id={questionAnchor(question.id)}
              className={styles.question}
              data-question={question.id}
            >
              <NumericQuestion
                id={question.id}
                number={knowledgeCheck.length + graphPractice.length + formulaPractice.length + index + 1}
                promptHtml={renderInlineMath(question.prompt)}
                lossHtml={null}
                parts={question.parts.map((part) => ({
                  id: part.id,
                  labelHtml: renderInlineMath(part.label),
                  labelText: inlineMathAsText(part.label),
                }))}
              />
            </li>
          ))}
        </ol>
      </section>
      <ProgressPanel />
      <SectionViewTracker lessonSlug={LESSON_SLUG} />
    </QuizProvider>
  );
}
