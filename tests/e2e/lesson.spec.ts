import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

const LESSON = '/lessons/chain-rule-computational-graphs';

test('the course index lists the lesson and links to it', async ({ page }) => {
  await page.goto('/');
  const link = page.getByRole('link', { name: 'The chain rule and computational graphs' });
  await expect(link).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(new RegExp(`${LESSON}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('The chain rule and computational graphs');
});

test('the lesson renders KaTeX, a working table of contents and the knowledge check', async ({ page }) => {
  const response = await page.goto(LESSON);
  expect(response?.status()).toBe(200);

  // Server-rendered KaTeX: MathML for screen readers plus the visual HTML.
  await expect(page.locator('.katex math').first()).toBeAttached();
  expect(await page.locator('.katex').count()).toBeGreaterThan(5);

  const toc = page.getByRole('navigation', { name: 'On this page' });
  await toc.getByRole('link', { name: /knowledge check/i }).click();
  await expect(page).toHaveURL(/#knowledge-check$/);
  await expect(page.locator('#knowledge-check')).toBeInViewport();

  const check = page.locator('[data-quiz="knowledge-check"]');
  await expect(check.getByRole('group')).toHaveCount(3);
  await expect(
    check.getByRole('group', { name: /Why does training a neural network need the chain rule/ }),
  ).toBeVisible();
  await expect(check.getByRole('radio')).toHaveCount(9);
});

test('the lesson has no serious or critical accessibility violations', async ({ page }) => {
  await page.goto(LESSON);
  const results = await new AxeBuilder({ page }).analyze();
  const severe = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(severe.map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes)`)).toEqual([]);
});

test('KaTeX fonts are served by the app itself, not a CDN', async ({ page }) => {
  const external: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.hostname !== '127.0.0.1' && url.protocol.startsWith('http')) external.push(request.url());
  });
  await page.goto(LESSON);
  await page.waitForLoadState('networkidle');
  expect(external).toEqual([]);
});
