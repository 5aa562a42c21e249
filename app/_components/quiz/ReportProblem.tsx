'use client';

import { useId, useRef, useState } from 'react';

import { ensureSession } from '@/app/_components/progress/session-client';

import styles from './report.module.css';

const MAX_CHARS = 1000;

/**
 * "Report a problem" on a question (issue 16 item 8). It sits inside the question's form, so it
 * is a group with a button rather than a nested form. The server stores the text with the
 * question, the variant and the learner's latest answer, graded or practice, whichever came last
 * unless `mode` says (lib/server/problem-reports.ts); the
 * instructors of the learner's classes see it on the class's "Reported problems" page.
 */
export function ReportProblem({ questionId, mode }: { questionId: string; mode?: 'graded' | 'practice' }) {
  const textId = useId();
  const groupId = useId();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const field = useRef<HTMLTextAreaElement>(null);

  async function send() {
    if (text.trim().length < 3) {
      setMessage({ text: 'Write a few words about the problem first.', error: true });
      field.current?.focus();
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      await ensureSession();
      const response = await fetch('/api/learner/reports', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ questionId, mode, text }),
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        const reason = body?.error?.message?.replace(/^Invalid request: [^:]+: /, '');
        setMessage({
          text: reason ?? `Not sent: something went wrong on our side (error ${response.status}).`,
          error: true,
        });
        return;
      }
      setText('');
      setOpen(false);
      setMessage({ text: 'Thank you. Your report is saved with this question and your answer.', error: false });
      toggle.current?.focus();
    } catch {
      setMessage({ text: 'Not sent: the server cannot be reached. Try again in a moment.', error: true });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className={styles.report} data-report={questionId}>
      <button
        ref={toggle}
        type="button"
        className={styles.toggle}
        aria-expanded={open}
        aria-controls={groupId}
        onClick={() => {
          setOpen(!open);
          setMessage(null);
        }}
      >
        Report a problem with this question
      </button>
      <div id={groupId} role="group" aria-label="Report a problem" hidden={!open} className={styles.panel}>
        <label htmlFor={textId}>What is wrong? (your answer is sent with it)</label>
        <textarea
          ref={field}
          id={textId}
          className={styles.text}
          rows={3}
          maxLength={MAX_CHARS}
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <div className={styles.actions}>
          <button type="button" className={styles.send} onClick={() => void send()} disabled={busy}>
            Send report
          </button>
          <button
            type="button"
            className={styles.cancel}
            onClick={() => {
              setOpen(false);
              toggle.current?.focus();
            }}
          >
            Cancel
          </button>
        </div>
      </div>
      <p role="status" className={message?.error ? styles.error : styles.note}>
        {message?.text ?? ''}
      </p>
    </div>
  );
}
