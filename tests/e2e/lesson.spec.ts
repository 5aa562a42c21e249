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

test('every formula keeps its typeset markup after the router shows the lesson again', async ({ page }) => {
  // The RSC payload carries each formula's TeX only; the markup comes from the server's HTML
  // (app/_components/lesson/Formula.tsx). Count formulas that have it, and any that are empty.
  const formulas = () =>
    page.evaluate(() => {
      // The lesson's own formulas; widgets typeset their labels themselves, without MathML.
      const all = [...document.querySelectorAll('.lesson .katex')].filter(
        (element) => !element.closest('[data-widget]'),
      );
      return { total: all.length, empty: all.filter((element) => element.querySelector('math') === null).length };
    });
  await page.goto(LESSON);
  const first = await formulas();
  expect(first.total).toBeGreaterThan(100);
  expect(first.empty).toBe(0);

  // Away with a client-side navigation, then back: the router renders the lesson from its cache.
  await page.locator('header').getByRole('link', { name: 'Autodidact' }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('The chain rule and computational graphs');
  expect(await formulas()).toEqual(first);

  // Into the lesson by the client router from a page that never held it: loaded whole instead.
  await page.goto('/');
  await page.evaluate(
    (href) => (window as unknown as { next: { router: { push(href: string): void } } }).next.router.push(href),
    LESSON,
  );
  await expect(page).toHaveURL(new RegExp(`${LESSON}$`));
  // The page reloads itself once while this polls; a count cut short by that reload is retried.
  await expect.poll(() => formulas().catch(() => null), { timeout: 15_000 }).toEqual(first);
});

test('the lesson has no serious or critical accessibility violations, in light and dark mode', async ({ page }) => {
  // Two axe scans of the whole lesson (about 10,000 elements), 15-20 s each on a 2-core machine.
  test.setTimeout(120_000);
  await page.goto(LESSON);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const results = await new AxeBuilder({ page }).analyze();
    const severe = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(severe.map((v) => `${colorScheme}: ${v.id}: ${v.help} (${v.nodes.length} nodes)`)).toEqual([]);
  }
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
