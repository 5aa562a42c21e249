import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';

import { evaluate, LESSON_NEURON } from '../../lib/autodiff';

// Widgets 4-6 of the lesson: the nudge test, the graph playground and one gradient step.
const LESSON = '/lessons/chain-rule-computational-graphs';
const POINT = { w: 0.8, x: 1.5, b: -0.5, y: 1 };

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * WidgetFrame marks a loaded widget (URL state read, input handled) with data-ready. A widget
 * loads when it comes near the viewport (lazyWidget), so scroll to it first, as a learner would.
 */
async function ready(widget: Locator): Promise<void> {
  // Retried: the static frame can be swapped for the loaded widget while it is being scrolled to.
  await expect(async () => {
    await widget.scrollIntoViewIfNeeded({ timeout: 2000 });
    await expect(widget).toHaveAttribute('data-ready', 'true', { timeout: 2000 });
  }).toPass({ timeout: 20_000 });
}

async function numberAttr(locator: Locator, name: string): Promise<number> {
  const text = await locator.getAttribute(name);
  expect(text, `${name} present`).not.toBeNull();
  return Number(text);
}

function widget(page: Page, kind: string): Locator {
  return page.locator(`[data-widget="${kind}"]`);
}

test.describe('nudge test', () => {
  test('shrinking h makes the central difference far more accurate than the forward one, until round-off', async ({
    page,
  }) => {
    await page.goto(LESSON);
    const nudge = widget(page, 'nudge-test');
    const h = nudge.getByRole('slider', { name: 'h', exact: true });
    await ready(nudge);
    const row = (method: string) => nudge.locator(`tr[data-method="${method}"]`);

    // Backprop's value is the engine's and, independently, the cross-entropy closed form (a - y) x.
    const backprop = await numberAttr(row('backprop'), 'data-estimate');
    const a = sigmoid(POINT.w * POINT.x + POINT.b);
    expect(backprop).toBeCloseTo((a - POINT.y) * POINT.x, 12);
    expect(backprop).toBe(evaluate(LESSON_NEURON.bce, POINT).gradients.w);

    // Default h = 0.1; two steps left on the log slider is h = 0.001 (keyboard only).
    await h.focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect(nudge.locator('table[data-h]')).toHaveAttribute('data-h', '0.001');
    const forward = await numberAttr(row('forward'), 'data-rel-error');
    const central = await numberAttr(row('central'), 'data-rel-error');
    expect(central).toBeLessThan(forward / 100);
    // The forward estimate is the textbook one, computed here from the closed-form loss.
    const loss = (w: number) => -Math.log(sigmoid(w * POINT.x + POINT.b));
    expect(await numberAttr(row('forward'), 'data-estimate')).toBeCloseTo(
      (loss(POINT.w + 0.001) - loss(POINT.w)) / 0.001,
      8,
    );

    // At h = 1e-12 round-off is back: the central difference is worse than at h = 0.001.
    await page.keyboard.press('Home');
    await expect(nudge.locator('table[data-h]')).toHaveAttribute('data-h', '1e-12');
    expect(await numberAttr(row('central'), 'data-rel-error')).toBeGreaterThan(central * 100);
  });
});

