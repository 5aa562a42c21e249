import { LESSON_WORKED_EXAMPLE } from '@/lib/autodiff';

import { pick, randomInt, shuffle, variantRng, type Rng } from './random';
import type { FormulaWrt, Loss, PublicChoiceQuestion, PublicFormulaQuestion, PublicNumericQuestion } from './schema';
import { solveTarget, type GraphVariant, type TargetSolution } from './targets';
import { withinTolerance } from './tolerance';

/**
 * Seeded per-learner variants (PrairieLearn's model): seed = hash(learner, question, variant
 * index) -> PRNG -> parameters. The same three inputs always give the same variant, so nothing
 * about a variant is stored or sent by the client: the server regenerates it to grade.
 */

/** Learning rates on offer for the gradient-step question: simple enough to multiply by hand. */
const LEARNING_RATES = [0.1, 0.5, 1] as const;

/** Tenths in [from, to], never closer to zero than `minAbs`. */
function tenths(rng: Rng, from: number, to: number, minAbs = 0): number {
  for (;;) {
    const value = randomInt(rng, Math.round(from * 10), Math.round(to * 10)) / 10;
    if (Math.abs(value) >= minAbs) return value;
  }
}

function drawGraphVariant(rng: Rng): GraphVariant {
  return {
    x: tenths(rng, -2, 2, 0.5),
    w: tenths(rng, -1.5, 1.5, 0.2),
    b: tenths(rng, -1, 1),
    y: randomInt(rng, 0, 1),
    eta: pick(rng, LEARNING_RATES),
  };
}

/**
 * A variant is usable when every part's answer is clearly non-zero and the answer and the
 * misconception values are pairwise at least three tolerances apart: otherwise a wrong method
 * could grade correct, or the feedback could name the wrong mistake (x = -1 makes "missing x"
 * look like a sign error). |z| <= 3 keeps the sigmoid away from its flat tails, where every
 * derivative rounds to nothing.
 */
function usable(variant: GraphVariant, solutions: readonly TargetSolution[]): boolean {
  if (Math.abs(variant.w * variant.x + variant.b) > 3) return false;
  const margin = { relative: 3e-2, absolute: 3e-3 };
  return solutions.every(({ expected, misconceptions }) => {
    if (!Number.isFinite(expected) || Math.abs(expected) < 0.02) return false;
    const candidates = [{ id: 'expected', value: expected }, ...misconceptions];
    return candidates.every(
      (first, i) =>
        Number.isFinite(first.value) &&
        candidates.every(
          (second, j) => j <= i || first.id === second.id || !withinTolerance(first.value, second.value, margin),
        ),
    );
  });
}

/** A fixed variant every target accepts, used if 64 seeded draws were all degenerate (never seen). */
const FALLBACK_VARIANT: GraphVariant = { ...LESSON_WORKED_EXAMPLE, eta: 0.5 };

export interface NumericVariant {
  variant: GraphVariant;
  /** One solution per part, in part order. */
  solutions: TargetSolution[];
}

/**
 * Variants are a pure function of (question, learner, variant index), and a submission needs the
 * same one twice (grading, then the question's view), a state load once per question. Drawing one
 * runs the autodiff engine for every part and every redraw, so recently used ones are memoised.
 * Bounded, least recently used out; callers treat the result as read-only (it is frozen). The
 * bound is sized for a class: a state load touches every question of a learner once, an answer
 * then needs its question's entry again, so about two entries per learner answering; at 4,096 a
 * class of a few thousand evicted each entry before its reuse (eighth session, decision 018).
 */
const MEMO_MAX = 16_384;
const numericMemo = new Map<string, Readonly<NumericVariant>>();
const choiceMemo = new Map<string, readonly ShuffledOption[]>();

function memoised<T>(memo: Map<string, T>, key: string, compute: () => T): T {
  const known = memo.get(key);
  if (known !== undefined) {
    // Most recently used last, so the eviction below takes the least recently used.
    memo.delete(key);
    memo.set(key, known);
    return known;
  }
  const value = compute();
  if (memo.size >= MEMO_MAX) memo.delete(memo.keys().next().value!);
  memo.set(key, value);
  return value;
}

function memoKey(questionId: string, learnerId: string, variantIndex: number): string {
  return `${questionId}\u0000${variantIndex}\u0000${learnerId}`;
}

export function numericVariant(
  question: PublicNumericQuestion,
  learnerId: string,
  variantIndex: number,
): Readonly<NumericVariant> {
  return memoised(numericMemo, memoKey(question.id, learnerId, variantIndex), () =>
    deepFreeze(drawNumericVariant(question, learnerId, variantIndex)),
  );
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function drawNumericVariant(question: PublicNumericQuestion, learnerId: string, variantIndex: number): NumericVariant {
  const rng = variantRng(learnerId, question.id, variantIndex);
  const solve = (variant: GraphVariant) =>
    question.parts.map((part) => solveTarget(part.target, variant, question.loss ?? 'bce'));
  for (let draw = 0; draw < 64; draw++) {
    const variant = drawGraphVariant(rng);
    const solutions = solve(variant);
    if (usable(variant, solutions)) return { variant, solutions };
  }
  return { variant: FALLBACK_VARIANT, solutions: solve(FALLBACK_VARIANT) };
}

/** Letters the browser sees instead of option ids, so a payload never names the correct option. */
export const CHOICE_KEYS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const;
export type ChoiceKey = (typeof CHOICE_KEYS)[number];

export interface ShuffledOption {
  key: ChoiceKey;
  optionId: string;
  text: string;
}

/**
 * The learner's option order. In the seed content every correct answer came first, so the
 * order is shuffled per learner (stable across reloads) and options travel as display letters.
 */
export function choiceVariant(
  question: PublicChoiceQuestion,
  learnerId: string,
  variantIndex: number,
): readonly ShuffledOption[] {
  return memoised(choiceMemo, memoKey(question.id, learnerId, variantIndex), () => {
    const order = shuffle(variantRng(learnerId, question.id, variantIndex), question.options);
    return deepFreeze(
      order.map((option, index) => ({ key: CHOICE_KEYS[index]!, optionId: option.id, text: option.text })),
    );
  });
}

/** What a formula question asks in one variant: d(loss)/d(wrt) of the lesson neuron. */
export interface FormulaVariant {
  wrt: FormulaWrt;
  loss: Loss;
}

const FORMULA_WRTS: readonly FormulaWrt[] = ['w', 'b', 'x'];
const LOSSES: readonly Loss[] = ['bce', 'squared-error'];

/**
 * The graded variant (index 0, and every graded attempt: formula questions keep their variant)
 * asks what the question states; practice variants draw the parameter and the loss, never the
 * graded pair twice in a row.
 */
export function formulaVariant(
  question: PublicFormulaQuestion,
  learnerId: string,
  variantIndex: number,
): FormulaVariant {
  if (variantIndex < PRACTICE_VARIANT_BASE) return question.target;
  const rng = variantRng(learnerId, question.id, variantIndex);
  for (;;) {
    const drawn = { wrt: pick(rng, FORMULA_WRTS), loss: pick(rng, LOSSES) };
    if (drawn.wrt !== question.target.wrt || drawn.loss !== question.target.loss) return drawn;
  }
}

/**
 * Practice rounds (issue 16) use variant indexes from here on: round r, attempt n is
 * PRACTICE_VARIANT_BASE * r + (graded index of attempt n). Graded indexes stay below
 * maxAttempts (<= 10), so no practice variant is ever a graded one.
 */
export const PRACTICE_VARIANT_BASE = 1000;
