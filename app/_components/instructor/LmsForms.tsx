'use client';

import { useActionState, useId } from 'react';

import type { LmsFormState } from '@/app/instructor/lms/actions';

import styles from './instructor.module.css';

type Action = (previous: LmsFormState, form: FormData) => Promise<LmsFormState>;

function Outcome({ state }: { state: LmsFormState }) {
  if (state.error) {
    return (
      <div role="alert" className={styles.error}>
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
  return state.message ? (
    <p role="status" className={styles.muted}>
      {state.message}
    </p>
  ) : null;
}

const FIELDS = [
  {
    name: 'name',
    label: 'Name (for you)',
    hint: 'For example "School Moodle". Optional.',
    type: 'text',
    required: false,
  },
  {
    name: 'issuer',
    label: 'Issuer (platform ID)',
    hint: 'Moodle: its address. Canvas: https://canvas.instructure.com',
    type: 'url',
    required: true,
  },
  {
    name: 'clientId',
    label: 'Client ID',
    hint: 'Shown by the LMS after you add the tool.',
    type: 'text',
    required: true,
  },
  {
    name: 'deploymentId',
    label: 'Deployment ID',
    hint: 'Shown by the LMS for this tool; add one connection per deployment.',
    type: 'text',
    required: true,
  },
  {
    name: 'authUrl',
    label: 'Authentication request URL',
    hint: 'Moodle: …/mod/lti/auth.php',
    type: 'url',
    required: true,
  },
  { name: 'tokenUrl', label: 'Access token URL', hint: 'Moodle: …/mod/lti/token.php', type: 'url', required: true },
  { name: 'jwksUrl', label: 'Public keyset URL', hint: 'Moodle: …/mod/lti/certs.php', type: 'url', required: true },
] as const;

export function AddPlatformForm({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, { error: null });
  const id = useId();
  return (
    <form action={formAction} className={styles.form} aria-label="Connect an LMS">
      <Outcome state={state} />
      {FIELDS.map((field) => (
        <div key={field.name} className={styles.field}>
          <label htmlFor={`${id}-${field.name}`}>{field.label}</label>
          <input
            id={`${id}-${field.name}`}
            name={field.name}
            type={field.type}
            required={field.required}
            maxLength={field.name === 'name' ? 120 : 2048}
            autoComplete="off"
            spellCheck={false}
            className={styles.input}
            aria-describedby={`${id}-${field.name}-hint`}
          />
          <span id={`${id}-${field.name}-hint`} className={styles.hint}>
            {field.hint}
          </span>
        </div>
      ))}
      <button type="submit" className={styles.button} disabled={pending}>
        {pending ? 'Connecting…' : 'Connect this LMS'}
      </button>
    </form>
  );
}

export function RegistrationLinkForm({ action }: { action: (previous: LmsFormState) => Promise<LmsFormState> }) {
  const [state, formAction, pending] = useActionState(action, { error: null });
  const id = useId();
  return (
    <form action={formAction} className={styles.form} aria-label="Register by link">
      {state.link ? (
        <div className={styles.field}>
          <label htmlFor={`${id}-link`}>One-time registration link</label>
          <input
            id={`${id}-link`}
            readOnly
            value={state.link}
            className={styles.input}
            aria-describedby={`${id}-link-hint`}
          />
          <span id={`${id}-link-hint`} className={styles.hint}>
            {state.message} Paste it into the LMS as the tool URL (Moodle: Manage tools; Canvas: Developer keys, LTI
            Registration).
          </span>
        </div>
      ) : (
        <Outcome state={state} />
      )}
      <button type="submit" className={styles.secondary} disabled={pending}>
        {state.link ? 'Make another link' : 'Make a registration link'}
      </button>
    </form>
  );
}

export function SyncRosterForm({ action, cohortId }: { action: Action; cohortId: string }) {
  const [state, formAction, pending] = useActionState(action, { error: null });
  return (
    <form action={formAction}>
      <input type="hidden" name="cohortId" value={cohortId} />
      <button type="submit" className={styles.secondary} disabled={pending}>
        {pending ? 'Syncing roster…' : 'Sync roster'}
      </button>
      <Outcome state={state} />
    </form>
  );
}
