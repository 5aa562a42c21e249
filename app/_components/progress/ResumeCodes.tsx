'use client';

import { useEffect, useId, useState, type FormEvent } from 'react';

import { ensureSession } from './session-client';
import styles from './progress.module.css';

/**
 * Carry progress to another device (docs/decisions/014): this device asks for a short code (and a
 * link holding it after `#`, which browsers never send to a server), the other device types the
 * code or opens the link. Opening a link always asks first, so nobody can switch a learner's
 * browser to someone else's progress by sending them a link.
 */

interface IssuedCode {
  code: string;
  link: string;
  expiresAt: Date;
}

const LINK_KEY = 'resume=';

async function post(url: string, body?: unknown): Promise<{ ok: boolean; status: number; json: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  return { ok: response.ok, status: response.status, json: (await response.json().catch(() => null)) as unknown };
}

function errorText(status: number, json: unknown): string {
  const message = (json as { error?: { message?: string } } | null)?.error?.message;
  if (status === 429) return message ?? 'Too many tries in a short time. Wait a few minutes and try again.';
  if (status === 400) return 'A resume code is 10 letters and digits, like ABCDE-23456 (no 0, 1, I, L or O).';
  return message ?? `Something went wrong on our side (error ${status}). Try again in a moment.`;
}

/** Sends the code; on success the page reloads as the other device's learner. */
async function redeem(code: string): Promise<string | null> {
  try {
    const { ok, status, json } = await post('/api/session/resume', { code });
    if (!ok) return errorText(status, json);
  } catch {
    return 'The server cannot be reached. Try again in a moment.';
  }
  // Everything on the page (answers, mastery, resume point) belongs to the other learner now.
  window.location.replace(window.location.pathname);
  return null;
}

function timeText(date: Date): string {
  return date.toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });
}

export function ResumeCodes() {
  const headingId = useId();
  const codeInputId = useId();
  const [issued, setIssued] = useState<IssuedCode | null>(null);
  const [typed, setTyped] = useState('');
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);

  async function issue() {
    setBusy(true);
    setMessage(null);
    try {
      await ensureSession();
      const { ok, status, json } = await post('/api/learner/resume-code');
      if (!ok) {
        setMessage({ text: errorText(status, json), error: true });
        return;
      }
      const body = json as { code: string; expiresAt: string };
      const link = `${window.location.origin}${window.location.pathname}#${LINK_KEY}${body.code}`;
      setIssued({ code: body.code, link, expiresAt: new Date(body.expiresAt) });
      setCopied(false);
    } catch {
      setMessage({ text: 'The server cannot be reached. Try again in a moment.', error: true });
    } finally {
      setBusy(false);
    }
  }

  async function onRedeem(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    const problem = await redeem(typed);
    setBusy(false);
    if (problem) setMessage({ text: problem, error: true });
  }

  async function copyLink() {
    if (!issued) return;
    try {
      await navigator.clipboard.writeText(issued.link);
      setCopied(true);
    } catch {
      setCopied(false);
      setMessage({ text: 'Copying is blocked here: select the link and copy it by hand.', error: true });
    }
  }

  return (
    <section className={styles.forms} aria-labelledby={headingId} data-progress="resume-codes">
      <h4 className={styles.subtitle} id={headingId}>
        Continue on another device
      </h4>
      <p className={styles.note}>
        Get a code here, then type it (or open its link) on your other device. It works once, for 24 hours.
      </p>
      <div className={styles.inline}>
        <button type="button" className={styles.buttonSecondary} onClick={() => void issue()} disabled={busy}>
          {issued ? 'Get a new code' : 'Get a resume code'}
        </button>
      </div>
      {issued ? (
        <div className={styles.issued} data-progress="issued-code">
          <p>
            Your code: <strong className={styles.code}>{issued.code}</strong>
          </p>
          <p className={styles.note}>
            Works once, until {timeText(issued.expiresAt)}. Anyone with it gets your progress.
          </p>
          <p className={styles.linkRow}>
            <span className={styles.link}>{issued.link}</span>
            <button type="button" className={styles.buttonSecondary} onClick={() => void copyLink()}>
              {copied ? 'Link copied' : 'Copy link'}
            </button>
          </p>
        </div>
      ) : null}
      <form onSubmit={(event) => void onRedeem(event)} className={styles.inline} noValidate>
        <label htmlFor={codeInputId}>Have a code from another device?</label>
        <input
          id={codeInputId}
          className={styles.input}
          maxLength={20}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
        />
        <button type="submit" className={styles.buttonSecondary} disabled={busy || typed.trim() === ''}>
          Continue with that progress
        </button>
        <span className={styles.hint}>
          This browser then shows the other device&apos;s progress instead of its own.
        </span>
      </form>
      <p role="status" className={message?.error ? styles.error : styles.note}>
        {message?.text ?? ''}
      </p>
      <ResumeLinkPrompt />
    </section>
  );
}

/** A `#resume=CODE` link: ask before this browser switches to that progress. */
function ResumeLinkPrompt() {
  const [code, setCode] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const hash = window.location.hash.slice(1);
    if (!hash.startsWith(LINK_KEY)) return;
    const found = decodeURIComponent(hash.slice(LINK_KEY.length)).slice(0, 20);
    // The code leaves the address bar at once (history, screenshots, a shared screen).
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
    // The hash is only readable after hydration: this is the one moment to pick it up.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setCode(found);
  }, []);

  if (code === null) return null;

  async function accept() {
    if (code === null) return;
    setBusy(true);
    const problem = await redeem(code);
    setBusy(false);
    if (problem) setError(problem);
  }

  return (
    <aside className={styles.resume} aria-labelledby="resume-link-title" data-progress="resume-link">
      <p id="resume-link-title">
        <strong>Continue with your progress from another device?</strong> This browser will then show that progress
        instead of its own.
      </p>
      {error ? (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      ) : null}
      <div className={styles.resumeActions}>
        <button type="button" className={styles.button} onClick={() => void accept()} disabled={busy} autoFocus>
          Continue with that progress
        </button>
        <button type="button" className={styles.buttonSecondary} onClick={() => setCode(null)}>
          Not now
        </button>
      </div>
    </aside>
  );
}
