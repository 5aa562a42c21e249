// Widgets 1, 2, 3 and predict-then-reveal, driven as a student would (keyboard, mouse, typed
// numbers), with every number checked against the one engine, lib/autodiff.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';

import { compile, EXAMPLE_PROGRAMS, LESSON_NEURON } from '../../lib/autodiff';
import { backwardSteps } from '../../lib/graph/backward-steps';
import { edgeKey } from '../../lib/graph/types';

const LESSON = '/lessons/chain-rule-computational-graphs';
// The widgets open on the lesson's worked example: cross-entropy loss at these inputs.
const DEFAULTS = { x: 1.5, w: 0.8, b: -0.5, y: 1 };
const neuron = (loss: 'sq' | 'bce' = 'bce') => compile(loss === 'bce' ? LESSON_NEURON.bce : LESSON_NEURON.squaredError);

async function open(page: Page, kind: string, query = ''): Promise<Locator> {
  await page.goto(`${LESSON}${query}`);
  const widget = page.locator(`[data-widget="${kind}"]`);
  // A widget loads when it comes near the viewport (lazyWidget): scroll to it, then wait until
  // it is loaded, since input before that point would be lost.
  await loaded(widget);
  return widget;
}

/** Scrolls to a widget and waits until it has loaded (retried: the frame is swapped on load). */
async function loaded(widget: Locator): Promise<void> {
  await expect(async () => {
    await widget.scrollIntoViewIfNeeded({ timeout: 2000 });
    await expect(widget).toHaveAttribute('data-ready', 'true', { timeout: 2000 });
  }).toPass({ timeout: 20_000 });
}

async function nodeNumber(widget: Locator, node: string, attribute: 'data-value' | 'data-grad'): Promise<number> {
  const text = await widget.locator(`[data-node="${node}"]`).getAttribute(attribute);
  expect(text).not.toBeNull();
  return Number(text);
}

/** Every drawn number of the neuron equals a fresh engine run on the inputs the page shows. */
async function expectMatchesEngine(widget: Locator, loss: 'sq' | 'bce' = 'bce') {
  const env: Record<string, number> = {};
  for (const name of ['x', 'w', 'b', 'y']) env[name] = Number(await widget.getByLabel(`${name} value`).inputValue());
  const run = neuron(loss).run(env);
  for (const name of ['z', 'a', 'L']) expect(await nodeNumber(widget, name, 'data-value')).toBe(run.values[name]);
  for (const name of ['w', 'x', 'b', 'z', 'a'])
    expect(await nodeNumber(widget, name, 'data-grad')).toBe(run.nodeGradients[name]);
  expect(await nodeNumber(widget, 'w', 'data-grad')).toBe(run.gradients.w);
  return env;
}

