// Issue 16 item 6: mastery that means what it says. The panel's label, bar and evidence agree
// with the answers given (computed here from the rule in words: 3 right in a row), the evidence
// shows on hover and on keyboard focus, and practice on new numbers counts as evidence.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';

import { scrollToKnowledgeCheck } from './knowledge-check';

const LESSON = '/lessons/chain-rule-computational-graphs';
const GRAPH_PURPOSE =
  'Showing how each value is built from simpler operations, so gradients can be traced step by step.';
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

async function loaded(page: Page) {
  await page.goto(LESSON);
  await scrollToKnowledgeCheck(page);
  await expect(page.locator('[data-quiz="knowledge-check"] form[aria-busy="true"]')).toHaveCount(0, {
    timeout: 20_000,
  });
}

async function givens(scope: Locator): Promise<Record<string, number>> {
  const values: Record<string, number> = {};
  for (const item of await scope.locator('dl > div').all()) {
    const name = (await item.locator('dt').innerText()).trim();
    values[name === 'η' ? 'eta' : name.replace(/^label /, '')] = Number(
      (await item.locator('dd').innerText()).replace('−', '-'),
    );
  }
  return values;
}

/** The bar's fill as a fraction of its track. */
async function barFraction(skill: Locator): Promise<number> {
  const track = await skill.locator('[class*="bar"]').first().boundingBox();
  const fill = await skill.locator('[class*="barFill"]').boundingBox();
  return fill && track ? fill.width / track.width : 0;
}

test('a failed first answer and a right retry is "Practising", never a full bar; the evidence shows on hover and focus', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await loaded(page);
  const question = page.locator('[data-question="graph-purpose"]');
  await question.locator('label', { hasNotText: GRAPH_PURPOSE }).first().getByRole('radio').check();
  await question.getByRole('button', { name: 'Check answer' }).click();
  await expect(question.getByRole('status').first()).toContainText('Not quite.');
  await question.getByRole('radio', { name: GRAPH_PURPOSE }).check();
  await question.getByRole('button', { name: 'Check answer' }).click();
  await expect(question.getByRole('status').first()).toContainText('Correct.');

  const progress = page.locator('[data-quiz="progress"]');
  const concepts = progress.locator('[data-skill="concepts"]');
  await expect(concepts).toHaveAttribute('data-level', 'practising');
  await expect(concepts).toContainText('Practising');
  await expect(concepts).not.toContainText('100%');
  // One right in a row out of the three needed: a third of the bar.
  expect(await barFraction(concepts)).toBeCloseTo(1 / 3, 1);

  // Hover shows the evidence.
  const tip = concepts.getByRole('tooltip');
  await expect(tip).toBeHidden();
  await concepts.hover();
  await expect(tip).toBeVisible();
  await expect(tip).toHaveText('1 of 2 correct on concepts. 2 more right in a row to master it.');
  await page.mouse.move(0, 0);
  await expect(tip).toBeHidden();

  // Keyboard focus shows it too, and it is the row's description; Escape hides it.
  await concepts.focus();
  await expect(tip).toBeVisible();
  await expect(concepts).toHaveAccessibleDescription('1 of 2 correct on concepts. 2 more right in a row to master it.');
  await page.keyboard.press('Escape');
  await expect(tip).toBeHidden();

  const results = await new AxeBuilder({ page }).include('[data-quiz="progress"]').analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual(
    [],
  );
});

test('practice on new numbers counts: one graded and two practice answers right make "Mastered" with a full bar', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await loaded(page);
  const edge = page.locator('[data-question="edge-sigmoid"]');
  const slope = (values: Record<string, number>) => {
    const a = sigmoid(values.w! * values.x! + values.b!);
    return (a * (1 - a)).toFixed(4);
  };
  const graded = edge.locator('form').first();
  await graded.getByRole('textbox').fill(slope(await givens(graded)));
  await graded.getByRole('button', { name: 'Check answer' }).click();
  await expect(graded.getByRole('status')).toContainText('Correct.');

  const skill = page.locator('[data-quiz="progress"] [data-skill="local-derivative"]');
  await expect(skill).toHaveAttribute('data-level', 'practising');

  for (let round = 1; round <= 2; round++) {
    await edge
      .getByRole('button', { name: round === 1 ? 'Practice with new numbers' : 'Practice again with new numbers' })
      .click();
    const practice = edge.locator(`form`).nth(1);
    await expect(practice).toContainText(`Practice round ${round}`);
    await practice.getByRole('textbox').fill(slope(await givens(practice)));
    await practice.getByRole('button', { name: 'Check answer' }).click();
    await expect(practice.getByRole('status')).toContainText('Correct.');
  }
  await expect(skill).toHaveAttribute('data-level', 'mastered');
  await expect(skill).toContainText('Mastered');
  expect(await barFraction(skill)).toBeCloseTo(1, 2);
  await skill.focus();
  await expect(skill.getByRole('tooltip')).toHaveText(
    '3 of 3 correct on local derivatives. Your last 3 answers were right.',
  );
  // After a reload the server says the same.
  await page.reload();
  await scrollToKnowledgeCheck(page);
  await expect(page.locator('[data-quiz="progress"] [data-skill="local-derivative"]')).toHaveAttribute(
    'data-level',
    'mastered',
  );
});
