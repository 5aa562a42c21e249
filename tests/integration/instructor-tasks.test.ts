// The instructor's everyday tasks (issue 19): rename and archive a class, learners who joined but
// never started, extra attempts and resets that the quiz service honours, the gradebook CSV
// (checked against hand-computed figures), password change and the CLI reset, and the audit log.
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createInstructor, resetPassword, signIn } from '@/lib/server/auth/accounts';
import { HttpError } from '@/lib/server/http';
import { createClass, listMyClasses, rotateJoinCode } from '@/lib/server/instructor/classes';
import { courseQuestions } from '@/lib/server/instructor/overview';
import { gradebookCsv } from '@/lib/server/instructor/exports';
import {
  changeMyPassword,
  classAuditLog,
  grantExtraAttempts,
  learnersNotStarted,
  removeLearner,
  renameClass,
  resetAttempts,
  setClassArchived,
} from '@/lib/server/instructor/manage';
import type { LessonState } from '@/lib/server/quiz-service';

import {
  choiceLetters,
  getState,
  LESSON,
  newLearner,
  sendProgress,
  submit,
  updateLearner,
} from './helpers/learner-client';
import { createQuizDatabase } from './helpers/quiz-database';
import type { TestDatabase } from './helpers/test-database';

const PASSWORD = 'correct horse battery staple';
let database: TestDatabase;
let owner: Headers;
let cohortId: string;
let joinCode: string;

async function signedIn(email: string, password = PASSWORD): Promise<Headers> {
  const result = await signIn(database.db, new Headers(), { email, password });
  return new Headers({ cookie: result.setCookies.map((value) => value.split(';')[0]).join('; ') });
}

async function status(run: () => Promise<unknown>): Promise<number | string> {
  try {
    await run();
    return 200;
  } catch (error) {
    if (error instanceof HttpError) return `${error.status} ${error.code}`;
    throw error;
  }
}

async function questionState(cookie: string, questionId: string) {
  const state = (await (await getState(database.db, cookie)).json()) as LessonState;
  const view = state.questions.find((question) => question.id === questionId);
  if (!view) throw new Error(`no view for ${questionId}`);
  return view as unknown as { attemptsUsed: number; attemptsLeft: number; nextAttempt: number | null };
}

beforeAll(async () => {
  database = await createQuizDatabase();
  await createInstructor(database.db, { name: 'Ada', email: 'ada@example.org', password: PASSWORD });
  owner = await signedIn('ada@example.org');
  ({ id: cohortId, joinCode } = await createClass(database.db, owner, { name: 'Period 3' }));
});
afterAll(async () => {
  await database?.cleanup();
});

describe('class settings', () => {
  it('renames and archives a class; an archived class takes no new learners and leaves the list', async () => {
    await renameClass(database.db, owner, cohortId, { name: '  Period 3 (spring)  ' });
    expect((await listMyClasses(database.db, owner)).map((c) => c.name)).toEqual(['Period 3 (spring)']);
    expect(await status(() => renameClass(database.db, owner, cohortId, { name: 'A\u202Eb' }))).toBe(
      '400 invalid-input',
    );

    await setClassArchived(database.db, owner, cohortId, true);
    expect(await listMyClasses(database.db, owner)).toEqual([]);
    expect((await listMyClasses(database.db, owner, { archived: true })).map((c) => c.id)).toEqual([cohortId]);
    const learner = await newLearner(database.db);
    const refused = await updateLearner(database.db, learner.cookie, { joinCode });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('class-archived');

    await setClassArchived(database.db, owner, cohortId, false);
    expect((await updateLearner(database.db, learner.cookie, { joinCode })).status).toBe(200);
    await removeLearner(database.db, owner, cohortId, learner.learnerId);
  });

  it('lists learners who joined but never started, until they do something', async () => {
    const idle = await newLearner(database.db);
    expect((await updateLearner(database.db, idle.cookie, { displayName: 'Idle Ivy', joinCode })).status).toBe(200);
    expect((await learnersNotStarted(database.db, owner, cohortId)).map((l) => l.name)).toEqual(['Idle Ivy']);
    const event = {
      id: randomUUID(),
      type: 'section-viewed',
      lessonSlug: LESSON,
      target: 'why-it-matters',
      at: Date.now(),
    };
    expect((await sendProgress(database.db, idle.cookie, { events: [event] })).status).toBe(200);
    expect(await learnersNotStarted(database.db, owner, cohortId)).toEqual([]);
    await removeLearner(database.db, owner, cohortId, idle.learnerId);
  });
});