test.describe('forward pass', () => {
  test('arrow keys on w and a typed w update every node to the engine values', async ({ page }) => {
    const widget = await open(page, 'forward-pass');
    await expectMatchesEngine(widget);

    const w = widget.getByRole('slider', { name: 'w', exact: true });
    await w.focus();
    for (let i = 0; i < 3; i++) await w.press('ArrowRight');
    await expect(widget.getByLabel('w value')).toHaveValue('0.83');
    const env = await expectMatchesEngine(widget);
    expect(env.w).toBe(0.83);

    await widget.getByLabel('w value').fill('-1.25');
    await expect(w).toHaveValue('-1.25');
    await expectMatchesEngine(widget);
    await expect(page).toHaveURL(/fp\.w=-1\.25/);

    await widget.getByRole('radio', { name: 'squared error' }).check();
    await expectMatchesEngine(widget, 'sq');
  });

  test('nodes are reachable by Tab and named with value and gradient', async ({ page }) => {
    const widget = await open(page, 'forward-pass');
    const nodes = widget.locator('[data-node]');
    await expect(nodes).toHaveCount(8);
    await nodes.first().focus();
    await expect(nodes.first()).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(nodes.nth(1)).toBeFocused();
    const run = neuron().run(DEFAULTS);
    await expect(widget.locator('[data-node="z"]')).toHaveAttribute('aria-label', `z = 0.7, dL/dz = −0.3318`);
    // Independent check: for sigmoid + cross-entropy, dL/dz = a - y = sigmoid(0.7) - 1.
    expect(run.nodeGradients.z).toBeCloseTo(1 / (1 + Math.exp(-0.7)) - 1, 12);
    // The text alternative is a real table.
    await widget.getByText('Show as a table').click();
    const table = widget.getByRole('table');
    await expect(table.getByRole('row')).toHaveCount(9);
    await expect(table.getByRole('row', { name: /^w / })).toContainText('−0.4977');
  });

  test('a shared URL restores the setup, with hidden and locked controls, across a reload', async ({ page }) => {
    const widget = await open(page, 'forward-pass', '?fp.w=1.2&fp.loss=sq&fp.hide=b&fp.lock=x&fp.y=2');
    await expect(widget.getByRole('slider', { name: 'w', exact: true })).toHaveValue('1.2');
    await expect(widget.getByRole('slider', { name: 'b', exact: true })).toHaveCount(0);
    await expect(widget.getByRole('slider', { name: 'x', exact: true })).toBeDisabled();
    await expect(widget.getByRole('radio', { name: 'squared error' })).toBeChecked();
    // y=2 is outside [0, 1]: clamped.
    await expect(widget.getByRole('slider', { name: 'y', exact: true })).toHaveValue('1');
    const run = neuron('sq').run({ ...DEFAULTS, w: 1.2 });
    expect(await nodeNumber(widget, 'L', 'data-value')).toBe(run.value);

    await widget.getByLabel('w value').fill('1.1');
    await expect(page).toHaveURL(/fp\.w=1\.1/);
    await expect(page).toHaveURL(/fp\.hide=b/);
    await page.reload();
    const again = page.locator('[data-widget="forward-pass"]');
    await loaded(again);
    await expect(again.getByRole('slider', { name: 'w', exact: true })).toHaveValue('1.1');
    await expect(again.getByRole('slider', { name: 'b', exact: true })).toHaveCount(0);
    expect(await nodeNumber(again, 'L', 'data-value')).toBe(neuron('sq').run({ ...DEFAULTS, w: 1.1 }).value);

    await again.getByRole('button', { name: 'Reset' }).click();
    await expect(again.getByRole('slider', { name: 'w', exact: true })).toHaveValue('0.8');
    await expect(page).not.toHaveURL(/fp\.w=/);
  });
});

