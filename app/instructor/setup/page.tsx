import type { Metadata } from 'next';
import Link from 'next/link';

import { SetupForm } from '@/app/_components/instructor/AuthForms';
import styles from '@/app/_components/instructor/instructor.module.css';
import { instructorCount } from '@/lib/server/auth/accounts';
import { getDb } from '@/lib/server/db/client';

import { setupAction } from '../actions';

export const metadata: Metadata = { title: 'Set up the first instructor' };
export const dynamic = 'force-dynamic';

/** Public by design: it does nothing without a valid setup token, which completeSetup checks. */
export default async function SetupPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { token } = await searchParams;
  const done = (await instructorCount(await getDb())) > 0;
  return (
    <div className={styles.narrow}>
      <h1>Set up the first instructor</h1>
      {done ? (
        <p>
          An instructor account already exists. <Link href="/instructor/login">Sign in</Link>, or add instructors with{' '}
          <code>npm run instructor:create</code>.
        </p>
      ) : (
        <>
          <p className={styles.muted}>
            This page works once, with the setup token the server printed when it started. It expires after 24 hours;
            restarting the server prints a new one.
          </p>
          <SetupForm action={setupAction} token={typeof token === 'string' ? token.slice(0, 200) : ''} />
        </>
      )}
    </div>
  );
}
