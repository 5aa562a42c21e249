import type { Metadata } from 'next';
import Link from 'next/link';

import { ClassNav } from '@/app/_components/instructor/ClassNav';
import { when } from '@/app/_components/instructor/format';
import styles from '@/app/_components/instructor/instructor.module.css';
import { withInstructor } from '@/lib/server/instructor/next';
import { inlineMathAsText } from '@/lib/server/math';
import { classProblemReports } from '@/lib/server/problem-reports';

export const metadata: Metadata = { title: 'Reported problems' };
export const dynamic = 'force-dynamic';

/** "Report a problem" messages from this class's learners, newest first (issue 16 item 8). */
export default async function ReportedProblemsPage({ params }: { params: Promise<{ cohortId: string }> }) {
  const { cohortId } = await params;
  const data = await withInstructor(
    (db, headers) => classProblemReports(db, headers, cohortId),
    `/instructor/classes/${cohortId}/reports`,
  );
  const base = `/instructor/classes/${data.cohort.id}`;
  return (
    <div className={styles.page}>
      <ClassNav cohort={data.cohort} current="reports" />
      <h1>Reported problems</h1>
      <p className={styles.muted}>
        What learners in this class wrote with &ldquo;Report a problem&rdquo; under a question, with the numbers they
        were given (the variant) and their answer at that moment.{' '}
        {data.total === 0
          ? 'Nobody has reported a problem yet.'
          : `${data.total} report${data.total === 1 ? '' : 's'}${data.total > data.rows.length ? `; the newest ${data.rows.length} are shown` : ''}.`}
      </p>
      {data.rows.length > 0 ? (
        <div className={styles.tableWrap} tabIndex={0} role="region" aria-label="Reported problems, scrolls sideways">
          <table className={styles.table}>
            <caption>One row per report, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Learner</th>
                <th scope="col">Question</th>
                <th scope="col">Variant</th>
                <th scope="col">Their answer</th>
                <th scope="col">What they wrote</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((row) => (
                <tr key={row.id} data-report-id={row.id}>
                  <td>
                    <time dateTime={row.createdAt.toISOString()}>{when(row.createdAt.getTime())}</time>
                  </td>
                  <td>
                    <Link href={`${base}/learners/${row.learnerId}`}>{row.learnerName}</Link>
                  </td>
                  <td>
                    {row.position !== null ? `Q${row.position + 1}. ` : ''}
                    {row.prompt ? inlineMathAsText(row.prompt).slice(0, 140) : row.questionId}
                    <span className={styles.muted}>
                      {' '}
                      (<code>{row.questionId}</code>)
                    </span>
                  </td>
                  <td>
                    {row.mode === 'practice' ? 'practice' : 'graded'}, variant {row.variant}
                  </td>
                  <td>{row.answer ?? <span className={styles.muted}>not answered yet</span>}</td>
                  <td style={{ whiteSpace: 'pre-wrap', minWidth: '16rem' }}>{row.text}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
