import katex from 'katex';
import { describe, expect, it } from 'vitest';

import { formulaPractice } from '@/content/lessons/chain-rule-computational-graphs/questions';

import { formulaPoints, formulaToTex, gradeFormula, parseFormula, type FormulaPoint } from './formula';
import { hintFor } from './hints';
import type { FormulaWrt, Loss, MisconceptionId } from './schema';
import { sigmoid } from './test-helpers';
import { formulaVariant, PRACTICE_VARIANT_BASE } from './variants';

const question = formulaPractice[0]!;
const points = formulaPoints(question.id);

function parsed(source: string) {
  const formula = parseFormula(source);
  if (!formula.ok) throw new Error(`${source}: ${formula.error.message}`);
  return formula;
}

function grade(source: string, wrt: FormulaWrt = 'w', loss: Loss = 'bce') {
  return gradeFormula(parsed(source), { wrt, loss }, points);
}

/** Closed-form gradients, written here without lib/autodiff: an independent reference. */
function closedForm({ x, w, b, y }: FormulaPoint, wrt: FormulaWrt, loss: Loss): number {
  const a = sigmoid(w * x + b);
  const dLdz = loss === 'bce' ? a - y : 2 * (a - y) * a * (1 - a);
  return dLdz * { w: x, b: 1, x: w }[wrt];
}

describe('formula answers: graded by equivalence at seeded points', () => {
  it('uses points where the label takes both values and no factor is near zero', () => {
    expect(points).toHaveLength(16);
    expect(new Set(points.map((point) => point.y))).toEqual(new Set([0, 1]));
    for (const point of points) {
      expect(Math.abs(point.x)).toBeGreaterThanOrEqual(0.25);
      expect(Math.abs(point.w * point.x + point.b)).toBeLessThanOrEqual(2.5);
    }
  });

  it('accepts a solution for every parameter and loss, and each agrees with the closed forms', () => {
    // The lesson's own reference texts (answers.server.ts) are checked in tests/integration/quiz-formula.test.ts.
    const slope = 'sigmoid(w*x + b)*(1 - sigmoid(w*x + b))';
    const solutions: Record<string, string> = {
      'w:bce': '(sigmoid(w*x + b) - y) * x',
      'b:bce': 'sigmoid(w*x + b) - y',
      'x:bce': 'w*(sigmoid(w*x + b) - y)',
      'w:squared-error': `2*(sigmoid(w*x + b) - y) * ${slope} * x`,
      'b:squared-error': `2*(sigmoid(w*x + b) - y) * ${slope}`,
      'x:squared-error': `2*(sigmoid(w*x + b) - y) * ${slope} * w`,
    };
    for (const [key, source] of Object.entries(solutions)) {
      const [wrt, loss] = key.split(':') as [FormulaWrt, Loss];
      expect(grade(source, wrt, loss), key).toMatchObject({ correct: true, misconception: null });
      const program = parsed(source).program;
      for (const point of points) {
        const env = Object.fromEntries(program.variables.map((name) => [name, point[name as keyof FormulaPoint]]));
        expect(program.run(env).value).toBeCloseTo(closedForm(point, wrt, loss), 10);
      }
    }
  });

  it('accepts equivalent forms: shorthands, the unsimplified chain, the sigmoid written out', () => {
    for (const source of [
      '(a - y)*x',
      'x*(sigmoid(z) - y)',
      '(1/(1 + exp(-(w*x + b))) - y)*x',
      '(-y/a + (1 - y)/(1 - a)) * a*(1 - a) * x',
      'a*x - x*y',
      'z = w*x + b; (sigmoid(z) - y)*x',
    ]) {
      expect(grade(source), source).toMatchObject({ correct: true });
    }
  });

  it('names each modelled mistake: a missing chain factor, σ where σ′ belongs, sign, loss, path', () => {
    const cases: [string, MisconceptionId][] = [
      ['a - y', 'missing-x'],
      ['(-y/a + (1 - y)/(1 - a)) * a * x', 'sigmoid-for-derivative'],
      ['(-y/a + (1 - y)/(1 - a)) * x', 'missing-sigmoid-slope'],
      ['a*(1 - a)*x', 'missing-loss-slope'],
      ['(y - a)*x', 'sign-dL-da'],
      ['2*(a - y)*a*(1 - a)*x', 'wrong-loss'],
      ['(a - y)*w', 'wrong-path'],
    ];
    for (const [source, id] of cases) {
      const result = grade(source);
      expect(result.correct, source).toBe(false);
      expect(result.misconception, source).toBe(id);
      const hint = hintFor(result.misconception, { target: { formula: 'w' }, loss: 'bce', values: {}, answer: null });
      expect(hint.length).toBeGreaterThan(20);
    }
    expect(grade('2*(a - y)*a*(1 - a)', 'b', 'squared-error')).toMatchObject({ correct: true });
    expect(grade('2*(a - y)*a*(1 - a)', 'b', 'bce')).toMatchObject({ correct: false, misconception: 'wrong-loss' });
    expect(grade('2*(a - y)*x', 'w', 'squared-error')).toMatchObject({ misconception: 'missing-sigmoid-slope' });
  });

  it('a wrong formula that matches no modelled mistake gets no misconception, and a counterexample', () => {
    const result = grade('w*x');
    expect(result).toMatchObject({ correct: false, misconception: null });
    expect(result.counterexample?.expected).toBeCloseTo(closedForm(result.counterexample!.point, 'w', 'bce'), 10);
  });
});

