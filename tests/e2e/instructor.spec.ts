// Issue 6 end to end: the setup token creates the first instructor, who signs in and creates a
// class; a learner in a second browser joins with the code and answers; the instructor sees it
// in the overview, the question analysis and the timeline, and downloads the CSV.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

import { scrollToKnowledgeCheck } from './knowledge-check';

const LESSON = '/lessons/chain-rule-computational-graphs';
const PORT = process.env.E2E_PORT ?? '3100';
// The e2e server's database (playwright.config.ts); the server writes the setup token beside
// it when no instructor exists (lib/server/auth/setup-announce.ts). Read independently here.
const TOKEN_FILE = path.join(process.cwd(), 'data', `e2e-${PORT}.db.setup-token`);
const EMAIL = 'teacher@example.org';
const PASSWORD = 'a long classroom passphrase';
const CORRECT = 'The loss depends on early parameters only through many intermediate computations.';

/** Axe on the page at its own width and at a small phone's (320 px), in light and in dark mode. */
async function noSevereViolations(page: Page) {
  // After a client-side navigation (a form's redirect) the new page's heading can be visible a
  // moment before the document has its <title>; axe run in that moment reports document-title
  // (seen once in CI, session 11). Wait for the title first.
  await expect(page).toHaveTitle(/\S/);
  const own = page.viewportSize()!;
  for (const viewport of [own, { width: 320, height: 640 }]) {
    await page.setViewportSize(viewport);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      const results = await new AxeBuilder({ page }).analyze();
      const severe = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(
        severe.map(
          (v) => `${viewport.width}px ${colorScheme}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
        ),
      ).toEqual([]);
    }
  }
  await page.setViewportSize(own);
  await page.emulateMedia({ colorScheme: null });
}

test.describe.configure({ mode: 'serial' });

test('from setup token to a class dashboard with a real learner', async ({ page: instructor, browser }) => {
  test.setTimeout(120_000);

  // A fresh install: no instructor, and sign-in points to the setup page.
  await instructor.goto('/instructor');
  await expect(instructor).toHaveURL(/\/instructor\/login/);
  await expect(instructor.getByText('No instructor account exists yet.')).toBeVisible();
  await noSevereViolations(instructor);

  const token = readFileSync(TOKEN_FILE, 'utf8').trim();
  expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  // A wrong token is refused and creates nothing.
  await instructor.goto('/instructor/setup?token=wrong-token-wrong-token-wrong');
  await instructor.getByLabel('Your name').fill('Tess Teacher');
  await instructor.getByLabel('Email').fill(EMAIL);
  await instructor.getByLabel('Password').fill(PASSWORD);
  await instructor.getByRole('button', { name: 'Create instructor account' }).click();
  await expect(instructor.locator('#setup-error')).toContainText('wrong, expired or already used');

  await instructor.goto(`/instructor/setup?token=${token}`);
  await noSevereViolations(instructor);
  await instructor.getByLabel('Your name').fill('Tess Teacher');
  await instructor.getByLabel('Email').fill(EMAIL);
  await instructor.getByLabel('Password').fill(PASSWORD);
  await instructor.getByRole('button', { name: 'Create instructor account' }).click();
  await expect(instructor.getByRole('status')).toContainText('Your instructor account is ready');
  // Issue 19: the token's file does not outlive the setup.
  expect(existsSync(TOKEN_FILE)).toBe(false);

  // The token is spent: the setup page now only says so.
  await instructor.goto(`/instructor/setup?token=${token}`);
  await expect(instructor.getByText('An instructor account already exists.')).toBeVisible();

  await instructor.goto('/instructor/login');
  await instructor.getByLabel('Email').fill(EMAIL);
  await instructor.getByLabel('Password').fill(PASSWORD);
  await instructor.getByRole('button', { name: 'Sign in' }).click();
  await expect(instructor.getByRole('heading', { name: 'Your classes' })).toBeVisible();
  await instructor.getByLabel('New class name').fill('Period 4');
  await instructor.getByRole('button', { name: 'Create class' }).click();
  await expect(instructor.getByRole('heading', { name: 'Period 4' })).toBeVisible();
  const classUrl = instructor.url();
  const joinCode = (await instructor.getByTestId('join-code').innerText()).trim();
  expect(joinCode).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
  await noSevereViolations(instructor);

  // The learner, in a browser of their own.
  const learnerContext = await browser.newContext();
  const learner = await learnerContext.newPage();
  await learner.goto(LESSON);
  await scrollToKnowledgeCheck(learner);
  await learner.getByLabel('Display name (optional)').fill('Lin');
  await learner.getByRole('button', { name: 'Save name' }).click();
  await learner.getByLabel('Class join code').fill(joinCode.toLowerCase());
  await learner.getByRole('button', { name: 'Join class' }).click();
  await expect(learner.getByText('Your classes: Period 4')).toBeVisible();
  const check = learner.locator('[data-quiz="knowledge-check"]');
  const first = check.getByRole('group', { name: /Why does training a neural network need the chain rule/ });
  await first.locator('label', { hasNotText: CORRECT }).first().getByRole('radio').check();
  await first.getByRole('button', { name: 'Check answer' }).click();
  await expect(first.getByRole('status')).toContainText('Not quite.');
  await first.getByRole('radio', { name: CORRECT }).check();
  await first.getByRole('button', { name: 'Check answer' }).click();
  await expect(first.getByRole('status')).toContainText('Correct.');

  // A learner is refused every instructor page and export with 403.
  for (const target of [
    '/instructor',
    classUrl.replace(/^https?:\/\/[^/]+/, ''),
    `${classUrl.replace(/^https?:\/\/[^/]+/, '').replace('/instructor/', '/api/instructor/')}/overview.csv`,
  ]) {
    const response = await learner.goto(target);
    expect(response?.status(), target).toBe(403);
  }
  await learnerContext.close();

  // Overview: Lin's row with the score of their latest attempt.
  await instructor.goto(classUrl);
  const row = instructor.getByRole('row', { name: /Lin/ });
  await expect(row).toBeVisible();
  await expect(row.getByRole('cell').nth(2)).not.toHaveText('—');

  // Question analysis: one learner answered Q1, first attempt wrong; statistics say why they are missing.
  await instructor.getByRole('link', { name: 'Question analysis' }).click();
  const q1 = instructor.locator('section[data-question-id="why-chain-rule"]');
  await expect(q1.getByText('Learners (first attempts)')).toBeVisible();
  await expect(q1.locator('dd').first()).toHaveText('1');
  await expect(q1.getByText('Too few learners have answered this question').first()).toBeVisible();
  await expect(q1.getByRole('row', { name: new RegExp(CORRECT.slice(0, 30)) })).toContainText('0');
  // Every question of the knowledge check has a section here: the quiz score below is 1 of them.
  const questionCount = await instructor.locator('section[data-question-id]').count();
  expect(questionCount).toBeGreaterThan(3);
  await noSevereViolations(instructor);

  // Timeline: both answers in order with the feedback Lin saw.
  await instructor.goto(classUrl);
  await instructor.getByRole('link', { name: 'Lin' }).click();
  await expect(instructor.getByRole('heading', { name: 'Lin' })).toBeVisible();
  const answers = instructor.locator('li[data-kind="answer"]');
  await expect(answers).toHaveCount(2);
  await expect(answers.nth(0)).toContainText('Not quite.');
  await expect(answers.nth(1)).toContainText('Correct.');
  await expect(answers.nth(1)).toContainText('right on attempt 2');
  await noSevereViolations(instructor);

  // CSV download of the overview.
  await instructor.goto(classUrl);
  const [download] = await Promise.all([
    instructor.waitForEvent('download'),
    instructor.getByRole('link', { name: 'overview (CSV)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^Period-4-overview-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
  const lines = csv.trimEnd().split('\r\n');
  expect(lines[0]).toMatch(/^learner_id,name,sections_read,widgets_used,quiz_score,/);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toMatch(/^[0-9a-f-]{36},Lin,\d+,\d+,0\.\d+,/);
  // One right answer (after a wrong one) out of every question of the check.
  expect(Number(lines[1]!.split(',')[4])).toBeCloseTo(1 / questionCount, 3);

  // Sign-out invalidates the session on the server: the old cookie no longer opens the class.
  const cookies = await instructor.context().cookies();
  await instructor.goto('/instructor');
  await instructor.getByRole('button', { name: 'Sign out' }).click();
  await expect(instructor.getByRole('status')).toContainText('You have signed out.');
  const replay = await browser.newContext();
  await replay.addCookies(cookies);
  const stale = await replay.newPage();
  await stale.goto(classUrl);
  await expect(stale).toHaveURL(/\/instructor\/login/);
  await replay.close();
});
