'use client';

import { useRef, useState } from 'react';

import styles from './privacy.module.css';

/**
 * "Your data" at the end of a lesson (issue 19; docs/privacy.md): download everything stored
 * about this browser's learner as a JSON file, or delete it after a confirmation. Deleting ends
 * the session, so the page reloads as a fresh, empty start.
 */
export function YourData() {
  const dialog = useRef<HTMLDialogElement>(null);
  const [deleting, setDeleting] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [status, setStatus] = useState('');

  async function deleteEverything() {
    setDeleting(true);
    setProblem(null);
    try {
      const response = await fetch('/api/me/delete', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ confirm: 'DELETE' }),
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        throw new Error(body?.error?.message ?? `The server answered ${response.status}.`);
      }
      dialog.current?.close();
      setStatus('Your data is deleted. Starting afresh…');
      window.location.reload();
    } catch (error) {
      setProblem(
        `Nothing was deleted: ${error instanceof Error ? error.message : 'the server could not be reached'}. Please try again.`,
      );
      setDeleting(false);
    }
  }

  return (
    <section className={styles.panel} aria-labelledby="your-data-title">
      <h2 id="your-data-title" className={styles.title}>
        Your data
      </h2>
      <p className={styles.text}>
        Your answers, reading progress and classes are stored on this server under a random id kept in this browser, not
        under your name. You can take a copy or delete it all.
      </p>
      <div className={styles.row}>
        <a className={styles.secondary} href="/api/me/data" download>
          Download my data
        </a>
        <button
          type="button"
          className={styles.secondary}
          onClick={() => {
            setProblem(null);
            dialog.current?.showModal();
          }}
        >
          Delete my data…
        </button>
      </div>
      <p role="status" className={styles.status}>
        {status}
      </p>
      <dialog
        ref={dialog}
        className={styles.dialog}
        aria-labelledby="delete-data-title"
        aria-describedby="delete-data-text"
      >
        <h2 id="delete-data-title">Delete all your data?</h2>
        <p id="delete-data-text">
          This deletes your answers, progress, widget activity and class memberships from this server. It cannot be
          undone. Your teacher will see that a learner deleted their data, and you will start the lesson again from the
          beginning.
        </p>
        {problem ? (
          <p role="alert" className={styles.error}>
            {problem}
          </p>
        ) : null}
        <div className={styles.row}>
          <button type="button" className={styles.danger} disabled={deleting} onClick={() => void deleteEverything()}>
            {deleting ? 'Deleting…' : 'Delete everything'}
          </button>
          <button type="button" className={styles.secondary} autoFocus onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </dialog>
    </section>
  );
}
