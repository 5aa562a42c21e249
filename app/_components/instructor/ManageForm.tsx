'use client';

import { useActionState, type ReactNode } from 'react';

import styles from './instructor.module.css';

/** What a class-management action reports back: a problem in words, or what it did. */
export interface ManageState {
  error: string | null;
  issues?: string[];
  done?: string;
}

type Action = (previous: ManageState, form: FormData) => Promise<ManageState>;

/**
 * One small form for one instructor task (rename, share, extra attempts, ...): the fields it is
 * given, a submit button, and a live region that says what happened or what was wrong. Works
 * without JavaScript too (a server action posts the form).
 */
export function ManageForm({
  action,
  label,
  pendingLabel,
  children,
  danger = false,
  inline = true,
  id,
}: {
  action: Action;
  label: string;
  pendingLabel: string;
  children?: ReactNode;
  danger?: boolean;
  inline?: boolean;
  id: string;
}) {
  const [state, formAction, pending] = useActionState(action, { error: null });
  return (
    <form action={formAction} className={inline ? styles.inlineForm : styles.form} aria-describedby={`${id}-status`}>
      {children}
      <button type="submit" className={danger ? styles.dangerButton : styles.button} disabled={pending}>
        {pending ? pendingLabel : label}
      </button>
      <div id={`${id}-status`} role="status" aria-live="polite" className={styles.formStatus}>
        {state.error ? (
          <p className={styles.error}>
            {state.error}
            {state.issues && state.issues.length > 1 ? ` (${state.issues.join('; ')})` : ''}
          </p>
        ) : state.done ? (
          <p className={styles.doneText}>{state.done}</p>
        ) : null}
      </div>
    </form>
  );
}
