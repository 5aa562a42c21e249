import { knowledgeCheck } from '@/content/lessons/chain-rule-computational-graphs/questions';

/**
 * Renders the knowledge check from the public question data only: prompts and options,
 * never the key. Grading happens on the server (quiz service).
 */
export function KnowledgeCheck() {
  return (
    <section className="knowledge-check" aria-labelledby="knowledge-check-title" data-quiz="knowledge-check">
      <p className="kc-title" id="knowledge-check-title">
        Check your understanding
      </p>
      <ol className="kc-questions">
        {knowledgeCheck.map((question, index) => (
          <li key={question.id} data-question={question.id}>
            <fieldset>
              <legend>
                <span className="kc-number">Question {index + 1}. </span>
                {question.prompt}
              </legend>
              {question.options.map((option) => (
                <label key={option.id} className="kc-option">
                  <input type="radio" name={question.id} value={option.id} />
                  <span>{option.text}</span>
                </label>
              ))}
            </fieldset>
          </li>
        ))}
      </ol>
    </section>
  );
}
