import { retryDeliveriesAction, syncRosterAction } from '@/app/instructor/lms/actions';
import { withInstructor } from '@/lib/server/instructor/next';
import { lmsSection } from '@/lib/server/lti/instructor';

import { ago, when } from './format';
import styles from './instructor.module.css';
import { SyncRosterForm } from './LmsForms';

/**
 * The class dashboard's LMS section (issue 18): which LMS course the class stands for, the last
 * roster sync and grade delivery, deliveries still pending or failed (with the LMS's own error
 * text), and the "retry now" and "sync roster" actions. Nothing for classes made with a join code.
 * Course titles and names come from the LMS: React renders them as text.
 */
export async function LmsSyncSection({ cohortId, now }: { cohortId: string; now: number }) {
  const status = await withInstructor((db, headers) => lmsSection(db, headers, cohortId));
  if (!status) return null;
  const lastSent = status.lastSentAt?.getTime() ?? null;
  // Several LMS links may open the same lesson; name each activity once.
  const activities = [...new Set(status.links.map((link) => link.title ?? link.lessonSlug))];
  const lastRoster = status.lastRosterSyncAt?.getTime() ?? null;
  return (
    <section aria-labelledby="lms-heading" className={styles.card} style={{ margin: '1rem 0' }}>
      <h2 id="lms-heading" style={{ fontSize: '1.1rem', margin: '0 0 0.4rem' }}>
        LMS: {status.platformName}
      </h2>
      <p style={{ margin: '0 0 0.4rem' }}>
        Linked to the LMS course “{status.contextTitle}” ({status.issuer}).{' '}
        {activities.length > 0
          ? `Activities that send grades to its gradebook: ${activities.join(', ')}.`
          : 'No activity has been opened from it yet.'}
      </p>
      <p className={styles.muted} style={{ margin: '0 0 0.4rem' }}>
        Last grade sent:{' '}
        <time dateTime={lastSent === null ? undefined : new Date(lastSent).toISOString()} title={when(lastSent)}>
          {ago(lastSent, now)}
        </time>
        . Roster synced:{' '}
        <time dateTime={lastRoster === null ? undefined : new Date(lastRoster).toISOString()} title={when(lastRoster)}>
          {ago(lastRoster, now)}
        </time>
        . {status.pending} grade{status.pending === 1 ? '' : 's'} waiting to be sent.
      </p>
      {status.rosterError ? (
        <p className={styles.error} role="status">
          The last roster sync failed: {status.rosterError}
        </p>
      ) : null}
      {status.failed.length > 0 ? (
        <div className={styles.error}>
          <p style={{ margin: 0 }}>
            {status.failed.length} grade{status.failed.length === 1 ? '' : 's'} could not be sent. The LMS said:
          </p>
          <ul>
            {status.failed.map((failure, index) => (
              <li key={index}>
                {failure.learner ?? 'A learner'}: {failure.error ?? 'no reason given'}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className={styles.actions}>
        {status.pending > 0 || status.failed.length > 0 ? (
          <form action={retryDeliveriesAction}>
            <input type="hidden" name="cohortId" value={cohortId} />
            <button type="submit" className={styles.secondary}>
              Retry now
            </button>
          </form>
        ) : null}
        <SyncRosterForm action={syncRosterAction} cohortId={cohortId} />
      </div>
    </section>
  );
}
