// Issue 16, "keep the learner's state": back on the same device the learner is offered their
// section with their widget settings; a resume code (typed, or its link after a confirmation)
// carries answers, reading position and widget settings to another device; a wrong code is
// refused in plain words.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';

import { scrollToKnowledgeCheck } from './knowledge-check';

const LESSON = '/lessons/chain-rule-computational-graphs';
const WHY_CHAIN_RULE = 'The loss depends on early parameters only through many intermediate computations.';
const WORKED_EXAMPLE = { id: 'worked-example', title: 'A worked example with numbers' };

async function widgetLoaded(widget: Locator): Promise<void> {
  await expect(async () => {
    await widget.scrollIntoViewIfNeeded({ timeout: 2000 });
    await expect(widget).toHaveAttribute('data-ready', 'true', { timeout: 2000 });
  }).toPass({ timeout: 20_000 });
}

/** A learner who answered one question, set the forward-pass widget's w to 1.1 and read to the worked example. */
async function learnerWithProgress(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(LESSON);
  const widget = page.locator('[data-widget="forward-pass"]');
  await widgetLoaded(widget);
  await widget.getByLabel('w value').fill('1.1');
  await expect(page).toHaveURL(/fp\.w=1\.1/);
  await scrollToKnowledgeCheck(page);
  const question = page.locator('[data-question="why-chain-rule"]');
  await question.getByRole('radio', { name: WHY_CHAIN_RULE }).check();
  await question.getByRole('button', { name: 'Check answer' }).click();
  await expect(question.getByRole('status').first()).toContainText('Correct.');
  // Read the worked example long enough to count (the tracker waits 1.5 s), then leave the page:
  // the progress batch (with the widget settings) goes out as the page is hidden.
  // Sections far from the viewport render late (content-visibility), so the first scroll can land
  // short: scroll until the heading stays at the top, then stay there past the dwell.
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const heading = document.getElementById('worked-example')!;
          heading.scrollIntoView({ block: 'start' });
          await new Promise((resolve) => setTimeout(resolve, 400));
          const top = heading.getBoundingClientRect().top;
          return top >= 0 && top < 200;
        }),
      { timeout: 15_000 },
    )
    .toBe(true);
  await page.waitForTimeout(2500);
  await page.goto('about:blank');
  return page;
}

/**
 * The welcome-back offer names the section read last (the worked example, unless the learner read
 * on elsewhere since: `section` null accepts any) and brings the widget settings back with it.
 */
async function expectResumed(page: Page, section: { id: string; title: string } | null = WORKED_EXAMPLE) {
  const offer = page.locator('[data-progress="resume-offer"]');
  await expect(offer).toContainText(section ? `You were reading ${section.title}.` : 'You were reading');
  await expect(offer).toContainText('Your widget settings can come back too.');
  await offer.getByRole('link', { name: 'Continue reading' }).click();
  await expect(page).toHaveURL(new RegExp(`fp\\.w=1\\.1.*#${section ? section.id : '[a-z-]+'}$`));
  const widget = page.locator('[data-widget="forward-pass"]');
  await widgetLoaded(widget);
  await expect(widget.getByRole('slider', { name: 'w', exact: true })).toHaveValue('1.1');
  await scrollToKnowledgeCheck(page);
  await expect(page.locator('[data-question="why-chain-rule"]').getByRole('status').first()).toContainText(
    'Solved on attempt 1.',
    { timeout: 20_000 },
  );
}

test('back on the same device: the section and the widget settings come back', async ({ browser }) => {
  test.setTimeout(90_000);
  const page = await learnerWithProgress(browser);
  await page.goto(LESSON);
  await expectResumed(page);
  await page.context().close();
});

test('a typed resume code carries the progress to another device, once', async ({ browser }) => {
  test.setTimeout(120_000);
  const home = await learnerWithProgress(browser);
  await home.goto(LESSON);
  const panel = home.locator('[data-progress="resume-codes"]');
  await scrollToKnowledgeCheck(home);
  await panel.scrollIntoViewIfNeeded();
  await panel.getByRole('button', { name: 'Get a resume code' }).click();
  const code = (await panel.locator('[data-progress="issued-code"] strong').innerText()).trim();
  expect(code).toMatch(/^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/);
  await expect(panel).toContainText('Works once, until');
  const results = await new AxeBuilder({ page: home }).include('[data-quiz="progress"]').analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual(
    [],
  );

  const phone = await (await browser.newContext({ viewport: { width: 390, height: 740 } })).newPage();
  await phone.goto(LESSON);
  await scrollToKnowledgeCheck(phone);
  const phonePanel = phone.locator('[data-progress="resume-codes"]');
  await phonePanel.scrollIntoViewIfNeeded();
  const box = phonePanel.getByLabel('Have a code from another device?');
  // A wrong code: plain words, nothing changes.
  await box.fill('ABCDE-FGHJK');
  await phonePanel.getByRole('button', { name: 'Continue with that progress' }).click();
  await expect(phonePanel.getByRole('status')).toContainText('That code does not work.');
  // The right one, typed in lower case.
  await box.fill(code.toLowerCase());
  await phonePanel.getByRole('button', { name: 'Continue with that progress' }).click();
  await phone.waitForURL((url) => url.pathname === LESSON && url.hash === '');
  // The home page was last read at the knowledge check, where the code was made.
  await expectResumed(phone, null);

  // Used once: a third device cannot use it again.
  const third = await (await browser.newContext()).newPage();
  await third.goto(`${LESSON}#resume=${code}`);
  const prompt = third.locator('[data-progress="resume-link"]');
  await expect(prompt).toContainText('Continue with your progress from another device?');
  // The code leaves the address bar at once.
  await expect(third).toHaveURL(new RegExp(`${LESSON}$`));
  await prompt.getByRole('button', { name: 'Continue with that progress' }).click();
  await expect(prompt.getByRole('alert')).toContainText('That code does not work.');
  for (const page of [home, phone, third]) await page.context().close();
});

test('a resume link asks first, then carries the progress', async ({ browser }) => {
  test.setTimeout(120_000);
  const home = await learnerWithProgress(browser);
  await home.goto(LESSON);
  await scrollToKnowledgeCheck(home);
  const panel = home.locator('[data-progress="resume-codes"]');
  await panel.scrollIntoViewIfNeeded();
  await panel.getByRole('button', { name: 'Get a resume code' }).click();
  const link = (await panel.locator('[data-progress="issued-code"] span[class*="link"]').innerText()).trim();
  expect(link).toMatch(/#resume=[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/);

  const other = await (await browser.newContext()).newPage();
  await other.goto(link);
  const prompt = other.locator('[data-progress="resume-link"]');
  await expect(prompt).toBeVisible();
  // Nothing has switched yet: the question is unanswered in this browser.
  await scrollToKnowledgeCheck(other);
  await expect(other.locator('[data-question="why-chain-rule"]').getByRole('radio').first()).toBeEnabled({
    timeout: 15_000,
  });
  await prompt.getByRole('button', { name: 'Continue with that progress' }).click();
  await other.waitForURL((url) => url.pathname === LESSON && url.hash === '');
  await expectResumed(other, null);
  for (const page of [home, other]) await page.context().close();
});
