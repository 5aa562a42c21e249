import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';

import {
  formulaPractice,
  graphPractice,
  knowledgeCheck,
  networkPractice,
} from '../../content/lessons/chain-rule-computational-graphs/questions';
import { formatNumber } from '../../lib/quiz/format';

/**
 * The knowledge check as a learner meets it (issue 16, items 1-5 and 7): every question usable
 * wherever the learner lands, the loss stated, hints in the learner's own numbers that are true
 * for their label, practice on new numbers that leaves the graded answer alone, and formula
 * answers with a typeset preview. Expected values are computed here from closed forms.
 */

// Each test loads the whole lesson, often more than once, on a machine shared with builds.
test.describe.configure({ timeout: 90_000 });

const LESSON = '/lessons/chain-rule-computational-graphs';
/** Every question of the knowledge check, in page order (issue 16, item 1: any question, any route). */
const QUESTIONS = [...knowledgeCheck, ...graphPractice, ...formulaPractice, ...networkPractice].map(
  (question) => question.id,
);
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

async function givens(scope: Locator): Promise<Record<string, number>> {
  const values: Record<string, number> = {};
  for (const item of await scope.locator('dl[aria-label="Your numbers"] > div').all()) {
    const name = (await item.locator('dt').innerText()).trim().replace(/^label /, '');
    values[name === 'η' ? 'eta' : name] = Number((await item.locator('dd').innerText()).replace('−', '-'));
  }
  return values;
}

/** The first control a learner would use on the question: an option, a number box or the formula box. */
function firstInput(question: Locator): Locator {
  return question.locator('form input').first();
}

/**
 * Straight to the question's anchor on a fresh page, no scrolling: its prompt shows and its
 * input is enabled, with the question in view. Prints the time from navigation to an enabled
 * input with the question's prompt in the viewport, what the learner sees and can use (a figure,
 * not a test of speed: docs/decisions/013 records the measurements).
 */
async function landOn(
  page: Page,
  id: string,
): Promise<{ dcl: number; state: number | null; stateRequests: number; enabled: number }> {
  await page.goto(`${LESSON}#question-${id}`, { waitUntil: 'commit' });
  const question = page.locator(`[data-question="${id}"]`);
  // Checked on every frame in the page: the moment the first input is usable and in view, on the page's clock.
  const enabled = await page.waitForFunction(
    (questionId) => {
      const input = document.querySelector<HTMLInputElement>(`[data-question="${questionId}"] form input`);
      if (!input || input.disabled) return null;
      // The question's start (its prompt) in view; a long prompt may push the input below a phone's fold.
      const top = document.querySelector(`[data-question="${questionId}"]`)!.getBoundingClientRect().top;
      return top >= 0 && top < window.innerHeight ? performance.now() : null;
    },
    id,
    { polling: 'raf', timeout: 30_000 },
  );
  await expect(question.locator('legend').first()).toBeVisible();
  await expect(firstInput(question)).toBeEnabled();
  await expect(question).toBeInViewport();
  return page.evaluate(
    (at) => {
      const navigation = performance.getEntriesByType('navigation')[0] as unknown as {
        domContentLoadedEventEnd: number;
      };
      const states = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((entry) =>
        entry.name.endsWith('/state'),
      );
      return {
        dcl: navigation.domContentLoadedEventEnd,
        state: states[0] ? states[0].responseEnd : null,
        stateRequests: states.length,
        enabled: at,
      };
    },
    (await enabled.jsonValue())!,
  );
}

for (const width of [
  { name: 'phone', viewport: { width: 390, height: 600 }, isMobile: true },
  { name: 'desktop', viewport: { width: 1280, height: 800 }, isMobile: false },
]) {
  test.describe(`landing on a question (${width.name})`, () => {
    test.use({ viewport: width.viewport, isMobile: width.isMobile, hasTouch: width.isMobile });

    test('every question is usable at once from its anchor, with its numbers', async ({ browser }) => {
      // Nine fresh pages on a shared 2-core machine.
      test.setTimeout(300_000);
      const figures: string[] = [];
      for (const id of QUESTIONS) {
        // A fresh context per question: a first visit, no state and no scroll position.
        const context = await browser.newContext({ viewport: width.viewport, isMobile: width.isMobile });
        const page = await context.newPage();
        const times = await landOn(page, id);
        const question = page.locator(`[data-question="${id}"]`);
        if ([...graphPractice, ...networkPractice].some((question) => question.id === id)) {
          expect(Object.keys(await givens(question)).length).toBeGreaterThanOrEqual(3);
        }
        // One state request: the page's inline script starts it and the quiz adopts it (no second
        // request, which would start a second session).
        expect(times.stateRequests).toBe(1);
        const state = times.state === null ? '?' : Math.round(times.state);
        figures.push(
          `${id}: DOMContentLoaded ${Math.round(times.dcl)} ms, state ${state} ms, input enabled in view ${Math.round(times.enabled)} ms`,
        );
        await context.close();
      }
      console.log(`[quiz-anchors ${width.name}] from navigation start:\n  ${figures.join('\n  ')}`);
    });
  });
}

