import type { Metadata } from 'next';

import { ClassNav } from '@/app/_components/instructor/ClassNav';
import { when } from '@/app/_components/instructor/format';
import styles from '@/app/_components/instructor/instructor.module.css';
import { classAuditLog } from '@/lib/server/instructor/manage';
import { withInstructor } from '@/lib/server/instructor/next';

export const metadata: Metadata = { title: 'Audit log' };
export const dynamic = 'force-dynamic';

/** Details in words: learners by the start of their id (the log keeps no names), files, counts. */
function detailText(detail: Record<string, string | number | boolean | null>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(detail)) {
    if (value === null) continue;
    if (key === 'learnerId') parts.push(`learner ${String(value).slice(0, 8)}`);
    else parts.push(`${key}: ${String(value)}`);
  }
  return parts.join(', ');
}

export default async function AuditLogPage({ params }: { params: Promise<{ cohortId: string }> }) {
  const { cohortId } = await params;
  const { cohort, entries } = await withInstructor(
    (db, headers) => classAuditLog(db, headers, cohortId),
    `/instructor/classes/${cohortId}/audit`,
  );
  return (
    <div className={styles.page}>
      <ClassNav cohort={cohort} current="audit" />
      <h1>Audit log</h1>
      <p className={styles.muted}>
        What instructors did in this class, newest first (the latest 500). Learners appear by the start of their
        pseudonymous id only. Times are UTC.
      </p>
      {entries.length === 0 ? (
        <p>Nothing recorded yet.</p>
      ) : (
        <div className={styles.tableWrap} tabIndex={0} role="region" aria-label="Audit log, scrolls sideways">
          <table className={styles.table}>
            <caption className="visually-hidden">Audit log of {cohort.name}</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-action={entry.action}>
                  <td>
                    <time dateTime={entry.at.toISOString()}>{when(entry.at.getTime())}</time>
                  </td>
                  <td>
                    <bdi>{entry.actorName}</bdi>
                  </td>
                  <td>{entry.label}</td>
                  <td>{detailText(entry.detail)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
