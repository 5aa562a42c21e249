import {
  deleteLearnerAction,
  grantAttemptsAction,
  removeLearnerAction,
  resetAttemptsAction,
} from '@/app/instructor/classes/[cohortId]/learners/[learnerId]/actions';

import styles from './instructor.module.css';
import { ManageForm } from './ManageForm';

export interface LearnerAttemptRow {
  questionId: string;
  prompt: string;
  used: number;
  maxAttempts: number;
  extraAttempts: number;
}

/** Short prompt for a select option: plain words, cut at 70 characters. */
function shortPrompt(prompt: string): string {
  const plain = prompt.replace(/\$[^$]*\$/g, (math) => math.slice(1, -1)).replace(/[*_`]/g, '');
  return plain.length > 70 ? `${plain.slice(0, 69)}…` : plain;
}

/**
 * One learner's controls on their timeline page (issue 19): extra attempts or a reset on one
 * question, removal from the class, deletion of all their data. Instructors and co-instructors
 * only; a TA sees the attempts table without the forms.
 */
export function LearnerControls({
  cohortId,
  learnerId,
  learnerName,
  attempts,
  canChange,
}: {
  cohortId: string;
  learnerId: string;
  learnerName: string;
  attempts: LearnerAttemptRow[];
  canChange: boolean;
}) {
  const hidden = (
    <>
      <input type="hidden" name="cohortId" value={cohortId} />
      <input type="hidden" name="learnerId" value={learnerId} />
    </>
  );
  const questionSelect = (id: string) => (
    <div className={styles.field}>
      <label htmlFor={id}>Question</label>
      <select id={id} name="questionId" className={styles.input} required>
        {attempts.map((row) => (
          <option key={row.questionId} value={row.questionId}>
            {shortPrompt(row.prompt)} ({row.used} of {row.maxAttempts + row.extraAttempts} used)
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <section className={styles.section} aria-labelledby="learner-controls">
      <h2 id="learner-controls">Attempts and data</h2>
      <div className={styles.tableWrap} tabIndex={0} role="region" aria-label="Attempts per question, scrolls sideways">
        <table className={styles.table}>
          <caption className="visually-hidden">Attempts of {learnerName} per question</caption>
          <thead>
            <tr>
              <th scope="col">Question</th>
              <th scope="col" className={styles.num}>
                Used
              </th>
              <th scope="col" className={styles.num}>
                Allowed
              </th>
              <th scope="col" className={styles.num}>
                Extra
              </th>
            </tr>
          </thead>
          <tbody>
            {attempts.map((row) => (
              <tr key={row.questionId}>
                <td>{shortPrompt(row.prompt)}</td>
                <td className={styles.num}>{row.used}</td>
                <td className={styles.num}>{row.maxAttempts + row.extraAttempts}</td>
                <td className={styles.num}>{row.extraAttempts}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {canChange ? (
        <>
          <h3>Extra attempts</h3>
          <ManageForm id="grant" action={grantAttemptsAction} label="Give extra attempts" pendingLabel="Saving…">
            {hidden}
            {questionSelect('grant-question')}
            <div className={styles.field}>
              <label htmlFor="grant-count">How many more</label>
              <input
                id="grant-count"
                name="extraAttempts"
                type="number"
                min={1}
                max={20}
                defaultValue={1}
                required
                className={styles.input}
              />
            </div>
          </ManageForm>
          <h3>Reset a question</h3>
          <p className={styles.muted}>Deletes this learner&apos;s answers to the question, so they start it afresh.</p>
          <ManageForm id="reset" action={resetAttemptsAction} label="Reset attempts" pendingLabel="Resetting…">
            {hidden}
            {questionSelect('reset-question')}
          </ManageForm>
          <h3>Remove from the class</h3>
          <p className={styles.muted}>
            Takes the learner out of this class. Their answers and progress stay (they may be in other classes).
          </p>
          <ManageForm id="remove" action={removeLearnerAction} label="Remove from class" pendingLabel="Removing…">
            {hidden}
          </ManageForm>
          <h3>Delete all their data</h3>
          <p className={styles.muted}>
            Deletes the learner and everything they left: answers, progress, reports, class memberships and LMS links.
            This cannot be undone. Type DELETE to confirm.
          </p>
          <ManageForm id="delete" action={deleteLearnerAction} label="Delete data" pendingLabel="Deleting…" danger>
            {hidden}
            <div className={styles.field}>
              <label htmlFor="delete-confirm">Type DELETE</label>
              <input id="delete-confirm" name="confirm" required autoComplete="off" className={styles.input} />
            </div>
          </ManageForm>
        </>
      ) : (
        <p className={styles.muted}>Teaching assistants can see attempts but not change them.</p>
      )}
    </section>
  );
}