test.describe('backward pass, step by step', () => {
  const run = neuron().run(DEFAULTS);
  const steps = backwardSteps(run.trace);

  test('Step, Enter and Back move one edge at a time with the running product from L', async ({ page }) => {
    const widget = await open(page, 'backward-steps');
    const status = widget.locator('[data-step]');
    const active = widget.locator('svg [data-edge][data-active="true"]');
    await expect(status).toHaveAttribute('data-step', '0');
    await expect(active).toHaveCount(0);

    const stepButton = widget.getByRole('button', { name: 'Step ▶' });
    for (let i = 1; i <= 3; i++) {
      await stepButton.click();
      await expect(status).toHaveAttribute('data-step', String(i));
      await expect(active).toHaveAttribute('data-edge', edgeKey(steps[i - 1]!.edge));
      expect(Number(await status.getAttribute('data-running-product'))).toBe(steps[i - 1]!.product);
    }
    // Enter on the focused Step button, then on the timeline slider.
    await stepButton.focus();
    await page.keyboard.press('Enter');
    await expect(status).toHaveAttribute('data-step', '4');
    const timeline = widget.getByRole('slider', { name: 'Backward step' });
    await timeline.focus();
    await page.keyboard.press('Enter');
    await expect(status).toHaveAttribute('data-step', '5');
    await page.keyboard.press('ArrowLeft');
    await expect(status).toHaveAttribute('data-step', '4');
    await widget.getByRole('button', { name: '◀ Back' }).click();
    await expect(status).toHaveAttribute('data-step', '3');

    // To the end: the last edge into w carries the engine's dL/dw.
    await timeline.fill(String(steps.length));
    await expect(status).toHaveAttribute('data-step', String(steps.length));
    const intoW = steps.findIndex((step) => run.trace.nodes[step.edge.from]!.label === 'w');
    expect(steps[intoW]!.product).toBe(run.gradients.w);
    await expect(widget.locator('[data-formula-product]')).toHaveAttribute(
      'data-formula-product',
      String(steps[0]!.local * steps[2]!.local * steps[3]!.local * steps[intoW]!.local),
    );
    expect(Number(await widget.locator('[data-formula-product]').getAttribute('data-formula-product'))).toBeCloseTo(
      run.gradients.w!,
      15,
    );
    await expect(page).toHaveURL(new RegExp(`bs\\.step=${steps.length}`));
  });

  test('formula factors and graph edges highlight each other', async ({ page }) => {
    const widget = await open(page, 'backward-steps');
    const factor = widget.locator('[data-factor="da/dz"]');
    const edge = await factor.getAttribute('data-edge');
    const drawnEdge = widget.locator(`svg [data-edge="${edge}"]`);
    await factor.hover();
    await expect(drawnEdge).toHaveAttribute('data-active', 'true');
    await page.mouse.move(0, 0);
    await expect(drawnEdge).not.toHaveAttribute('data-active', 'true');
    await factor.focus();
    await expect(drawnEdge).toHaveAttribute('data-active', 'true');
    await factor.blur();

    const otherFactor = widget.locator('[data-factor="dL/da"]');
    const otherEdge = widget.locator(`svg [data-edge="${await otherFactor.getAttribute('data-edge')}"]`);
    await otherEdge.locator('path').first().hover({ force: true });
    await expect(otherFactor).toHaveAttribute('data-active', 'true');
  });
});

test.describe('predict, then reveal', () => {
  test('a right sign in the backward pass reveals dL/dw and reports a prediction event', async ({ page }) => {
    const widget = await open(page, 'backward-steps');
    await page.evaluate(() => {
      const events: unknown[] = [];
      (window as unknown as { __events: unknown[] }).__events = events;
      window.addEventListener('autodidact:widget-event', (event) => events.push((event as CustomEvent).detail));
    });
    await expect(widget.locator('[data-node="w"] text').last()).toHaveText('?');
    await widget.getByRole('button', { name: 'Predict dL/dw is negative' }).click();
    // The prediction alone reveals nothing (issue 16, item 9): stepping to w does.
    await expect(widget.locator('[data-prediction-waiting]')).toBeVisible();
    await expect(widget.locator('[data-node="w"] text').last()).toHaveText('?');
    await widget.getByRole('slider', { name: 'Backward step' }).fill('6');
    await expect(widget.locator('[data-correct]')).toHaveAttribute('data-correct', 'true');
    await expect(widget.locator('[data-correct]')).toContainText('Right.');
    await expect(widget.locator('[data-node="w"] text').last()).toHaveText('−0.4977');
    const events = await page.evaluate(() => (window as unknown as { __events: { type: string }[] }).__events);
    const prediction = events.find((event) => event.type === 'prediction-made') as Record<string, unknown>;
    expect(prediction).toMatchObject({
      widget: 'backward-steps',
      instance: 'bs',
      target: 'dL/dw',
      predicted: { kind: 'sign', sign: -1 },
      actual: neuron().run(DEFAULTS).gradients.w,
      correct: true,
    });
  });

  test('the one-path answer for a reused node is judged wrong', async ({ page }) => {
    const widget = await open(page, 'blame-paths', '?bp.graph=reused&bp.node=u');
    await widget.getByLabel('Predicted value of dL/du').fill('1');
    await widget.getByRole('button', { name: 'Commit' }).click();
    await expect(widget.locator('[data-correct]')).toHaveAttribute('data-correct', 'false');
    await expect(widget.locator('[data-paths-sum]')).toHaveAttribute('data-paths-sum', '5');
  });
});

