import Link from 'next/link';

import styles from './instructor.module.css';

/** Breadcrumbs and the links between a class's views. */
export function ClassNav({
  cohort,
  current,
  extra,
}: {
  cohort: { id: string; name: string };
  current: 'overview' | 'questions' | 'learner' | 'reports' | 'settings' | 'audit';
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
          {current === 'settings' || current === 'audit' ? (
            <li>
              {current === 'settings' ? (
                <span aria-current="page">Class settings</span>
              ) : (
                <Link href={`${base}/manage`}>Class settings</Link>
              )}
            </li>
          ) : null}
          {current === 'audit' ? (
            <li>
              <span aria-current="page">Audit log</span>
            </li>
          ) : null}
        </ol>
      </nav>
      <p className={styles.muted}>
        {current === 'reports' ? null : (
          <>
            <Link href={`${base}/reports`}>Problems reported by learners</Link>
            {current === 'settings' ? null : ' · '}
          </>
        )}
        {current === 'settings' ? null : <Link href={`${base}/manage`}>Class settings</Link>}
      </p>
    </>
  );
}
