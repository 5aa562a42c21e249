// The lesson text on a small phone (the `phone` project, narrowed to 320 px, the width WCAG's
// reflow criterion uses): blocks wider than the screen scroll inside their own box, a keyboard
// reaches them in reading order and scrolls them, and the page passes axe at this width too
// (lesson.spec.ts scans it at desktop width).
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';

const LESSON = '/lessons/chain-rule-computational-graphs';

test.use({ viewport: { width: 320, height: 640 } });

function displayFormula(page: Page, tex: string): Locator {
  return page.locator('article.lesson .katex-display', { has: page.locator('annotation', { hasText: tex }) });
}

test('a keyboard reaches wide formulas in reading order and scrolls them; the page is axe-clean', async ({ page }) => {
  // Up to 300 Tab presses and two axe scans of the whole lesson (about 10,000 elements, 15-20 s
  // each on a 2-core machine).
  test.setTimeout(180_000);
  await page.goto(LESSON);
  // The chain rule with a label under each factor: wider than 320 px, and 4,000 px down the page,
  // in a run the browser has not laid out at load (content-visibility). Tab from the top, as a
  // keyboard user would, until focus reaches it: it must be in the tab order by then.
  // The first of them: the network section further down has a labelled formula too.
  const labelled = displayFormula(page, '\\underbrace').first();
  let reached = false;
  for (let presses = 0; presses < 300 && !reached; presses++) {
    await page.keyboard.press('Tab');
    reached = await labelled.evaluate((element) => element === document.activeElement);
  }
  expect(reached).toBe(true);
  await expect(labelled).toHaveAttribute('tabindex', '0');
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => labelled.evaluate((element) => element.scrollLeft)).toBeGreaterThan(0);

  // A formula that fits stays out of the tab order.
  const fits = displayFormula(page, '\\frac{\\partial L}{\\partial b} = ');
  await fits.scrollIntoViewIfNeeded();
  await expect(fits).not.toHaveAttribute('tabindex', /.*/);
  // The code sample scrolls in its own box; the page itself never scrolls sideways.
  const code = page.locator('article.lesson pre', { hasText: 'import torch' });
  await code.scrollIntoViewIfNeeded();
  await expect(code).toHaveAttribute('tabindex', '0');
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

  // Scan the page as a reader leaves it: every run of the lesson has been on screen, so every
  // block has been measured (a block joins the tab order when its run first renders).
  for (const run of await page.locator('article.lesson .lesson-run').all()) await run.scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const results = await new AxeBuilder({ page }).analyze();
    const severe = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(severe.map((v) => `${colorScheme}: ${v.id}: ${v.help} (${v.nodes.length} nodes)`)).toEqual([]);
  }
});
