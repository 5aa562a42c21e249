import type { Metadata } from 'next';
import Link from 'next/link';

import { CreateClassForm } from '@/app/_components/instructor/AuthForms';
import styles from '@/app/_components/instructor/instructor.module.css';
import { listMyClasses } from '@/lib/server/instructor/classes';
import { withInstructor } from '@/lib/server/instructor/next';
import { requireInstructor } from '@/lib/server/instructor/access';

import { createClassAction, signOutAction } from './actions';

export const metadata: Metadata = { title: 'Your classes' };
export const dynamic = 'force-dynamic';

export default async function InstructorHome({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // Issue 19: archived classes are listed only on request.
  const archived = (await searchParams).archived === '1';
  const { instructor, classes } = await withInstructor(
    async (db, headers) => ({
      instructor: await requireInstructor(db, headers),
      classes: await listMyClasses(db, headers, { archived }),
    }),
    '/instructor',
  );
  return (
    <div className={styles.page}>
      <div className={styles.headerRow}>
        <h1>Your classes</h1>
        <form action={signOutAction}>
          <span className={styles.muted}>
            Signed in as <Link href="/instructor/account">{instructor.email}</Link>{' '}
          </span>
          <button type="submit" className={styles.secondary}>
            Sign out
          </button>
        </form>
      </div>
      <CreateClassForm action={createClassAction} />
      <p>
        <Link href="/instructor/lms">LMS connections</Link>: use these lessons from Moodle, Canvas or another LMS.
      </p>
      <p>
        {archived ? (
          <>
            Archived classes. <Link href="/instructor">Back to current classes</Link>
          </>
        ) : (
          <Link href="/instructor?archived=1">Archived classes</Link>
        )}
      </p>
      {classes.length === 0 ? (
        <p className={styles.muted}>
          {archived
            ? 'No archived classes.'
            : 'No classes yet. Create one, then give learners its join code: they enter it on any lesson page.'}
        </p>
      ) : (
        <ul className={styles.cards}>
          {classes.map((cohort) => (
            <li key={cohort.id} className={styles.card}>
              <h2 style={{ fontSize: '1.15rem', margin: '0 0 0.4rem' }}>
                <Link href={`/instructor/classes/${cohort.id}`}>{cohort.name}</Link>
              </h2>
              <p style={{ margin: 0 }}>
                Join code <span className={styles.code}>{cohort.joinCode}</span>
              </p>
              <p className={styles.muted} style={{ margin: '0.3rem 0 0' }}>
                {cohort.learners} learner{cohort.learners === 1 ? '' : 's'}
                {cohort.role === 'owner'
                  ? ''
                  : cohort.role === 'ta'
                    ? ' · shared with you (read-only)'
                    : ' · shared with you'}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
