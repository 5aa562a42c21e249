// Widgets 1-3 on a phone (the `phone` project: Pixel 7): nothing widens the page, the graph
// scrolls inside its own box, and tapping works.
import { expect, test } from '@playwright/test';

const LESSON = '/lessons/chain-rule-computational-graphs';

// Runs in the `phone` project only (playwright.config.ts routes *.mobile.spec.ts there).

test('the forward, backward and blame widgets fit a phone and respond to taps', async ({ page }) => {
  await page.goto(LESSON);
  for (const kind of ['forward-pass', 'backward-steps', 'blame-paths']) {
    const widget = page.locator(`[data-widget="${kind}"]`);
    // Widgets load when they come near the viewport (lazyWidget).
    await expect(async () => {
      await widget.scrollIntoViewIfNeeded({ timeout: 2000 });
      await expect(widget).toHaveAttribute('data-ready', 'true', { timeout: 2000 });
    }).toPass({ timeout: 20_000 });
    const box = await widget.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(page.viewportSize()!.width);
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  const steps = page.locator('[data-widget="backward-steps"]');
  await steps.getByRole('button', { name: 'Step ▶' }).tap();
  await expect(steps.locator('[data-step]')).toHaveAttribute('data-step', '1');

  // The graph is wider than the phone: its own box scrolls, and the labels keep their size.
  const scroller = steps.locator('svg').locator('xpath=..');
  const widths = await scroller.evaluate((el) => [el.scrollWidth, el.clientWidth]);
  expect(widths[0]).toBeGreaterThan(widths[1]!);
});