describe('parsing: the playground language, its errors and their positions', () => {
  it('refuses names other than x, w, b, y, z and a, at the name’s position', () => {
    const result = parseFormula('(a - y) * q');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ line: 1, column: 11 });
    expect(result.error.message).toContain("unknown name 'q'");
  });

  it('reports syntax errors with the language’s position', () => {
    const open = parseFormula('(a - y * x');
    expect(open.ok).toBe(false);
    if (!open.ok) expect(open.error.message).toMatch(/^line 1, col \d+: /);
    const empty = parseFormula('   ');
    expect(empty.ok).toBe(false);
  });

  it('refuses over-long input before parsing it', () => {
    const result = parseFormula(`x${'+x'.repeat(200)}`);
    expect(result.ok).toBe(false);
  });
});

describe('TeX preview', () => {
  it('typesets the tree with parentheses only where precedence needs them', () => {
    expect(formulaToTex(parsed('(sigmoid(w*x + b) - y)*x').parsed)).toBe(
      '\\left(\\sigma\\left(w \\cdot x + b\\right) - y\\right) \\cdot x',
    );
    expect(formulaToTex(parsed('a - (y - x)').parsed)).toBe('a - \\left(y - x\\right)');
    expect(formulaToTex(parsed('-x^2').parsed)).toBe('-{x}^{2}');
    expect(formulaToTex(parsed('z = w*x + b; z*y').parsed)).toBe('z \\cdot y');
    expect(formulaToTex(parsed('x/(1 + w)').parsed)).toBe('\\frac{x}{1 + w}');
  });

  it('renders with KaTeX for every function the language knows', () => {
    const source =
      'exp(x) + log(a) + sqrt(w) + abs(b) + tanh(x) + relu(x) + max(x, w) + min(x, w) + sin(x) + cos(x) + sqerr(a, y) + bce(a, y) + x^-2 + 1.5e-7';
    expect(() => katex.renderToString(formulaToTex(parsed(source).parsed), { throwOnError: true })).not.toThrow();
  });
});

describe('formula variants', () => {
  it('graded attempts ask what the question states; practice rounds ask something else', () => {
    expect(formulaVariant(question, 'someone', 0)).toEqual(question.target);
    for (let round = 1; round <= 20; round++) {
      const variant = formulaVariant(question, 'someone', PRACTICE_VARIANT_BASE * round);
      expect(variant.wrt !== question.target.wrt || variant.loss !== question.target.loss).toBe(true);
    }
  });
});
