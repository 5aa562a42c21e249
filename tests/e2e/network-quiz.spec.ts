import { expect, test, type Locator } from '@playwright/test';

import { scrollToKnowledgeCheck } from './knowledge-check';

// The knowledge check's network questions (issue 17), answered with hand-derived closed forms:
// x feeds h1 = tanh(w·x + b) and h2 = tanh(−0.5·x + 0.25); p = σ(1.5·h1 − h2); cross-entropy.
const LESSON = '/lessons/chain-rule-computational-graphs';
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

async function givens(question: Locator): Promise<Record<string, number>> {
  const values: Record<string, number> = {};
  for (const item of await question.locator('dl > div').all()) {
    const name = (await item.locator('dt').innerText()).trim();
    values[name.replace(/^label /, '')] = Number((await item.locator('dd').innerText()).replace('−', '-'));
  }
  return values;
}

function closedForm({ x, w, b, y }: Record<string, number>) {
  const h1 = Math.tanh(w! * x! + b!);
  const h2 = Math.tanh(-0.5 * x! + 0.25);
  const p = sigmoid(1.5 * h1 - h2);
  const dLds = p - y!;
  return {
    dLds,
    dh1dz1: 1 - h1 * h1,
    dLdw: dLds * 1.5 * (1 - h1 * h1) * x!,
    viaH1: dLds * 1.5 * (1 - h1 * h1) * w!,
    viaH2: dLds * -1 * (1 - h2 * h2) * -0.5,
  };
}

test('network questions: a first-layer path product, and two paths that must be added', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto(LESSON);
  await scrollToKnowledgeCheck(page);
  const first = page.locator('[data-question="network-first-layer"]');
  await first.scrollIntoViewIfNeeded();
  await expect(first.getByRole('textbox')).toHaveCount(3, { timeout: 20_000 });
  const g = await givens(first);
  expect(Object.keys(g).sort()).toEqual(['b', 'w', 'x', 'y']);
  const c = closedForm(g);
  await first.getByRole('textbox', { name: /∂\s*L\s*\/\s*∂\s*s/ }).fill(c.dLds.toFixed(5));
  await first.getByRole('textbox', { name: /∂\s*h_?\s*1\s*\/\s*∂\s*z_?\s*1/ }).fill(c.dh1dz1.toFixed(5));
  await first.getByRole('textbox', { name: /∂\s*L\s*\/\s*∂\s*w/ }).fill(c.dLdw.toFixed(5));
  await first.getByRole('button', { name: 'Check answer' }).click();
  await expect(first.getByRole('status')).toContainText('Correct.');

  // Both path products right, but only one of them given as dL/dx: two of three parts, and a
  // hint about the other path.
  const second = page.locator('[data-question="network-two-paths"]');
  const g2 = await givens(second);
  const c2 = closedForm(g2);
  await second.getByRole('textbox', { name: /through\s*h_?\s*1/ }).fill(c2.viaH1.toFixed(5));
  await second.getByRole('textbox', { name: /through\s*h_?\s*2/ }).fill(c2.viaH2.toFixed(5));
  await second.getByRole('textbox', { name: /∂\s*L\s*\/\s*∂\s*x/ }).fill(c2.viaH1.toFixed(5));
  await second.getByRole('button', { name: 'Check answer' }).click();
  await expect(second.getByRole('status')).toContainText('2 of 3 parts correct.');
  await expect(second).toContainText('only one of the two paths from x to L');
  // The sum is right.
  await second.getByRole('textbox', { name: /∂\s*L\s*\/\s*∂\s*x/ }).fill((c2.viaH1 + c2.viaH2).toFixed(5));
  await second.getByRole('button', { name: 'Check answer' }).click();
  await expect(second.getByRole('status')).toContainText('Correct.');
});