test.describe('graph playground', () => {
  test('switching reverse/forward mode changes the pass count', async ({ page }) => {
    await page.goto(LESSON);
    const playground = widget(page, 'graph-playground');
    const passes = playground.locator('[data-passes]');
    await ready(playground);
    await expect(passes).toHaveAttribute('data-passes', '1');
    await playground.getByRole('radio', { name: 'forward' }).check();
    // The neuron has four inputs (w, x, b, y): one tangent pass each.
    await expect(passes).toHaveAttribute('data-passes', '4');
    await expect(passes).toContainText('4 forward passes');
    await playground.getByRole('radio', { name: /reverse/ }).check();
    await expect(passes).toHaveAttribute('data-passes', '1');
  });

  test('a variable set by keyboard gives the same data-grad as lib/autodiff evaluate', async ({ page }) => {
    await page.goto(LESSON);
    const playground = widget(page, 'graph-playground');
    const field = playground.getByRole('spinbutton', { name: 'w value' });
    await ready(playground);
    await field.fill('1.25');
    const env = { ...POINT, w: 1.25 };
    const expected = evaluate(LESSON_NEURON.bce, env);
    const node = playground.locator('[data-node="w"]');
    await expect(node).toHaveAttribute('data-value', '1.25');
    expect(await numberAttr(node, 'data-grad')).toBeCloseTo(expected.gradients.w!, 14);
    expect(await numberAttr(playground.locator('[data-node="L"]'), 'data-value')).toBeCloseTo(expected.value, 14);

    // Arrow keys on the range input move w by one step and the gradient follows.
    await playground.getByRole('slider', { name: 'w', exact: true }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(node).toHaveAttribute('data-value', '1.26');
    const moved = evaluate(LESSON_NEURON.bce, { ...env, w: 1.26 });
    expect(await numberAttr(node, 'data-grad')).toBeCloseTo(moved.gradients.w!, 14);
  });

  test('a bad program shows its error position and keeps the page working; fixing it draws the graph', async ({
    page,
  }) => {
    await page.goto(LESSON);
    const playground = widget(page, 'graph-playground');
    const editor = playground.getByRole('textbox', { name: 'Program' });
    await ready(playground);
    await expect(playground.locator('[data-node="L"]')).toHaveCount(1);

    await editor.fill('L = sigmoif(x)');
    const error = playground.locator('[data-program-error]');
    await expect(error).toContainText('Line 1, column 5');
    await expect(error).toContainText("unknown function 'sigmoif'");
    await expect(error).toHaveAttribute('data-error-line', '1');
    await expect(error).toHaveAttribute('data-error-column', '5');
    await expect(editor).toHaveAttribute('aria-invalid', 'true');
    // The last good graph (the neuron) stays, and the rest of the page still responds.
    await expect(playground.locator('[data-node="z"]')).toHaveCount(1);
    const nudgeH = widget(page, 'nudge-test').getByRole('slider', { name: 'h', exact: true });
    await ready(widget(page, 'nudge-test'));
    await nudgeH.focus();
    await page.keyboard.press('ArrowRight');
    await expect(widget(page, 'nudge-test').locator('table[data-h]')).toHaveAttribute('data-h', '1');

    // "Go to the error" puts the caret on the misspelt name.
    await playground.getByRole('button', { name: 'Go to the error' }).click();
    await expect(editor).toBeFocused();
    expect(await editor.evaluate((el: HTMLTextAreaElement) => el.selectionStart)).toBe(4);

    const axe = await new AxeBuilder({ page }).include('[data-widget="graph-playground"]').analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);

    await editor.fill('L = sigmoid(x)');
    await expect(error).toBeEmpty();
    await expect(playground.locator('[data-node="z"]')).toHaveCount(0);
    const out = playground.locator('[data-node="L"]');
    await expect(out).toHaveAttribute('data-value', String(sigmoid(1.5)));
    const s = sigmoid(1.5);
    expect(await numberAttr(playground.locator('[data-node="x"]'), 'data-grad')).toBeCloseTo(s * (1 - s), 14);
    await expect(playground.getByRole('slider', { name: 'x', exact: true })).toBeVisible();
  });

  test('a shared link restores a typed program and its values', async ({ page }) => {
    await page.goto(LESSON);
    const playground = widget(page, 'graph-playground');
    const editor = playground.getByRole('textbox', { name: 'Program' });
    await ready(playground);
    await editor.fill('a = x*y\nL = a + a*z');
    await expect(playground.locator('[data-node="a"]')).toHaveCount(1);
    await playground.getByRole('spinbutton', { name: 'z value' }).fill('2');
    await expect.poll(() => new URL(page.url()).searchParams.get('gp.vars') ?? '').toContain('z:2');
    await expect.poll(() => new URL(page.url()).searchParams.get('gp.src')).toBe('a = x*y\nL = a + a*z');

    await page.goto(page.url());
    const again = widget(page, 'graph-playground');
    await ready(again);
    await expect(again.getByRole('textbox', { name: 'Program' })).toHaveValue('a = x*y\nL = a + a*z');
    const a = again.locator('[data-node="a"]');
    await expect(a).toHaveCount(1);
    // dL/da = 1 + z = 3 with z = 2: the restored value drives the gradient.
    await expect(a).toHaveAttribute('data-grad', '3');
  });
});

test.describe('gradient step', () => {
  test('Enter on "Take a step" lowers L, w follows w - eta * dL/dw, and a reload keeps the state', async ({ page }) => {
    await page.goto(LESSON);
    const steps = widget(page, 'gradient-step');
    const button = steps.getByRole('button', { name: 'Take a step' });
    await ready(steps);
    const counter = steps.locator('[data-steps]');

    // Independent reference: BCE after a sigmoid has dL/dw = (a - y) x; b is held fixed.
    const eta = 0.5;
    let w = POINT.w;
    const expectedW: number[] = [];
    for (let i = 0; i < 4; i++) {
      w -= eta * (sigmoid(w * POINT.x + POINT.b) - POINT.y) * POINT.x;
      expectedW.push(w);
    }
    // The lesson's hand-worked first step: 0.8 -> 1.0489.
    expect(expectedW[0]).toBeCloseTo(1.0489, 4);

    let previousLoss = await numberAttr(counter, 'data-loss');
    await button.focus();
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Enter');
      await expect(counter).toHaveAttribute('data-steps', String(i + 1));
      const loss = await numberAttr(counter, 'data-loss');
      expect(loss).toBeLessThan(previousLoss);
      previousLoss = loss;
      expect(await numberAttr(steps.locator('[data-node="w"]'), 'data-value')).toBeCloseTo(expectedW[i]!, 12);
    }
    await expect(steps.locator('[data-param="w"]')).toContainText('=');

    await expect.poll(() => new URL(page.url()).searchParams.get('gs.steps')).toBe('4');
    await page.reload();
    const reloaded = widget(page, 'gradient-step');
    await ready(reloaded);
    await expect(reloaded.locator('[data-steps]')).toHaveAttribute('data-steps', '4');
    expect(await numberAttr(reloaded.locator('[data-node="w"]'), 'data-value')).toBeCloseTo(expectedW[3]!, 12);
    expect(await numberAttr(reloaded.locator('[data-steps]'), 'data-loss')).toBe(previousLoss);
  });

  test('an instructor link can hide Play and lock w', async ({ page }) => {
    await page.goto(`${LESSON}?gs.hide=play&gs.lock=w&gs.eta=1.5`);
    const steps = widget(page, 'gradient-step');
    await ready(steps);
    await expect(steps.getByRole('button', { name: /Play|Pause/ })).toHaveCount(0);
    await expect(steps.getByRole('slider', { name: 'w', exact: true })).toBeDisabled();
    await expect(steps.getByRole('slider', { name: 'η', exact: true })).toHaveValue('1.5');
  });
});