test('a landing jumps to the question; the learner’s own jumps elsewhere are smooth again', async ({ page }) => {
  await landOn(page, 'reused-node');
  // Smooth scrolling from the stylesheet would carry the landing through the whole lesson.
  const behaviour = () => page.evaluate(() => getComputedStyle(document.documentElement).scrollBehavior);
  expect(await behaviour()).toBe('auto');
  await page.locator('nav.toc a[href="#aha"]').click();
  await expect(page).toHaveURL(/#aha$/);
  expect(await behaviour()).toBe('smooth');
});

test('each question on the neuron states its loss with a formula, and the label y', async ({ page }) => {
  await page.goto(`${LESSON}#question-edge-sigmoid`);
  for (const [id, loss] of [
    ['edge-sigmoid', 'binary cross-entropy'],
    ['chain-factors', 'squared error'],
    ['gradient-dl-dw', 'binary cross-entropy'],
    ['gradient-step', 'binary cross-entropy'],
  ] as const) {
    const question = page.locator(`[data-question="${id}"]`);
    await expect(question.getByText(`Loss: ${loss}`)).toBeVisible();
    await expect(question.locator('dl[aria-label="Your numbers"]')).toContainText('label y');
  }
  // The reused-node graph ends in L = p·z, stated in its prompt.
  await expect(page.locator('[data-question="reused-node"] legend')).toContainText('L = p');
});

test('a sign error gets a hint true for the learner’s label, and the question stays open', async ({ page }) => {
  await landOn(page, 'gradient-dl-dw');
  const question = page.locator('[data-question="gradient-dl-dw"] form').first();
  const g = await givens(question);
  const a = sigmoid(g.w! * g.x! + g.b!);
  const dLdw = (a - g.y!) * g.x!;
  await question.getByRole('textbox').fill(String(-dLdw));
  await question.getByRole('button', { name: 'Check answer' }).click();
  const status = question.getByRole('status');
  await expect(status).toContainText(`With y = ${g.y}`);
  await expect(status).toContainText(g.y === 1 ? 'negative' : 'positive');
  await expect(status).toContainText(formatNumber(-dLdw));
  await expect(status).toContainText('Attempt 2 of 3.');
  await expect(question.getByRole('textbox')).toBeEnabled();
  // The retry on the same numbers is graded right.
  await question.getByRole('textbox').fill(dLdw.toFixed(5));
  await question.getByRole('button', { name: 'Check answer' }).click();
  await expect(status).toContainText('Correct.');
});

test('a wrong choice is told why that option is wrong, and out of attempts sees no key', async ({ page }) => {
  await landOn(page, 'local-derivative-meaning');
  const question = page.locator('[data-question="local-derivative-meaning"]');
  const wrongOption = 'How the loss changes when one weight changes, with everything else held fixed.';
  await question.getByRole('radio', { name: wrongOption }).check();
  await question.getByRole('button', { name: 'Check answer' }).click();
  await expect(question.getByRole('status')).toContainText(
    'Not quite. How the loss responds to a weight is a gradient',
  );
  // Another wrong option (the one chosen before stays selected, so checking it again changes nothing).
  await question
    .getByRole('radio', { name: 'The product of the slopes on the path from a node all the way to the loss.' })
    .check();
  await question.getByRole('button', { name: 'Check answer' }).click();
  await expect(question.getByRole('status')).toContainText('No attempts left.');
  await expect(question).toContainText('A local derivative is about one operation only');
  await expect(question.getByText('Correct answer')).toHaveCount(0);
  // No practice round for a choice question (its options would stay the same): it points to the
  // question on the same skill that deals new numbers, and the link takes the learner there.
  await expect(question.getByRole('button', { name: /Practice/ })).toHaveCount(0);
  await question.getByRole('link', { name: 'question 4' }).click();
  await expect(page).toHaveURL(/#question-edge-sigmoid$/);
  await expect(page.locator('[data-question="edge-sigmoid"] legend').first()).toBeInViewport();
});

test('practice with new numbers after a finished question leaves the graded answer alone', async ({ page }) => {
  test.setTimeout(90_000);
  await landOn(page, 'edge-sigmoid');
  const question = page.locator('[data-question="edge-sigmoid"]');
  const graded = question.locator('form').first();
  const g = await givens(graded);
  const a = sigmoid(g.w! * g.x! + g.b!);
  await graded.getByRole('textbox').fill((a * (1 - a)).toFixed(5));
  await graded.getByRole('button', { name: 'Check answer' }).click();
  await expect(graded.getByRole('status')).toContainText('Solved on attempt 1.');

  const practiceBlock = question.locator('[data-practice="edge-sigmoid"]');
  await practiceBlock.getByRole('button', { name: 'Practice with new numbers' }).click();
  const practice = practiceBlock.locator('form');
  await expect(practice.locator('legend')).toContainText('Practice round 1 (not graded)');
  const p = await givens(practice);
  expect(p).not.toEqual(g);
  const pa = sigmoid(p.w! * p.x! + p.b!);
  // σ(z) where its slope belongs: the hint names it with the practice numbers.
  await practice.getByRole('textbox').fill(pa.toFixed(5));
  await practice.getByRole('button', { name: 'Check answer' }).click();
  await expect(practice.getByRole('status')).toContainText(`with your numbers a = ${formatNumber(pa)}`);
  await practice.getByRole('textbox').fill((pa * (1 - pa)).toFixed(5));
  await practice.getByRole('button', { name: 'Check answer' }).click();
  await expect(practice.getByRole('status')).toContainText('Correct.');
  await expect(practiceBlock.getByRole('button', { name: 'Practice again with new numbers' })).toBeVisible();

  const results = await new AxeBuilder({ page }).include('[data-question="edge-sigmoid"]').analyze();
  expect(results.violations.map((violation) => violation.id)).toEqual([]);

  // The graded answer and its status are unchanged after a reload; practice is not the score.
  await page.reload();
  await expect(question.locator('form').first().getByRole('status')).toContainText('Solved on attempt 1.', {
    timeout: 20_000,
  });
});

test('a formula answer: typeset preview, errors with their position, a named missing factor', async ({ page }) => {
  test.setTimeout(90_000);
  await landOn(page, 'formula-dl-dw');
  const question = page.locator('[data-question="formula-dl-dw"]');
  const box = question.getByRole('textbox', { name: '∂L/∂w =' });
  await box.fill('(a - y');
  await expect(question.getByText(/line 1, col \d+/)).toBeVisible();
  await question.getByRole('button', { name: 'Go to the error' }).click();
  await expect(box).toBeFocused();
  // The caret is placed, nothing is selected: the next key does not delete a character.
  expect(await box.evaluate((input: HTMLInputElement) => input.selectionEnd! - input.selectionStart!)).toBe(0);

  await box.fill('a - y');
  const preview = question.locator('#formula-dl-dw-preview');
  await expect(preview.locator('.katex')).toBeVisible();
  await question.getByRole('button', { name: 'Check answer' }).click();
  await expect(question.getByRole('status')).toContainText('∂z/∂w = x');
  await expect(question.getByRole('status')).toContainText('Attempt 2 of 3.');

  await box.fill('(sigmoid(w*x + b) - y) * x');
  await expect(preview.locator('.katex')).toContainText('σ');
  await question.getByRole('button', { name: 'Check answer' }).click();
  await expect(question.getByRole('status')).toContainText('Correct.');

  const results = await new AxeBuilder({ page }).include('[data-question="formula-dl-dw"]').analyze();
  expect(results.violations.map((violation) => violation.id)).toEqual([]);
});

test('the lesson ships no KaTeX JavaScript: the formula preview is typeset on the server', async ({
  page,
  request,
}) => {
  const html = await (await request.get(LESSON)).text();
  const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((match) => match[1]!);
  const bundles = await Promise.all(scripts.map(async (src) => (await request.get(src)).text()));
  // Strings from KaTeX's own parser: present in any bundle that contains KaTeX.
  for (const bundle of bundles) expect(bundle).not.toContain('KaTeX parse error');
  // Scripts loaded later (when the quiz wakes) do not carry it either.
  const loaded: string[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script') loaded.push(response.url());
  });
  await landOn(page, 'formula-dl-dw');
  await page.locator('#formula-dl-dw-expression').fill('a*x');
  await expect(page.locator('#formula-dl-dw-preview .katex')).toBeVisible();
  for (const url of loaded) expect(await (await request.get(url)).text()).not.toContain('KaTeX parse error');
});
