import type { Metadata } from 'next';

import { ClassNav } from '@/app/_components/instructor/ClassNav';
import { percent } from '@/app/_components/instructor/format';
import styles from '@/app/_components/instructor/instructor.module.css';
import { variantFacility, VARIANT_REPORT_MAX_ATTEMPTS } from '@/lib/server/instructor/analysis';
import { withInstructor } from '@/lib/server/instructor/next';
import { renderInlineMath } from '@/lib/server/math';

export const metadata: Metadata = { title: 'Which numbers make it hard' };
export const dynamic = 'force-dynamic';

/**
 * Facility per variant parameter (issue 16, item 5): for each generated question, the mean score
 * of the attempts whose numbers had a given feature (y = 0 or 1, the signs of x and w, a steep or
 * flat sigmoid, the learning rate), graded and practice attempts together.
 */
export default async function VariantFacilityPage({ params }: { params: Promise<{ cohortId: string }> }) {
  const { cohortId } = await params;
  const data = await withInstructor(
    (db, headers) => variantFacility(db, headers, cohortId),
    `/instructor/classes/${cohortId}/questions/variants`,
  );
  const empty = data.lessons.every((lesson) => lesson.questions.length === 0);
  return (
    <div className={styles.page}>
      <ClassNav cohort={data.cohort} current="questions" />
      <h1>Which numbers make it hard</h1>
      <p className={styles.muted}>
        Every learner gets their own numbers. For each question with numbers, the facility (mean score) of the attempts
        whose numbers had each feature: graded attempts and practice on new numbers together. A feature with a much
        lower facility than the others is where learners stumble (for example y = 0, where the sign of ∂L/∂a flips).{' '}
        <a href={`/instructor/classes/${data.cohort.id}/questions`}>Back to question analysis</a>
      </p>
      {data.truncated ? (
        <p className={styles.muted}>Based on the latest {VARIANT_REPORT_MAX_ATTEMPTS.toLocaleString('en')} attempts.</p>
      ) : null}
      {empty ? <p>No attempts at questions with numbers yet.</p> : null}
      {data.lessons.map((lesson) =>
        lesson.questions.length === 0 ? null : (
          <section key={lesson.lessonSlug} aria-labelledby={`variants-${lesson.lessonSlug}`}>
            <h2 id={`variants-${lesson.lessonSlug}`}>{lesson.lessonTitle}</h2>
            {lesson.questions.map((question) => (
              <section
                key={question.questionId}
                className={styles.question}
                aria-labelledby={`variants-q-${question.questionId}`}
                data-question-id={question.questionId}
              >
                <h3 id={`variants-q-${question.questionId}`}>
                  <span dangerouslySetInnerHTML={{ __html: renderInlineMath(question.prompt) }} />
                </h3>
                <p className={styles.muted}>
                  {question.attempts} attempt{question.attempts === 1 ? '' : 's'}, of which {question.practiceAttempts}{' '}
                  practice · id <code>{question.questionId}</code>
                </p>
                {/* Focusable: on a phone the table scrolls sideways and holds no link to reach it by. */}
                <div className={styles.tableWrap} tabIndex={0}>
                  <table className={styles.table}>
                    <caption>Facility by feature of the numbers, {question.questionId}</caption>
                    <thead>
                      <tr>
                        <th scope="col">Feature</th>
                        <th scope="col">Numbers</th>
                        <th scope="col" className={styles.num}>
                          Attempts
                        </th>
                        <th scope="col" className={styles.num}>
                          Facility
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {question.rows.map((row) => (
                        <tr key={`${row.parameter}:${row.value}`}>
                          <th scope="row">{row.parameter}</th>
                          <td>{row.value}</td>
                          <td className={styles.num}>{row.attempts}</td>
                          <td className={styles.num}>{percent(row.facility)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>
            ))}
          </section>
        ),
      )}
    </div>
  );
}
