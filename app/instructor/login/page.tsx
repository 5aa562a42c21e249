import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import { redirect } from 'next/navigation';

import { SignInForm } from '@/app/_components/instructor/AuthForms';
import styles from '@/app/_components/instructor/instructor.module.css';
import { currentInstructor, instructorCount } from '@/lib/server/auth/accounts';
import { getDb } from '@/lib/server/db/client';
import { safeReturnPath } from '@/lib/server/instructor/next';

import { signInAction } from '../actions';

export const metadata: Metadata = { title: 'Instructor sign-in' };
export const dynamic = 'force-dynamic';

export default async function InstructorLoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const next = safeReturnPath(params.next);
  const db = await getDb();
  // Public page: it only looks at the session to skip the form for someone already signed in.
  if (await currentInstructor(db, new Headers(await headers()))) redirect(next);
  const noInstructors = (await instructorCount(db)) === 0;
  return (
    <div className={styles.narrow}>
      <h1>Instructor sign-in</h1>
      {params.created ? (
        <p className={styles.notice} role="status">
          Your instructor account is ready. Sign in with it.
        </p>
      ) : null}
      {params.signedOut ? (
        <p className={styles.notice} role="status">
          You have signed out.
        </p>
      ) : null}
      {noInstructors ? (
        <p className={styles.notice}>
          No instructor account exists yet. <Link href="/instructor/setup">Create the first one</Link> with the setup
          token from the server log.
        </p>
      ) : null}
      <SignInForm action={signInAction} next={next} />
      <p className={styles.muted}>
        Learners do not need an account: they open a lesson and join a class with its code.
      </p>
    </div>
  );
}
