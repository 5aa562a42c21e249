'use client';

import { useId, useState, type FormEvent } from 'react';

import { useQuiz } from '@/app/_components/quiz/QuizProvider';
import type { LearnerView } from '@/lib/server/quiz-service';

import styles from './progress.module.css';

const LEVEL_TEXT = { 'not started': 'Not started', practising: 'Practising', mastered: 'Mastered' } as const;

/** The learner's mastery per skill, their display name and their classes. */
export function ProgressPanel() {
  const { status, mastery, learner } = useQuiz();
  return (
    <section
      className={styles.panel}
      aria-labelledby="your-progress-title"
      data-quiz="progress"
      aria-busy={status === 'loading'}
    >
      <h3 className={styles.title} id="your-progress-title">
        Your progress
      </h3>
      <p className={styles.note}>
        Saved on our server for this browser: come back any time to pick up where you left off.
      </p>
      <ul className={styles.mastery}>
        {status === 'loading'
          ? Array.from({ length: 4 }, (_, index) => (
              <li key={index} className={styles.skeletonSkill} aria-hidden="true" />
            ))
          : mastery.map((skill) => {
              const percent = skill.value === null ? 0 : Math.round(skill.value * 100);
              return (
                <li key={skill.skill} className={styles.skill} data-skill={skill.skill}>
                  <span className={styles.skillName}>{skill.label}</span>
                  <span className={styles.skillLevel} data-level={skill.level}>
                    {LEVEL_TEXT[skill.level]}
                    {skill.value === null ? '' : ` · ${percent}%`}
                  </span>
                  <span className={styles.bar} aria-hidden="true">
                    <span className={styles.barFill} data-level={skill.level} style={{ width: `${percent}%` }} />
                  </span>
                </li>
              );
            })}
      </ul>
      {learner ? <LearnerForms learner={learner} /> : null}
    </section>
  );
}

function LearnerForms({ learner }: { learner: LearnerView }) {
  const { setLearner } = useQuiz();
  const nameId = useId();
  const codeId = useId();
  const [name, setName] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  async function save(body: Record<string, unknown>, done: string) {
    setMessage(null);
    try {
      const response = await fetch('/api/learner', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await response.json()) as { learner?: LearnerView; error?: { message: string } };
      if (!response.ok || !json.learner) {
        setMessage({ text: json.error?.message ?? `Not saved (HTTP ${response.status}).`, error: true });
        return;
      }
      setLearner(json.learner);
      setMessage({ text: done, error: false });
    } catch {
      setMessage({ text: 'Not saved: the server cannot be reached. Try again in a moment.', error: true });
    }
  }

  function onName(event: FormEvent) {
    event.preventDefault();
    const value = (name ?? learner.displayName ?? '').trim();
    void save(
      { displayName: value === '' ? null : value },
      value === '' ? 'Display name cleared.' : 'Display name saved.',
    );
    setName(null);
  }

  function onJoin(event: FormEvent) {
    event.preventDefault();
    void save({ joinCode: code }, 'You joined the class.').then(() => setCode(''));
  }

  return (
    <div className={styles.forms}>
      <form onSubmit={onName} className={styles.inline}>
        <label htmlFor={nameId}>Display name (optional)</label>
        <input
          id={nameId}
          className={styles.input}
          maxLength={40}
          autoComplete="nickname"
          value={name ?? learner.displayName ?? ''}
          onChange={(event) => setName(event.target.value)}
        />
        <button type="submit" className={styles.buttonSecondary}>
          Save name
        </button>
      </form>
      <form onSubmit={onJoin} className={styles.inline}>
        <label htmlFor={codeId}>Class join code</label>
        <input
          id={codeId}
          className={styles.input}
          maxLength={16}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          value={code}
          onChange={(event) => setCode(event.target.value)}
        />
        <button type="submit" className={styles.buttonSecondary} disabled={code.trim() === ''}>
          Join class
        </button>
      </form>
      {learner.cohorts.length > 0 ? (
        <p className={styles.note}>Your classes: {learner.cohorts.map((cohort) => cohort.name).join(', ')}</p>
      ) : null}
      <p role="status" className={message?.error ? styles.error : styles.note}>
        {message?.text ?? ''}
      </p>
    </div>
  );
}
