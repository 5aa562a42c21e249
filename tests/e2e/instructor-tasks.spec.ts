// Issue 19 in a real browser: a learner downloads and deletes their data from the lesson page; an
// owner shares a class with a read-only TA, gives a learner an extra attempt, downloads the
// gradebook, deletes the learner, changes their password and reads the audit log; hand-edited
// overview addresses fall back to defaults instead of a 500. Axe on every new page.
//
// The instructors are written straight into the e2e server's database (better-sqlite3, argon2id
// like the app) and removed again at the end, with their classes, so the fresh-install test in
// instructor.spec.ts (which runs after this file) still finds no instructor.
import { randomUUID } from 'node:crypto';
import path from 'node:path';

import AxeBuilder from '@axe-core/playwright';
import { hash } from '@node-rs/argon2';
import { expect, test, type Browser, type Page } from '@playwright/test';
import Database from 'better-sqlite3';

const LESSON = '/lessons/chain-rule-computational-graphs';
const PORT = process.env.E2E_PORT ?? '3100';
const DB_FILE = path.join(process.cwd(), 'data', `e2e-${PORT}.db`);
const OWNER = { name: 'Olive Owner', email: 'h6-owner@example.org', password: 'olive tram harbour 1987' };
const TA = { name: 'Tom Assistant', email: 'h6-ta@example.org', password: 'teal lamp orchard 2024' };

function sqliteTime(date = new Date()): string {
  return date.toISOString().replace('Z', '+00:00');
}

