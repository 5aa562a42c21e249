// Issue 16, item 17: the lesson in its course, with no lesson that does not exist spoken of as if
// it did, no dead link, and one length.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

const LESSON = '/lessons/chain-rule-computational-graphs';

test('the home page shows the course, this lesson in it, and what comes next without a link', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 2, name: 'Course: How neural networks learn' })).toBeVisible();
  const planned = page.locator('[data-planned-lesson]');
  await expect(planned).toContainText('coming next, not yet available');
  await expect(planned.locator('a')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'The chain rule and computational graphs' })).toHaveAttribute(
    'href',
    LESSON,
  );
});

test('the lesson names its course, speaks of no previous or next lesson as real, and has one length', async ({
  page,
}) => {
  await page.goto(LESSON);
  const header = page.locator('.lesson-header');
  await expect(header.getByRole('link', { name: 'How neural networks learn' })).toHaveAttribute('href', '/#lessons');
  const text = await page.locator('article').innerText();
  expect(text).not.toMatch(/previous lesson/i);
  // "Next lesson" only as the clearly marked "Coming next (not yet available)".
  expect(text).not.toMatch(/the next lesson/i);
  await expect(page.locator('article p', { hasText: 'Coming next' })).toContainText('Coming next (not yet available)');
  // Every length the page states is the frontmatter's.
  const minutes = [...text.matchAll(/(\d+)[ -]minute/g)].map((match) => match[1]);
  expect(minutes.length).toBeGreaterThan(0);
  for (const value of minutes) expect(value).toBe('40');
  await expect(header).toContainText('About 40 minutes');
});

test('every in-page link of the lesson leads somewhere on the page', async ({ page }) => {
  await page.goto(LESSON);
  const targets = await page
    .locator('article a[href^="#"]')
    .evaluateAll((links) => links.map((link) => decodeURIComponent(link.getAttribute('href')!.slice(1))));
  expect(targets).toContain('resources');
  for (const id of targets) expect(await page.locator(`[id="${id}"]`).count(), id).toBeGreaterThan(0);
});

test('the home page with its course is axe-clean in light and dark mode', async ({ page }) => {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/');
    const results = await new AxeBuilder({ page }).analyze();
    const severe = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(severe.map((v) => `${scheme} ${v.id}: ${v.help}`)).toEqual([]);
  }
});