describe('extra attempts and resets', () => {
  it('are honoured by the quiz service for that learner and question only', async () => {
    const learner = await newLearner(database.db);
    const other = await newLearner(database.db);
    for (const who of [learner, other]) {
      expect((await updateLearner(database.db, who.cookie, { joinCode })).status).toBe(200);
    }
    const question = 'graph-purpose'; // 2 attempts, key revealed after the last
    const wrong = (who: typeof learner) => choiceLetters(who.learnerId, question).wrong;
    for (const attempt of [1, 2]) {
      const response = await submit(database.db, learner.cookie, {
        questionId: question,
        attempt,
        answer: { choice: wrong(learner) },
      });
      expect(response.status).toBe(200);
    }
    const refused = await submit(database.db, learner.cookie, {
      questionId: question,
      attempt: 3,
      answer: { choice: wrong(learner) },
    });
    expect(refused.status).toBe(409);
    expect((await questionState(learner.cookie, question)).attemptsLeft).toBe(0);

    expect(
      await grantExtraAttempts(database.db, owner, cohortId, learner.learnerId, {
        questionId: question,
        extraAttempts: 1,
      }),
    ).toEqual({
      extraAttempts: 1,
    });
    const view = await questionState(learner.cookie, question);
    expect(view).toMatchObject({ attemptsUsed: 2, attemptsLeft: 1, nextAttempt: 3 });
    const { correct } = choiceLetters(learner.learnerId, question);
    const third = await submit(database.db, learner.cookie, {
      questionId: question,
      attempt: 3,
      answer: { choice: correct },
    });
    expect(third.status).toBe(200);
    // The other learner's limit is unchanged.
    for (const attempt of [1, 2]) {
      await submit(database.db, other.cookie, { questionId: question, attempt, answer: { choice: wrong(other) } });
    }
    expect(
      (await submit(database.db, other.cookie, { questionId: question, attempt: 3, answer: { choice: wrong(other) } }))
        .status,
    ).toBe(409);

    // A reset deletes the learner's answers to that question: it starts afresh.
    expect(await resetAttempts(database.db, owner, cohortId, learner.learnerId, { questionId: question })).toEqual({
      deleted: 3,
    });
    expect(await questionState(learner.cookie, question)).toMatchObject({ attemptsUsed: 0, nextAttempt: 1 });
    expect(
      (await submit(database.db, learner.cookie, { questionId: question, attempt: 1, answer: { choice: correct } }))
        .status,
    ).toBe(200);

    expect(
      await status(() =>
        grantExtraAttempts(database.db, owner, cohortId, learner.learnerId, { questionId: 'nope', extraAttempts: 1 }),
      ),
    ).toBe('422 unknown-question');
    expect(
      await status(() =>
        grantExtraAttempts(database.db, owner, cohortId, learner.learnerId, { questionId: question, extraAttempts: 0 }),
      ),
    ).toBe('400 invalid-input');
  });
});

