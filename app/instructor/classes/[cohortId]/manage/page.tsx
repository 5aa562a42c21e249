import type { Metadata } from 'next';
import Link from 'next/link';

import { ClassNav } from '@/app/_components/instructor/ClassNav';
import { when } from '@/app/_components/instructor/format';
import styles from '@/app/_components/instructor/instructor.module.css';
import { ManageForm } from '@/app/_components/instructor/ManageForm';
import { classStaff, learnersNotStarted } from '@/lib/server/instructor/manage';
import { withInstructor } from '@/lib/server/instructor/next';
import { ROLE_LABELS } from '@/lib/server/instructor/staff';

import { archiveClassAction, renameClassAction, shareClassAction, unshareClassAction } from './actions';

export const metadata: Metadata = { title: 'Class settings' };
export const dynamic = 'force-dynamic';

/** Class settings (issue 19): name, archive, sharing, learners who have not started, downloads and the audit log. */
export default async function ClassSettingsPage({ params }: { params: Promise<{ cohortId: string }> }) {
  const { cohortId } = await params;
  const { cohort, role, staff, notStarted } = await withInstructor(
    async (db, headers) => ({
      ...(await classStaff(db, headers, cohortId)),
      notStarted: await learnersNotStarted(db, headers, cohortId),
    }),
    `/instructor/classes/${cohortId}/manage`,
  );
  const base = `/instructor/classes/${cohort.id}`;
  const canChange = role !== 'ta';
  return (
    <div className={styles.page}>
      <ClassNav cohort={cohort} current="settings" />
      <h1>Class settings</h1>
      <p className={styles.muted}>
        Your role: {ROLE_LABELS[role]}.{cohort.archivedAt ? ` Archived ${when(cohort.archivedAt.getTime())}.` : ''}
      </p>

      <section className={styles.section} aria-labelledby="name-heading">
        <h2 id="name-heading">Name</h2>
        {canChange ? (
          <ManageForm id="rename" action={renameClassAction} label="Rename" pendingLabel="Renaming…">
            <input type="hidden" name="cohortId" value={cohort.id} />
            <div className={styles.field}>
              <label htmlFor="class-name">Class name</label>
              <input
                id="class-name"
                name="name"
                required
                maxLength={80}
                defaultValue={cohort.name}
                className={styles.input}
              />
            </div>
          </ManageForm>
        ) : (
          <p>{cohort.name}</p>
        )}
      </section>

      <section className={styles.section} aria-labelledby="not-started-heading">
        <h2 id="not-started-heading">Joined but not started</h2>
        {notStarted.length === 0 ? (
          <p className={styles.muted}>Everyone who joined has started.</p>
        ) : (
          <>
            <p className={styles.muted}>
              {notStarted.length} learner{notStarted.length === 1 ? ' has' : 's have'} joined but not read a section,
              used a widget or answered a question yet.
            </p>
            <ul>
              {notStarted.map((learner) => (
                <li key={learner.learnerId}>
                  <Link href={`${base}/learners/${learner.learnerId}`}>
                    <bdi>{learner.name}</bdi>
                  </Link>{' '}
                  <span className={styles.muted}>joined {when(learner.joinedAt.getTime())}</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section className={styles.section} aria-labelledby="downloads-heading">
        <h2 id="downloads-heading">Grades and records</h2>
        <p>
          <a href={`/api/instructor/classes/${cohort.id}/gradebook.csv`} download>
            Gradebook (CSV)
          </a>
          : one row per learner with score and completion. <Link href={`${base}/audit`}>Audit log</Link>: who changed
          what in this class.
        </p>
      </section>

      <section className={styles.section} aria-labelledby="sharing-heading">
        <h2 id="sharing-heading">Shared with</h2>
        <div className={styles.tableWrap} tabIndex={0} role="region" aria-label="Shared with, scrolls sideways">
          <table className={styles.table}>
            <caption className="visually-hidden">People who can see this class</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                {role === 'owner' ? <th scope="col">Change</th> : null}
              </tr>
            </thead>
            <tbody>
              {staff.map((person) => (
                <tr key={person.instructorId}>
                  <td>
                    <bdi>{person.name}</bdi>
                  </td>
                  <td>{person.email}</td>
                  <td>{ROLE_LABELS[person.role]}</td>
                  {role === 'owner' ? (
                    <td>
                      {person.creator ? (
                        <span className={styles.muted}>Created the class</span>
                      ) : (
                        <ManageForm
                          id={`unshare-${person.instructorId}`}
                          action={unshareClassAction}
                          label={`Remove ${person.name}`}
                          pendingLabel="Removing…"
                        >
                          <input type="hidden" name="cohortId" value={cohort.id} />
                          <input type="hidden" name="instructorId" value={person.instructorId} />
                        </ManageForm>
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {role === 'owner' ? (
          <ManageForm id="share" action={shareClassAction} label="Share" pendingLabel="Sharing…">
            <input type="hidden" name="cohortId" value={cohort.id} />
            <div className={styles.field}>
              <label htmlFor="share-email">Instructor&apos;s email</label>
              <input id="share-email" name="email" type="email" required className={styles.input} autoComplete="off" />
            </div>
            <div className={styles.field}>
              <label htmlFor="share-role">Role</label>
              <select id="share-role" name="role" className={styles.input} defaultValue="ta">
                <option value="instructor">{ROLE_LABELS.instructor}: can change the class and its learners</option>
                <option value="ta">{ROLE_LABELS.ta}</option>
              </select>
            </div>
          </ManageForm>
        ) : (
          <p className={styles.muted}>Only the class owner can share it.</p>
        )}
      </section>

      {role === 'owner' ? (
        <section className={styles.section} aria-labelledby="archive-heading">
          <h2 id="archive-heading">{cohort.archivedAt ? 'Reopen' : 'Archive'}</h2>
          <p className={styles.muted}>
            {cohort.archivedAt
              ? 'Reopening puts the class back on your list and lets learners join with its code again.'
              : 'Archiving hides the class from your list and stops new learners joining. Its data stays; you can reopen it.'}
          </p>
          <ManageForm
            id="archive"
            action={archiveClassAction}
            label={cohort.archivedAt ? 'Reopen the class' : 'Archive the class'}
            pendingLabel="Saving…"
          >
            <input type="hidden" name="cohortId" value={cohort.id} />
            <input type="hidden" name="archived" value={cohort.archivedAt ? 'false' : 'true'} />
          </ManageForm>
        </section>
      ) : null}
    </div>
  );
}
