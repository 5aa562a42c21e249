// The lesson text on a small phone (the `phone` project, narrowed to 320 px, the width WCAG's
// reflow criterion uses): blocks wider than the screen scroll inside their own box, can be
// reached and scrolled by keyboard, and the whole page passes axe at this width too
// (lesson.spec.ts scans it at desktop width).
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

const LESSON = '/lessons/chain-rule-computational-graphs';

test.use({ viewport: { width: 320, height: 640 } });

test('wide formulas and code scroll in their own box, by keyboard too, and the page is axe-clean', async ({ page }) => {
  await page.goto(LESSON);
  // The chain rule with a label under each factor, and the PyTorch sample: wider than 320 px.
  const labelled = page.locator('article.lesson .katex-display', {
    has: page.locator('annotation', { hasText: '\\underbrace' }),
  });
  const code = page.locator('article.lesson pre', { hasText: 'import torch' });
  // Both are far below the first screen, in runs the browser has not laid out yet; they join
  // the tab order once measured, without being scrolled to.
  for (const block of [labelled, code]) await expect(block).toHaveAttribute('tabindex', '0', { timeout: 10_000 });
  // A formula that fits stays out of the tab order.
  const fits = page.locator('article.lesson .katex-display', {
    has: page.locator('annotation', { hasText: '\\frac{\\partial L}{\\partial b} = ' }),
  });
  await fits.scrollIntoViewIfNeeded();
  await expect(fits).not.toHaveAttribute('tabindex', /.*/);

  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  await labelled.scrollIntoViewIfNeeded();
  await labelled.focus();
  await expect(labelled).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => labelled.evaluate((element) => element.scrollLeft)).toBeGreaterThan(0);

  const results = await new AxeBuilder({ page }).analyze();
  const severe = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(severe.map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes)`)).toEqual([]);
});