async function insertInstructor(person: typeof OWNER): Promise<void> {
  const db = new Database(DB_FILE);
  try {
    db.pragma('busy_timeout = 5000');
    const id = randomUUID();
    const now = sqliteTime();
    const password = await hash(person.password, { memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    db.prepare(
      'INSERT INTO "Instructor" ("id","name","email","emailVerified","createdAt","updatedAt") VALUES (?,?,?,0,?,?)',
    ).run(id, person.name, person.email, now, now);
    db.prepare(
      'INSERT INTO "InstructorAccount" ("id","accountId","providerId","userId","password","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?)',
    ).run(randomUUID(), id, 'credential', id, password, now, now);
  } finally {
    db.close();
  }
}

function removeInstructors(): void {
  const db = new Database(DB_FILE);
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    const ids = db
      .prepare<[string, string], { id: string }>('SELECT "id" FROM "Instructor" WHERE "email" IN (?, ?)')
      .all(OWNER.email, TA.email)
      .map((row) => row.id);
    for (const id of ids) {
      db.prepare('DELETE FROM "Cohort" WHERE "ownerId" = ?').run(id);
      db.prepare('DELETE FROM "Instructor" WHERE "id" = ?').run(id);
    }
  } finally {
    db.close();
  }
}

async function noSevereViolations(page: Page, where: string, include?: string) {
  // The page's <title> can arrive after its content on a client-side navigation (instructor.spec.ts).
  await expect(page).toHaveTitle(/\S/);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const builder = new AxeBuilder({ page });
    // The lesson page is long (its own specs scan it whole): here only the new panel and dialog.
    if (include) builder.include(include);
    const results = await builder.analyze();
    const severe = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(
      severe.map((v) => `${where} ${colorScheme}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: null });
}

async function signIn(browser: Browser, person: typeof OWNER): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/instructor/login');
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Your classes' })).toBeVisible();
  return page;
}

/** The learner's id and a question's attempts, through the same API the lesson page uses. */
async function learnerState(page: Page, questionId: string) {
  return page.evaluate(async (id) => {
    // The state request first: it starts the session when the page has none yet.
    const state = await fetch('/api/lessons/chain-rule-computational-graphs/state').then(
      (r) => r.json() as Promise<{ questions: { id: string; attemptsLeft: number; attemptsUsed: number }[] }>,
    );
    const data = await fetch('/api/me/data').then((r) => r.json() as Promise<{ learner: { id: string } }>);
    const question = state.questions.find((q) => q.id === id)!;
    return { learnerId: data.learner.id, attemptsLeft: question.attemptsLeft, attemptsUsed: question.attemptsUsed };
  }, questionId);
}

test.describe.configure({ mode: 'serial' });
test.afterAll(() => removeInstructors());

test('a learner downloads their data and deletes it, then starts afresh', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(LESSON);
  const panel = page.getByRole('region', { name: 'Your data' });
  await panel.scrollIntoViewIfNeeded();
  await expect(panel).toBeVisible();
  const before = await learnerState(page, 'why-chain-rule');

  const downloading = page.waitForEvent('download');
  await panel.getByRole('link', { name: 'Download my data' }).click();
  const file = await (await downloading).path();
  const { readFileSync } = await import('node:fs');
  const data = JSON.parse(readFileSync(file, 'utf8')) as { learner: { id: string }; tables: Record<string, unknown[]> };
  expect(data.learner.id).toBe(before.learnerId);
  expect(Object.keys(data.tables)).toContain('Response');

  // The confirmation is a modal dialog, keyboard first: it opens on Cancel, Escape closes it.
  await panel.getByRole('button', { name: 'Delete my data…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete all your data?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await noSevereViolations(page, 'delete dialog', 'section[aria-labelledby="your-data-title"]');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect((await learnerState(page, 'why-chain-rule')).learnerId).toBe(before.learnerId);

  await panel.getByRole('button', { name: 'Delete my data…' }).click();
  await Promise.all([page.waitForEvent('load'), dialog.getByRole('button', { name: 'Delete everything' }).click()]);
  const after = await learnerState(page, 'why-chain-rule');
  expect(after.learnerId).not.toBe(before.learnerId);
});

test('an owner shares a class, manages a learner, downloads the gradebook and reads the audit log', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  removeInstructors();
  await insertInstructor(OWNER);
  await insertInstructor(TA);

  const owner = await signIn(browser, OWNER);
  await owner.getByLabel('New class name').fill('H6 Period');
  await owner.getByRole('button', { name: 'Create class' }).click();
  await expect(owner.getByRole('heading', { name: 'H6 Period' })).toBeVisible();
  const classUrl = owner.url();
  const cohortId = classUrl.split('/').pop()!;
  const joinCode = (await owner.getByTestId('join-code').innerText()).trim();

  // Hand-edited addresses fall back to defaults; a malformed id is a 404, never a 500.
  for (const query of [
    '?sort=__proto__',
    '?page=-1',
    '?page=1e999',
    '?inactiveDays=NaN',
    '?dir=sideways&stuck=maybe',
  ]) {
    const response = await owner.goto(`${classUrl}${query}`);
    expect([query, response?.status()]).toEqual([query, 200]);
    await expect(owner.getByRole('heading', { name: 'H6 Period' })).toBeVisible();
  }
  expect((await owner.goto(`/instructor/classes/${'x'.repeat(101)}`))?.status()).toBe(404);
  expect((await owner.goto(`/instructor/classes/${cohortId}/learners/${'y'.repeat(101)}`))?.status()).toBe(404);

  // Settings: rename, share with a read-only TA.
  await owner.goto(`${classUrl}/manage`);
  await expect(owner.getByRole('heading', { name: 'Class settings' })).toBeVisible();
  await noSevereViolations(owner, 'settings');
  await owner.getByLabel('Class name').fill('H6 Period (renamed)');
  await owner.getByRole('button', { name: 'Rename' }).click();
  await expect(owner.locator('#rename-status')).toContainText('Renamed.');
  await owner.getByLabel("Instructor's email").fill('nobody@example.org');
  await owner.getByRole('button', { name: 'Share' }).click();
  await expect(owner.locator('#share-status')).toContainText('No instructor account uses nobody@example.org');
  await owner.getByLabel("Instructor's email").fill(TA.email);
  await owner.getByLabel('Role').selectOption('ta');
  await owner.getByRole('button', { name: 'Share' }).click();
  await expect(owner.locator('#share-status')).toContainText(`Shared with ${TA.name}`);

  // A learner joins and uses up the two attempts of a question (through the lesson's own API).
  const learnerContext = await browser.newContext();
  const learner = await learnerContext.newPage();
  await learner.goto(LESSON);
  // The lesson's state request starts the session; wait for it as the page's own code does.
  await learner.evaluate(() => fetch('/api/lessons/chain-rule-computational-graphs/state').then((r) => r.status));
  const join = await learner.evaluate(
    (code) =>
      fetch('/api/learner', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ displayName: 'Lea Learner', joinCode: code }),
      }).then((r) => r.status),
    joinCode,
  );
  expect(join).toBe(200);
  // A sigmoid's slope is at most 0.25, so 999 is wrong for every learner's numbers.
  for (const attempt of [1, 2, 3]) {
    const status = await learner.evaluate(
      (n) =>
        fetch('/api/quiz/answers', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ questionId: 'edge-sigmoid', attempt: n, answer: { parts: { value: 999 } } }),
        }).then((r) => r.status),
      attempt,
    );
    expect(status).toBe(200);
  }
  const spent = await learnerState(learner, 'edge-sigmoid');
  expect(spent.attemptsLeft).toBe(0);

  // The owner gives one extra attempt on the learner's page.
  await owner.goto(`${classUrl}/learners/${spent.learnerId}`);
  await expect(owner.getByRole('heading', { name: 'Attempts and data' })).toBeVisible();
  await noSevereViolations(owner, 'learner page');
  await owner.getByLabel('Question', { exact: true }).first().selectOption('edge-sigmoid');
  await owner.getByLabel('How many more').fill('1');
  await owner.getByRole('button', { name: 'Give extra attempts' }).click();
  await expect(owner.locator('#grant-status')).toContainText('1 extra attempt');
  expect((await learnerState(learner, 'edge-sigmoid')).attemptsLeft).toBe(1);

  // The gradebook has the learner.
  const gradebook = await owner.request.get(`/api/instructor/classes/${cohortId}/gradebook.csv`);
  expect(gradebook.status()).toBe(200);
  expect(await gradebook.text()).toContain('Lea Learner');

  // The TA sees the class, read-only.
  const ta = await signIn(browser, TA);
  await expect(ta.getByText('shared with you (read-only)')).toBeVisible();
  await ta.goto(`${classUrl}/learners/${spent.learnerId}`);
  await expect(ta.getByText('Teaching assistants can see attempts but not change them.')).toBeVisible();
  await expect(ta.getByRole('button', { name: 'Give extra attempts' })).toHaveCount(0);

  // The owner deletes the learner's data; the overview no longer lists them.
  await owner.goto(`${classUrl}/learners/${spent.learnerId}`);
  await owner.getByLabel('Type DELETE').fill('DELETE');
  await owner.getByRole('button', { name: 'Delete data' }).click();
  await expect(owner.getByRole('status').filter({ hasText: "The learner's data was deleted." })).toBeVisible();
  await expect(owner.getByText('Lea Learner')).toHaveCount(0);

  // The audit log tells the story.
  await owner.goto(`${classUrl}/audit`);
  await noSevereViolations(owner, 'audit log');
  for (const label of [
    'Created the class',
    'Renamed the class',
    'Shared the class',
    'Gave a learner extra attempts',
    'Downloaded class data',
    "Deleted a learner's data",
  ]) {
    await expect(owner.getByRole('cell', { name: label, exact: true }).first()).toBeVisible();
  }

  // The owner changes their password; the TA's page is unaffected, the new password works.
  await owner.goto('/instructor/account');
  await noSevereViolations(owner, 'account');
  await owner.getByLabel('Current password').fill(OWNER.password);
  await owner.getByLabel('New password', { exact: true }).fill('aaaaaaaaaaaa');
  await owner.getByLabel('New password again').fill('aaaaaaaaaaaa');
  await owner.getByRole('button', { name: 'Change password' }).click();
  await expect(owner.locator('#password-status')).toContainText('too easy to guess');
  await owner.getByLabel('Current password').fill(OWNER.password);
  await owner.getByLabel('New password', { exact: true }).fill('copper kite meadow 55');
  await owner.getByLabel('New password again').fill('copper kite meadow 55');
  await owner.getByRole('button', { name: 'Change password' }).click();
  await expect(owner.locator('#password-status')).toContainText('Password changed.');
  await learnerContext.close();
});
