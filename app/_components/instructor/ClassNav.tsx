import Link from 'next/link';

import styles from './instructor.module.css';

/** Breadcrumbs and the links between a class's views. */
export function ClassNav({
  cohort,
  current,
  extra,
}: {
  cohort: { id: string; name: string };
  current: 'overview' | 'questions' | 'learner' | 'reports';
  extra?: string;
}) {
  const base = `/instructor/classes/${cohort.id}`;
  return (
    <>
      <nav aria-label="Breadcrumb" className={styles.crumbs}>
        <ol>
          <li>
            <Link href="/instructor">Your classes</Link>
          </li>
          <li>
            {current === 'overview' ? (
              <span aria-current="page">{cohort.name}</span>
            ) : (
              <Link href={base}>{cohort.name}</Link>
            )}
          </li>
          {current === 'questions' ? (
            <li>
              <span aria-current="page">Question analysis</span>
            </li>
          ) : null}
          {current === 'learner' && extra ? (
            <li>
              <span aria-current="page">{extra}</span>
            </li>
          ) : null}
          {current === 'reports' ? (
            <li>
              <span aria-current="page">Reported problems</span>
            </li>
          ) : null}
        </ol>
      </nav>
      {current === 'reports' ? null : (
        <p className={styles.muted}>
          <Link href={`${base}/reports`}>Problems reported by learners</Link>
        </p>
      )}
    </>
  );
}
