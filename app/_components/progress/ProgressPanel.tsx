'use client';

import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';

import { useQuiz } from '@/app/_components/quiz/QuizProvider';
import type { MasteryView } from '@/lib/quiz/mastery';
import type { LearnerView } from '@/lib/server/quiz-service';

import styles from './progress.module.css';
import { ResumeCodes } from './ResumeCodes';

const LEVEL_TEXT = { 'not started': 'Not started', practising: 'Practising', mastered: 'Mastered' } as const;

/** The learner's mastery per skill, their display name, their classes and their resume codes. */
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
        Saved on our server for this browser: come back any time to pick up where you left off. A skill is mastered when
        your last 3 answers on it were right, in the knowledge check or in practice.
      </p>
      <ul className={styles.mastery}>
        {status === 'loading'
          ? Array.from({ length: 4 }, (_, index) => (
              <li key={index} className={styles.skeletonSkill} aria-hidden="true" />
            ))
          : mastery.map((skill) => <SkillRow key={skill.skill} skill={skill} />)}
      </ul>
      {learner ? <LearnerForms learner={learner} /> : null}
      <ResumeCodes />
    </section>
  );
}

/**
 * One skill: its level and a bar that fills with right answers in a row (full only when mastered).
 * The evidence ("2 of 3 correct on local derivatives") shows on hover and on keyboard focus, and
 * screen readers get it as the row's description; Escape hides it (WCAG 1.4.13).
 */
function SkillRow({ skill }: { skill: MasteryView }) {
  const tipId = useId();
  const [hidden, setHidden] = useState(false);
  const need = skill.streakForMastery;
  const next =
    skill.level === 'mastered'
      ? `Your last ${need} answers were right.`
      : `${need - Math.min(skill.streak, need)} more right in a row to master it.`;
  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape') setHidden(true);
  }
  return (
    <li
      className={styles.skill}
      data-skill={skill.skill}
      data-level={skill.level}
      // Focusable so keyboard users reach the evidence; the description is read with the name.
      tabIndex={0}
      aria-describedby={tipId}
      onKeyDown={onKeyDown}
      onFocus={() => setHidden(false)}
      onMouseEnter={() => setHidden(false)}
    >
      <span className={styles.skillName}>{skill.label}</span>
      <span className={styles.skillLevel} data-level={skill.level}>
        {LEVEL_TEXT[skill.level]}
      </span>
      <span className={styles.bar} aria-hidden="true">
        <span
          className={styles.barFill}
          data-level={skill.level}
          style={{ width: `${Math.round(skill.progress * 100)}%` }}
        />
      </span>
      <span id={tipId} role="tooltip" className={styles.tip} data-hidden={hidden ? 'true' : undefined}>
        {skill.evidence}. {next}
      </span>
    </li>
  );
}

/** What a join code looks like; the server's own check says the same. */
const JOIN_CODE_HELP =
  'A class join code is 4 to 16 letters and digits, usually 8 like K7QM2XPA. Your teacher gives it to you.';

/** Why a typed join code cannot be one, in plain words, or null when it looks right. */
export function joinCodeProblem(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '');
  if (code === '') return `Type the code first. ${JOIN_CODE_HELP}`;
  const odd = [...new Set(code.replace(/[A-Z0-9]/g, ''))];
  if (odd.length > 0) {
    return `A join code has only letters and digits, and “${typed.trim()}” also has ${odd
      .map((character) => `“${character}”`)
      .join(' ')}. ${JOIN_CODE_HELP}`;
  }
  if (code.length < 4) return `“${typed.trim()}” is too short. ${JOIN_CODE_HELP}`;
  if (code.length > 16) return `“${typed.trim().slice(0, 20)}…” is too long. ${JOIN_CODE_HELP}`;
  return null;
}

function LearnerForms({ learner }: { learner: LearnerView }) {
  const { setLearner } = useQuiz();
  const nameId = useId();
  const codeId = useId();
  const codeHelpId = useId();
  const [name, setName] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [codeInvalid, setCodeInvalid] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  /** Sends an update; true when the server stored it. */
  async function save(body: Record<string, unknown>, done: string): Promise<boolean> {
    setMessage(null);
    try {
      const response = await fetch('/api/learner', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await response.json().catch(() => ({}))) as {
        learner?: LearnerView;
        error?: { code?: string; message: string };
      };
      if (!response.ok || !json.learner) {
        setMessage({ text: plainError(response.status, json.error, 'joinCode' in body), error: true });
        return false;
      }
      setLearner(json.learner);
      setMessage({ text: done, error: false });
      return true;
    } catch {
      setMessage({ text: 'Not saved: the server cannot be reached. Try again in a moment.', error: true });
      return false;
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
    const problem = joinCodeProblem(code);
    if (problem) {
      // Keep what was typed so it can be corrected, and say what a code looks like.
      setCodeInvalid(true);
      setMessage({ text: problem, error: true });
      return;
    }
    void save({ joinCode: code }, 'You joined the class.').then((joined) => {
      setCodeInvalid(!joined);
      if (joined) setCode('');
    });
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
      <form onSubmit={onJoin} className={styles.inline} noValidate>
        <label htmlFor={codeId}>Class join code</label>
        <input
          id={codeId}
          className={styles.input}
          maxLength={24}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          value={code}
          aria-invalid={codeInvalid || undefined}
          aria-describedby={codeHelpId}
          onChange={(event) => {
            setCode(event.target.value);
            setCodeInvalid(false);
          }}
        />
        <button type="submit" className={styles.buttonSecondary} disabled={code.trim() === ''}>
          Join class
        </button>
        <span id={codeHelpId} className={styles.hint}>
          Letters and digits from your teacher, like K7QM2XPA.
        </span>
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

/** A refusal from /api/learner in words for the learner (never field paths or status codes alone). */
function plainError(status: number, error: { code?: string; message: string } | undefined, joining: boolean): string {
  if (status === 429) return 'Too many tries in a short time. Wait a minute and try again.';
  if (joining && error?.code === 'invalid-input') return JOIN_CODE_HELP;
  if (error?.code === 'invalid-input') return error.message.replace(/^Invalid request: [^:]+: /, '');
  return error?.message ?? `Not saved: something went wrong on our side (error ${status}). Try again in a moment.`;
}
