'use client';

import { useActionState } from 'react';

import type { FormState } from '@/app/instructor/actions';

import styles from './instructor.module.css';

type Action = (previous: FormState, form: FormData) => Promise<FormState>;

function Problems({ state, id }: { state: FormState; id: string }) {
  if (!state.error) return null;
  return (
    <div id={id} role="alert" className={styles.error}>
      <p style={{ margin: 0 }}>{state.error}</p>
      {state.issues && state.issues.length > 1 ? (
        <ul>
          {state.issues.map((issue) => (
            <li key={issue}>{issue}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function SignInForm({ action, next }: { action: Action; next: string }) {
  const [state, formAction, pending] = useActionState(action, { error: null });
  return (
    <form action={formAction} className={styles.form} aria-describedby={state.error ? 'sign-in-error' : undefined}>
      <Problems state={state} id="sign-in-error" />
      <input type="hidden" name="next" value={next} />
      <div className={styles.field}>
        <label htmlFor="email">Email</label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          className={styles.input}
          defaultValue={state.values?.email ?? ''}
        />
      </div>
      <div className={styles.field}>
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className={styles.input}
        />
      </div>
      <button type="submit" className={styles.button} disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

export function SetupForm({ action, token }: { action: Action; token: string }) {
  const [state, formAction, pending] = useActionState(action, { error: null });
  return (
    <form action={formAction} className={styles.form}>
      <Problems state={state} id="setup-error" />
      <div className={styles.field}>
        <label htmlFor="token">Setup token</label>
        <input
          id="token"
          name="token"
          required
          autoComplete="off"
          spellCheck={false}
          className={styles.input}
          defaultValue={token}
          aria-describedby="token-hint"
        />
        <span id="token-hint" className={styles.hint}>
          Printed in the server log when it starts without any instructor account.
        </span>
      </div>
      <div className={styles.field}>
        <label htmlFor="name">Your name</label>
        <input
          id="name"
          name="name"
          required
          maxLength={80}
          autoComplete="name"
          className={styles.input}
          defaultValue={state.values?.name ?? ''}
        />
      </div>
      <div className={styles.field}>
        <label htmlFor="email">Email</label>
        <input
          id="email"
          name="email"
          type="email"
          required
          autoComplete="username"
          className={styles.input}
          defaultValue={state.values?.email ?? ''}
        />
      </div>
      <div className={styles.field}>
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          required
          minLength={12}
          maxLength={128}
          autoComplete="new-password"
          className={styles.input}
          aria-describedby="password-hint"
        />
        <span id="password-hint" className={styles.hint}>
          At least 12 characters.
        </span>
      </div>
      <button type="submit" className={styles.button} disabled={pending}>
        {pending ? 'Creating…' : 'Create instructor account'}
      </button>
    </form>
  );
}

export function CreateClassForm({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, { error: null });
  return (
    <form action={formAction} className={styles.inlineForm}>
      <div className={styles.field}>
        <label htmlFor="class-name">New class name</label>
        <input
          id="class-name"
          name="name"
          required
          maxLength={80}
          className={styles.input}
          defaultValue={state.values?.name ?? ''}
        />
      </div>
      <button type="submit" className={styles.button} disabled={pending}>
        {pending ? 'Creating…' : 'Create class'}
      </button>
      <Problems state={state} id="create-class-error" />
    </form>
  );
}