test.describe('blame along paths', () => {
  test('the sum over paths equals the engine gradient, for w and for a reused node', async ({ page }) => {
    const widget = await open(page, 'blame-paths');
    await widget.getByRole('radio', { name: 'w', exact: true }).check();
    await widget.getByRole('button', { name: 'Just show me' }).click();
    // This widget draws the worked example's neuron, whose dL/dw the lesson text quotes beside it
    // (-0.4977): by hand, (sigmoid(w x + b) - y) x.
    const neuronRun = neuron('bce').run(DEFAULTS);
    const byHand = (1 / (1 + Math.exp(-(DEFAULTS.w * DEFAULTS.x + DEFAULTS.b))) - DEFAULTS.y) * DEFAULTS.x;
    await expect(widget.locator('[data-path-count]')).toHaveAttribute('data-path-count', '1');
    const sum = Number(await widget.locator('[data-paths-sum]').getAttribute('data-paths-sum'));
    expect(sum).toBeCloseTo(byHand, 12);
    expect(sum.toFixed(4)).toBe('-0.4977');
    expect(sum).toBeCloseTo(neuronRun.gradients.w!, 15);
    expect(Number(await widget.locator('[data-paths-sum]').getAttribute('data-engine-grad'))).toBe(
      neuronRun.gradients.w,
    );

    await widget.getByRole('radio', { name: /reused node/ }).check();
    await expect(widget.getByRole('radio', { name: 'u', exact: true })).toBeChecked();
    const reused = EXAMPLE_PROGRAMS.find((program) => program.id === 'reused-node')!;
    const reusedRun = compile(reused.source).run(reused.env);
    await expect(widget.locator('[data-path-count]')).toHaveAttribute('data-path-count', '2');
    await widget.getByRole('button', { name: 'Just show me' }).click();
    const products = await widget
      .locator('[data-path-product]')
      .evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-path-product'))));
    expect(products.sort((p, q) => p - q)).toEqual([1, reused.env.c]);
    expect(Number(await widget.locator('[data-paths-sum]').getAttribute('data-paths-sum'))).toBe(
      reusedRun.nodeGradients.u,
    );
    await expect(widget.locator('[data-naive]')).toBeVisible();

    // x reaches L through u: both paths again, and dL/dx = w(1 + c).
    await widget.getByRole('radio', { name: 'x', exact: true }).check();
    await widget.getByRole('button', { name: 'Just show me' }).click();
    expect(Number(await widget.locator('[data-paths-sum]').getAttribute('data-paths-sum'))).toBe(reusedRun.gradients.x);
    await expect(page).toHaveURL(/bp\.graph=reused&bp\.node=x/);
  });
});

// The whole lesson page is scanned in lesson.spec.ts; this scan covers these widgets in the
// states a student reaches (tables open, a step taken, an answer revealed).
test('the forward, backward and blame widgets have no serious or critical accessibility violations', async ({
  page,
}) => {
  await open(page, 'blame-paths');
  for (const kind of ['forward-pass', 'backward-steps', 'blame-paths']) {
    const widget = page.locator(`[data-widget="${kind}"]`);
    await loaded(widget);
    await widget.getByText('Show as a table').click();
  }
  await page.locator('[data-widget="backward-steps"]').getByRole('button', { name: 'Step ▶' }).click();
  await page.locator('[data-widget="blame-paths"]').getByRole('button', { name: 'Just show me' }).click();
  const results = await new AxeBuilder({ page })
    .include('[data-widget="forward-pass"]')
    .include('[data-widget="backward-steps"]')
    .include('[data-widget="blame-paths"]')
    .analyze();
  const severe = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(severe.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
});
