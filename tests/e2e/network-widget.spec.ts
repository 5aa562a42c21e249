import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';

import { dataset } from '../../lib/network/data';
import { initialParameters, parameterNames } from '../../lib/network/model';

// The two-layer network widget (issue 17): blame along paths to a first-layer weight,
// live training, a run that blows up, keyboard use and axe.
const LESSON = '/lessons/chain-rule-computational-graphs';

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

function network(page: Page): Locator {
  return page.locator('[data-widget="network"]');
}

/**
 * ∂L/∂w1_jk at one point of the default 2-3-1 tanh network, from the hand-derived chain:
 * (p − y) · w2_1j · (1 − tanh²(z1_j)) · x_k. Independent of the engine.
 */
function closedFormFirstLayer(point: number, j: number, k: number): number {
  const params = initialParameters(2, 1);
  const names = parameterNames(2);
  const v = (name: string) => params[names.indexOf(name)]!;
  const { xs, ys } = dataset('xor');
  const x = [xs[2 * point]!, xs[2 * point + 1]!];
  const z = [1, 2, 3].map((u) => v(`w1_${u}1`) * x[0]! + v(`w1_${u}2`) * x[1]! + v(`b1_${u}`));
  const h = z.map(Math.tanh);
  const out = v('w2_11') * h[0]! + v('w2_12') * h[1]! + v('w2_13') * h[2]! + v('b2_1');
  const p = 1 / (1 + Math.exp(-out));
  return (p - ys[point]!) * v(`w2_1${j}`) * (1 - h[j - 1]! ** 2) * x[k - 1]!;
}

test('a first-layer weight: predict, then one path whose product is the gradient, checked by nudging', async ({
  page,
}) => {
  await page.goto(`${LESSON}?nn.point=5`);
  const widget = network(page);
  await ready(widget);
  await widget.getByLabel('Blame for').selectOption('w1_12');
  const paths = widget.locator('[data-paths-for="w1_12"]');
  await expect(paths).toHaveAttribute('data-path-count', '1');
  // Hidden until the learner commits to a sign.
  await expect(paths.locator('[data-path-product]')).toHaveCount(0);
  const expected = closedFormFirstLayer(5, 1, 2);
  await widget.getByRole('button', { name: `Predict dL/dw1_12 is ${expected > 0 ? 'positive' : 'negative'}` }).click();
  await expect(widget.locator('[data-predict] [data-correct]')).toHaveAttribute('data-correct', 'true');

  const check = widget.locator('[data-paths-sum]');
  const sum = await numberAttr(check, 'data-paths-sum');
  const engine = await numberAttr(check, 'data-engine-grad');
  const nudge = await numberAttr(check, 'data-finite-difference');
  expect(Math.abs(sum - expected)).toBeLessThanOrEqual(1e-12 * Math.abs(expected));
  expect(Math.abs(engine - expected)).toBeLessThanOrEqual(1e-12 * Math.abs(expected));
  expect(Math.abs(nudge - expected)).toBeLessThan(1e-7);
  expect(await numberAttr(paths.locator('[data-path-product]'), 'data-path-product')).toBe(sum);
  // The parameter's row carries the same gradient.
  expect(await numberAttr(widget.locator('tr[data-node="w1_12"]'), 'data-grad')).toBe(engine);

  // Three layers: the same weight now reaches L through each of the three second-layer units.
  await widget.getByRole('radio', { name: '3' }).check();
  await expect(widget.locator('[data-paths-for="w1_12"]')).toHaveAttribute('data-path-count', '3');
  // And every operation is drawn, each node with its value and gradient.
  await widget.getByRole('radio', { name: 'every operation' }).check();
  await expect(widget.locator('g[data-node="w1_12"]')).toHaveCount(1);
  await expect(widget.locator('g[data-node="L"]')).toHaveAttribute('data-grad', '1');
  await expect(widget.locator('[data-edge][data-active="true"]').first()).toBeVisible();
});