describe('the gradebook', () => {
  it('has one row per learner with score and completion, as computed by hand', async () => {
    const { id, joinCode: code } = await createClass(database.db, owner, { name: 'Gradebook class' });
    const total = courseQuestions().ids.length;
    const a = await newLearner(database.db);
    const b = await newLearner(database.db);
    expect((await updateLearner(database.db, a.cookie, { displayName: 'Alan', joinCode: code })).status).toBe(200);
    expect((await updateLearner(database.db, b.cookie, { displayName: 'Barbara', joinCode: code })).status).toBe(200);
    // Alan: two questions right. Barbara: nothing.
    for (const question of ['why-chain-rule', 'graph-purpose']) {
      const { correct } = choiceLetters(a.learnerId, question);
      expect(
        (await submit(database.db, a.cookie, { questionId: question, attempt: 1, answer: { choice: correct } })).status,
      ).toBe(200);
    }
    const csv = await new Response((await gradebookCsv(database.db, owner, id)).body).text();
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    const header = lines[0]!.split(',');
    expect(lines).toHaveLength(3);
    const row = (name: string) => {
      const cells = lines.find((line) => line.includes(`,${name},`))!.split(',');
      return Object.fromEntries(header.map((column, index) => [column, cells[index]]));
    };
    // Score: latest attempt per question averaged over all `total` questions; 2 right = 2/total.
    expect(row('Alan')).toMatchObject({
      status: 'in progress',
      score_percent: String(Math.round((2 / total) * 1000) / 10),
      questions_answered: '2',
      questions_total: String(total),
      completion_percent: String(Math.round((2 / total) * 1000) / 10),
    });
    expect(row('Barbara')).toMatchObject({ status: 'not started', score_percent: '', questions_answered: '0' });
    const log = await classAuditLog(database.db, owner, id);
    expect(log.entries.find((e) => e.action === 'data-downloaded')?.detail).toEqual({ file: 'gradebook.csv' });
  });
});

describe('passwords', () => {
  it('change with the current password, signing out the other browsers only', async () => {
    await createInstructor(database.db, { name: 'Cleo', email: 'cleo@example.org', password: PASSWORD });
    const here = await signedIn('cleo@example.org');
    const elsewhere = await signedIn('cleo@example.org');
    const newPassword = 'violet harbour lantern 42';
    expect(
      await status(() => changeMyPassword(database.db, here, { currentPassword: 'wrong wrong', newPassword })),
    ).toBe('400 wrong-password');
    expect(
      await status(() =>
        changeMyPassword(database.db, here, { currentPassword: PASSWORD, newPassword: 'aaaaaaaaaaaa' }),
      ),
    ).toBe('400 weak-password');
    expect(await changeMyPassword(database.db, here, { currentPassword: PASSWORD, newPassword })).toEqual({
      otherSessionsEnded: 1,
    });
    expect((await listMyClasses(database.db, here)).length).toBeGreaterThanOrEqual(0);
    expect(await status(() => listMyClasses(database.db, elsewhere))).toBe('401 not-signed-in');
    expect(await status(() => signedIn('cleo@example.org'))).toBe('401 invalid-credentials');
    expect(await status(() => signedIn('cleo@example.org', newPassword))).toBe(200);
  });

  it('reset from the command line, ending every session', async () => {
    const session = await signedIn('ada@example.org');
    const reset = await resetPassword(database.db, 'ADA@example.org', 'quiet meadow compass 9');
    expect(reset.sessionsEnded).toBeGreaterThanOrEqual(2);
    expect(await status(() => listMyClasses(database.db, session))).toBe('401 not-signed-in');
    expect(await status(() => resetPassword(database.db, 'nobody@example.org', 'quiet meadow compass 9'))).toBe(
      '404 unknown-instructor',
    );
    expect(await status(() => resetPassword(database.db, 'ada@example.org', 'password1234'))).toBe('400 weak-password');
    owner = await signedIn('ada@example.org', 'quiet meadow compass 9');
  });
});

describe('the audit log', () => {
  it('records the class’s instructor actions, newest first, without learner names', async () => {
    await rotateJoinCode(database.db, owner, cohortId);
    const log = await classAuditLog(database.db, owner, cohortId);
    const actions = log.entries.map((entry) => entry.action);
    for (const expected of [
      'class-created',
      'class-renamed',
      'class-archived',
      'class-unarchived',
      'learner-removed',
      'attempts-granted',
      'attempts-reset',
      'join-code-replaced',
    ]) {
      expect(actions).toContain(expected);
    }
    expect(actions[0]).toBe('join-code-replaced');
    expect(JSON.stringify(log.entries)).not.toContain('Idle Ivy');
  });
});
