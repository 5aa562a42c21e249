import type { Metadata } from 'next';
import Link from 'next/link';

import styles from '@/app/_components/instructor/instructor.module.css';
import { ManageForm } from '@/app/_components/instructor/ManageForm';
import { MIN_PASSWORD_LENGTH } from '@/lib/server/auth/auth';
import { requireInstructor } from '@/lib/server/instructor/access';
import { withInstructor } from '@/lib/server/instructor/next';

import { changePasswordAction } from './actions';

export const metadata: Metadata = { title: 'Your account' };
export const dynamic = 'force-dynamic';

export default async function AccountPage() {
  const instructor = await withInstructor((db, headers) => requireInstructor(db, headers), '/instructor/account');
  return (
    <div className={`${styles.page} ${styles.narrow}`}>
      <nav aria-label="Breadcrumb" className={styles.crumbs}>
        <ol>
          <li>
            <Link href="/instructor">Your classes</Link>
          </li>
          <li>
            <span aria-current="page">Your account</span>
          </li>
        </ol>
      </nav>
      <h1>Your account</h1>
      <p>
        <bdi>{instructor.name}</bdi> · {instructor.email}
      </p>
      <h2>Change your password</h2>
      <p className={styles.muted}>
        At least {MIN_PASSWORD_LENGTH} characters, and not a common password: a few unrelated words work well. Your
        other signed-in browsers are signed out; this one stays signed in. Forgot it? Whoever runs the server can set a
        new one with <code>npm run instructor:password</code>.
      </p>
      <ManageForm
        id="password"
        action={changePasswordAction}
        label="Change password"
        pendingLabel="Changing…"
        inline={false}
      >
        <input type="email" name="email" autoComplete="username" value={instructor.email} readOnly hidden />
        <div className={styles.field}>
          <label htmlFor="current-password">Current password</label>
          <input
            id="current-password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
            className={styles.input}
          />
        </div>
        <div className={styles.field}>
          <label htmlFor="new-password">New password</label>
          <input
            id="new-password"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            minLength={MIN_PASSWORD_LENGTH}
            required
            className={styles.input}
          />
        </div>
        <div className={styles.field}>
          <label htmlFor="repeat-password">New password again</label>
          <input
            id="repeat-password"
            name="repeatPassword"
            type="password"
            autoComplete="new-password"
            minLength={MIN_PASSWORD_LENGTH}
            required
            className={styles.input}
          />
        </div>
      </ManageForm>
    </div>
  );
}
