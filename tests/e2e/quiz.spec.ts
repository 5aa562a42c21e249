import { readFileSync } from 'node:fs';
import path from 'node:path';

import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import ts from 'typescript';

import { formatNumber } from '../../lib/quiz/format';

import { scrollToKnowledgeCheck } from './knowledge-check';

const LESSON = '/lessons/chain-rule-computational-graphs';
const STATE = '/api/lessons/chain-rule-computational-graphs/state';

// Independent references: the correct option texts as the lesson states them, and the
// closed-form sigmoid derivative.
const CORRECT_TEXT = {
  'why-chain-rule': 'The loss depends on early parameters only through many intermediate computations.',
  'graph-purpose': 'Showing how each value is built from simpler operations, so gradients can be traced step by step.',
};
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Every string in the server-only answer module that must not reach a browser before the
 * policy allows: explanations, worked-solution text, misconception feedback, and option ids
 * (as the JSON strings they would travel as). Read with the TypeScript parser, so the test
 * does not import the server-only module and does not restate its contents.
 */
function answerSecrets(): string[] {
  const file = path.join(process.cwd(), 'content/lessons/chain-rule-computational-graphs/answers.server.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const secrets: string[] = [];
  const visit = (node: ts.Node) => {
    // Question ids are public: they name the questions in the page.
    if (ts.isPropertyAssignment(node) && node.name.getText() === 'questionId') return;
    if (
      ts.isPropertyAssignment(node) &&
      ts.isPropertyAssignment(node.parent.parent) &&
      node.parent.parent.name.getText() === 'explanations'
    ) {
      secrets.push(JSON.stringify(node.name.getText().replace(/^'|'$/g, '')));
    }
    if (
      (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)) &&
      node.text.length >= 20
    ) {
      secrets.push(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return secrets;
}

async function givens(question: Locator): Promise<Record<string, number>> {
  const values: Record<string, number> = {};
  for (const item of await question.locator('dl > div').all()) {
    const name = (await item.locator('dt').innerText()).trim();
    values[name === 'η' ? 'eta' : name.replace(/^label /, '')] = Number(
      (await item.locator('dd').innerText()).replace('−', '-'),
    );
  }
  return values;
}

async function loaded(page: Page) {
  await page.goto(LESSON);
  await scrollToKnowledgeCheck(page);
  await expect(page.locator('[data-quiz="knowledge-check"]').getByRole('radio')).toHaveCount(9, { timeout: 20_000 });
}

test('nothing the page or the API sends before answering contains a key, explanation or option id', async ({
  request,
}) => {
  const secrets = answerSecrets();
  expect(secrets.length).toBeGreaterThan(20);
  const html = await (await request.get(LESSON)).text();
  expect(html).toContain('self.__next_f'); // the inline RSC payload is part of what is scanned
  expect(html).toContain('Why does training a neural network need the chain rule?');
  const rsc = await (await request.get(LESSON, { headers: { RSC: '1' } })).text();
  expect(rsc).toContain('Why does training a neural network need the chain rule?');
  const state = await request.get(STATE);
  expect(state.status()).toBe(200);
  const stateText = await state.text();
  expect(stateText).toContain('"options"');
  const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((match) => match[1]!);
  expect(scripts.length).toBeGreaterThan(0);
  const bundles = await Promise.all(scripts.map(async (src) => (await request.get(src)).text()));
  const payloads = { html, rsc, state: stateText, bundles: bundles.join('\n') };
  for (const [name, payload] of Object.entries(payloads)) {
    expect(
      secrets.filter((secret) => payload.includes(secret)),
      `${name} leaks`,
    ).toEqual([]);
  }
});

test("the quiz renders the learner's options once it comes near the viewport, not at load", async ({ page }) => {
  const state = page.waitForResponse((response) => /\/api\/lessons\/[^/]+\/state$/.test(response.url()));
  await page.goto(LESSON);
  expect((await state).ok()).toBe(true);
  await page.waitForLoadState('networkidle');
  // The state is here and the page has hydrated, but the knowledge check is far below the first
  // screen: its forms still hold their skeletons.
  const check = page.locator('[data-quiz="knowledge-check"]');
  const forms = await check.locator('form').count();
  expect(forms).toBeGreaterThan(0);
  await expect(check.locator('form[aria-busy="true"]')).toHaveCount(forms);
  await expect(check.getByRole('radio')).toHaveCount(0);
  await scrollToKnowledgeCheck(page);
  await expect(check.getByRole('radio')).toHaveCount(9);
  await expect(check.locator('form[aria-busy="true"]')).toHaveCount(0);
});

test('a learner answers the knowledge check, sees feedback, reloads and finds their progress', async ({ page }) => {
  // Many steps on a shared 2-core machine: the default 30 s is too tight for the whole journey.
  test.setTimeout(90_000);
  await loaded(page);
  const check = page.locator('[data-quiz="knowledge-check"]');

  const first = check.getByRole('group', { name: /Why does training a neural network need the chain rule/ });
  await first.getByRole('radio', { name: CORRECT_TEXT['why-chain-rule'] }).check();
  await first.getByRole('button', { name: 'Check answer' }).click();
  await expect(first.getByRole('status')).toContainText('Correct.');
  await expect(first.getByRole('status')).toContainText('Solved on attempt 1.');
  await expect(first.getByText('Correct answer')).toBeVisible();

  const second = check.getByRole('group', { name: /What is a computational graph mainly for/ });
  await second.locator('label', { hasNotText: CORRECT_TEXT['graph-purpose'] }).first().getByRole('radio').check();
  await second.getByRole('button', { name: 'Check answer' }).click();
  await expect(second.getByRole('status')).toContainText('Not quite.');
  await expect(second.getByRole('status')).toContainText('Attempt 2 of 2.');
  await expect(second.getByText('Correct answer')).toHaveCount(0);

  // A generated question: the learner's own numbers, answered with the closed-form derivative.
  const practice = page.locator('[data-quiz="practice"]');
  const edge = practice.locator('[data-question="edge-sigmoid"] form').first();
  const g = await givens(edge);
  const a = sigmoid(g.w! * g.x! + g.b!);
  await edge.getByRole('textbox').fill((a * (1 - a)).toFixed(4));
  await edge.getByRole('button', { name: 'Check answer' }).click();
  await expect(edge.getByRole('status')).toContainText('Correct.');

  // The multi-part question: sigma(z) where its slope belongs gets partial credit and named feedback.
  const factors = practice.locator('[data-question="chain-factors"] form').first();
  const f = await givens(factors);
  const af = sigmoid(f.w! * f.x! + f.b!);
  // This question uses squared error, L = (a − y)², so ∂L/∂a = 2(a − y).
  const dLda = 2 * (af - f.y!);
  await factors.getByRole('textbox', { name: /∂\s*L\s*\/\s*∂\s*a/ }).fill(dLda.toFixed(4));
  await factors.getByRole('textbox', { name: /∂\s*a\s*\/\s*∂\s*z/ }).fill(af.toFixed(4));
  await factors.getByRole('textbox', { name: /∂\s*z\s*\/\s*∂\s*w/ }).fill(String(f.x));
  await factors.getByRole('button', { name: 'Check answer' }).click();
  await expect(factors.getByRole('status')).toContainText('2 of 3 parts correct.');
  // The hint quotes the learner's own a.
  await expect(factors).toContainText(`σ′(z) = a(1 − a); with your numbers a = ${formatNumber(af)}`);

  const results = await new AxeBuilder({ page }).include('[data-quiz]').analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual(
    [],
  );

  await page.reload();
  await scrollToKnowledgeCheck(page);
  await expect(check.getByRole('radio')).toHaveCount(9);
  await expect(first.getByRole('status')).toContainText('Solved on attempt 1.');
  await expect(second.getByRole('status')).toContainText('Attempt 2 of 2.');
  await expect(edge.getByRole('status')).toContainText('Correct.');
  await expect(factors.getByRole('status')).toContainText('2 of 3 parts correct.');
  await expect(factors.getByRole('textbox', { name: /∂\s*a\s*\/\s*∂\s*z/ })).toHaveValue(String(Number(af.toFixed(4))));
  const progress = page.locator('[data-quiz="progress"]');
  await expect(progress.locator('[data-skill="local-derivative"]')).not.toContainText('Not started');
});

test('an answer submitted without a connection is shown as pending and sent when it can be', async ({ page }) => {
  await loaded(page);
  const first = page.locator('[data-question="why-chain-rule"]');
  await page.route('**/api/quiz/answers', (route) => route.abort('internetdisconnected'));
  await first.getByRole('radio', { name: CORRECT_TEXT['why-chain-rule'] }).check();
  await first.getByRole('button', { name: 'Check answer' }).click();
  await expect(first.getByRole('status')).toContainText('Not sent yet');
  // Reloading keeps the answer: it is re-sent from this device once the server is reachable.
  await page.unroute('**/api/quiz/answers');
  await page.reload();
  // Hydration, the state request and the re-sent answer, on a busy machine.
  await expect(first.getByRole('status')).toContainText('Correct.', { timeout: 20_000 });
});