test('fifty steps on the line data: the loss falls and the link replays the same network', async ({ page }) => {
  await page.goto(LESSON);
  const widget = network(page);
  await ready(widget);
  await widget.getByRole('radio', { name: 'line' }).check();
  const counter = widget.locator('[data-steps]');
  await expect(counter).toHaveAttribute('data-steps', '0');
  const start = await numberAttr(counter, 'data-loss');
  await widget.getByRole('button', { name: 'Play' }).click();
  await expect.poll(async () => numberAttr(counter, 'data-steps'), { timeout: 20_000 }).toBeGreaterThanOrEqual(50);
  await widget.getByRole('button', { name: 'Pause' }).click();
  const steps = await numberAttr(counter, 'data-steps');
  const loss = await numberAttr(counter, 'data-loss');
  expect(loss).toBeLessThan(0.5 * start);
  await expect(widget.locator('[aria-live="polite"]').first()).toContainText(`After ${steps} steps the training loss`);

  // The URL holds the steps: a reload replays them to the same loss.
  await expect.poll(() => new URL(page.url()).searchParams.get('nn.steps')).toBe(String(steps));
  await page.reload();
  const again = network(page);
  await ready(again);
  await expect(again.locator('[data-steps]')).toHaveAttribute('data-steps', String(steps));
  expect(await numberAttr(again.locator('[data-steps]'), 'data-loss')).toBe(loss);
});

test('a new data set while playing starts its run from step 0 and keeps playing', async ({ page }) => {
  // The setup changes in a transition; the play loop must not carry the old run's step count
  // into the new setup while it is pending.
  await page.goto(LESSON);
  const widget = network(page);
  await ready(widget);
  const counter = widget.locator('[data-steps]');
  await widget.getByRole('button', { name: 'Play' }).click();
  await expect.poll(async () => numberAttr(counter, 'data-steps'), { timeout: 20_000 }).toBeGreaterThanOrEqual(40);
  const before = await numberAttr(counter, 'data-steps');
  await widget.getByRole('radio', { name: 'circles' }).click();
  await expect(widget.getByRole('radio', { name: 'circles' })).toBeChecked();
  await expect.poll(async () => numberAttr(counter, 'data-steps'), { intervals: [20] }).toBeLessThan(before);
  await expect(widget.getByRole('button', { name: 'Pause' })).toBeVisible();
  await widget.getByRole('button', { name: 'Pause' }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get('nn.data')).toBe('circles');
});

test('too large a learning rate: training stops with a message naming the step, and resets', async ({ page }) => {
  await page.goto(LESSON);
  const widget = network(page);
  await ready(widget);
  await widget.getByRole('button', { name: 'Too large a learning rate' }).click();
  const stopped = widget.locator('[data-diverged-at]');
  await expect(stopped).toBeVisible({ timeout: 15_000 });
  const step = await stopped.getAttribute('data-diverged-at');
  await expect(stopped).toContainText(`at step ${step}`);
  await expect(stopped).toContainText('lower the learning rate');
  // Never a blank picture: the last sane network is still drawn, with finite numbers.
  expect(Number.isFinite(await numberAttr(widget.locator('g[data-node="L"]'), 'data-value'))).toBe(true);
  await expect(widget.getByRole('button', { name: 'Play' })).toBeDisabled();
  await stopped.getByRole('button', { name: 'Reset training' }).click();
  await expect(stopped).toHaveCount(0);
  await expect(widget.locator('[data-steps]')).toHaveAttribute('data-steps', '0');
});

test('keyboard: step and play from the keyboard; axe finds nothing serious, light and dark', async ({ page }) => {
  await page.goto(LESSON);
  const widget = network(page);
  await ready(widget);
  const stepButton = widget.getByRole('button', { name: 'Step', exact: true });
  await stepButton.focus();
  await page.keyboard.press('Enter');
  await expect(widget.locator('[data-steps]')).toHaveAttribute('data-steps', '1');
  await page.keyboard.press('Tab');
  await expect(widget.getByRole('button', { name: 'Play' })).toBeFocused();
  await page.keyboard.press('Space');
  await expect(widget.getByRole('button', { name: 'Pause' })).toBeFocused();
  await page.keyboard.press('Space');
  await widget.getByLabel('Blame for').focus();
  await page.keyboard.press('ArrowDown');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const results = await new AxeBuilder({ page }).include('[data-widget="network"]').analyze();
    const severe = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(severe.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  }
});

test('reduced motion: a shared autoplay link does not start by itself', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(`${LESSON}?nn.autoplay=1`);
  const widget = network(page);
  await ready(widget);
  await page.waitForTimeout(700);
  await expect(widget.locator('[data-steps]')).toHaveAttribute('data-steps', '0');
  await expect(widget.getByRole('button', { name: 'Play' })).toHaveAttribute('aria-pressed', 'false');
});
