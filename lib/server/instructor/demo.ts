import 'server-only';

import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { evaluate, LESSON_NEURON, LESSON_WORKED_EXAMPLE } from '@/lib/autodiff';
import { MS_PER_DAY } from '@/lib/analytics/instant';
import { extractToc } from '@/lib/content/headings';
import {
  simulateClass,
  type SimulatedProgressEvent,
  type SimulatedResponse,
  type SimulationInput,
} from '@/lib/demo/simulate';
import { parseFormula } from '@/lib/quiz/formula';
import { gradeFormulaAnswer, type Grading } from '@/lib/quiz/grading';
import { variantIndexFor } from '@/lib/quiz/policy';
import type {
  FormulaWrt,
  Loss,
  MisconceptionId,
  NumericTarget,
  PublicChoiceQuestion,
  PublicFormulaQuestion,
  PublicNumericQuestion,
  PublicQuestion,
} from '@/lib/quiz/schema';
import { variantParameters } from '@/lib/quiz/variant-facility';
import { choiceVariant, formulaVariant, numericVariant, PRACTICE_VARIANT_BASE } from '@/lib/quiz/variants';
import { WIDGETS, type KnownWidgetKind } from '@/lib/widgets/catalog';

import { createInstructor } from '../auth/accounts';
import type { Db } from '../db/client';
import { createCohort } from '../learner-service';
import { allQuizzes } from '../quiz-content';

/**
 * Writes a simulated class (lib/demo/simulate.ts) into the database, owned by a demo instructor,
 * so the dashboards have something real to show. Only `npm run demo` and tests call this.
 * Rows look like the app's own: choice answers are letters in the learner's shuffled order,
 * numeric answers are the learner's variant's numbers (the right value, or the value the
 * recorded misconception produces), formula answers are expressions a learner would type (right,
 * or with a modelled mistake) graded by the real grader, and grading JSON has the quiz service's
 * shape. Learners who finish a generated question come back for practice rounds on new numbers
 * (PracticeResponse, apart from graded answers), and some numbers are harder than others
 * (HARD_NUMBERS), so "Which numbers make it hard" has something to show.
 */

export const DEMO_EMAIL = 'demo-instructor@autodidact.invalid';
export const DEMO_CLASS_NAME = 'Demo class (simulated learners)';

/** Which misconceptions each numeric target's grader can recognise (lib/quiz/targets.ts). */
const TARGET_TAGS: Record<NumericTarget, MisconceptionId[]> = {
  'neuron-local-z-a': ['sigmoid-for-derivative'],
  'neuron-local-a-L': ['sign-dL-da', 'dL-dz-for-dL-da'],
  'neuron-path-w-z': ['missing-x', 'w-for-x'],
  'neuron-dL-dw': ['sigmoid-for-derivative', 'sign-dL-da', 'missing-x'],
  'neuron-step-w': ['step-uphill', 'no-learning-rate'],
  'reused-dL-dp': ['paths-multiplied', 'one-path-only'],
  'network-dL-ds': ['sign-dL-da', 'dL-dz-for-dL-da'],
  'network-dh1-dz1': ['sigmoid-for-derivative'],
  'network-dL-dw': ['missing-x', 'sigmoid-for-derivative', 'sign-dL-da'],
  'network-path-x-h1': ['sign-dL-da'],
  'network-path-x-h2': ['sign-dL-da'],
  'network-dL-dx': ['paths-multiplied', 'one-path-only'],
};

/** Mistakes in a typed ∂L/∂(w | b | x), most common first (the ones lib/quiz/formula.ts names). */
const FORMULA_TAGS: MisconceptionId[] = [
  'missing-x',
  'sigmoid-for-derivative',
  'sign-dL-da',
  'missing-sigmoid-slope',
  'wrong-loss',
  'wrong-path',
];

/**
 * How much harder some numbers make a question (added to its difficulty on the ability scale),
 * keyed by lib/quiz/variant-facility.ts's parameters, so the demo's "Which numbers make it hard"
 * shows the patterns a teacher would look for: y = 0 flips the sign of ∂L/∂a, which learners who
 * assume y = 1 miss; negative inputs invite sign slips; squared error needs its factor 2 and σ′.
 */
const HARD_NUMBERS: Record<string, number> = {
  'label\u0000y = 0': 0.6,
  'sign of x\u0000x < 0': 0.35,
  'sign of w\u0000w < 0': 0.2,
  'z = w·x + b\u0000|z| ≥ 1 (sigmoid flatter)': 0.25,
  // Formula practice rounds come after the graded ∂L/∂w with cross-entropy (and after what its
  // feedback taught), so these must outweigh that learning to show.
  'loss\u0000squared error': 2,
  'derivative asked\u0000∂L/∂x': 1,
  'derivative asked\u0000∂L/∂b': -0.2,
};

const DIFFICULTY: Record<string, number> = {
  'why-chain-rule': -1.4,
  'graph-purpose': -0.8,
  'local-derivative-meaning': -0.2,
  'edge-sigmoid': 0.2,
  'chain-factors': 0.5,
  'gradient-dl-dw': 0.7,
  'gradient-step': 0.1,
  'reused-node': 0.9,
  'network-first-layer': 1.1,
  'network-two-paths': 1.3,
  'formula-dl-dw': 0.8,
};

/**
 * The widgets in the lesson's order, each with the control a learner typically touches first.
 * Events name them as the browser does, `<kind>:<instance>` with the lesson's default instances.
 */
const DEMO_WIDGETS: readonly { kind: KnownWidgetKind; control: string }[] = [
  { kind: 'forward-pass', control: 'w' },
  { kind: 'backward-steps', control: 'timeline' },
  { kind: 'nudge-test', control: 'h' },
  { kind: 'blame-paths', control: 'node' },
  { kind: 'graph-playground', control: 'editor' },
  { kind: 'gradient-step', control: 'play' },
  { kind: 'network', control: 'play' },
];

const SIGN_CHOICES = ['negative', 'zero', 'positive'] as const;
type SignChoice = (typeof SIGN_CHOICES)[number];

/**
 * The sign predictions the two predicting widgets ask for at their starting setups, answered by
 * the engine: both start on the worked example's neuron (binary cross-entropy) and ask for dL/dw.
 */
function demoPredictions(): Partial<Record<KnownWidgetKind, { target: string; actual: number }>> {
  const dLdw = evaluate(LESSON_NEURON.bce, { ...LESSON_WORKED_EXAMPLE }).gradients.w!;
  return {
    'backward-steps': { target: 'dL/dw', actual: dLdw },
    'blame-paths': { target: 'dL/dw', actual: dLdw },
  };
}

function signChoiceOf(value: number): SignChoice {
  return value > 0 ? 'positive' : value < 0 ? 'negative' : 'zero';
}

const widgetTarget = (kind: KnownWidgetKind) => `${kind}:${WIDGETS[kind].defaultInstance}`;
const DEMO_WIDGET_BY_TARGET = new Map(DEMO_WIDGETS.map((widget) => [widgetTarget(widget.kind), widget]));

/** The event's data column, shaped as the progress service stores the browser's events. */
function eventData(event: SimulatedProgressEvent, predictions: ReturnType<typeof demoPredictions>): string | null {
  if (event.kind === 'section-viewed') return null;
  const widget = DEMO_WIDGET_BY_TARGET.get(event.widgetId);
  if (event.kind === 'widget-used') return JSON.stringify({ control: widget?.control ?? 'slider' });
  const prediction = widget ? predictions[widget.kind] : undefined;
  if (!prediction) return null;
  const sign = event.predicted === 'positive' ? 1 : event.predicted === 'negative' ? -1 : 0;
  return JSON.stringify({
    target: prediction.target,
    predicted: { kind: 'sign', sign },
    actual: prediction.actual,
    correct: event.correct,
  });
}

export interface DemoOptions {
  learnerCount?: number;
  seed?: number;
  /** End of the simulated fortnight; defaults to now, so "last active" and "stuck" look current. */
  endsAt?: Date;
  /** The demo instructor's password; generated when absent. */
  password?: string;
}

export interface DemoResult {
  email: string;
  /** Null when the demo instructor already existed (their password is unchanged). */
  password: string | null;
  cohortId: string;
  joinCode: string;
  learners: number;
  events: number;
  responses: number;
  /** Practice attempts on new numbers (stored apart from graded answers). */
  practice: number;
}

async function lessonSections(slug: string): Promise<{ id: string; title: string }[]> {
  const source = await readFile(path.join(process.cwd(), 'content', 'lessons', slug, 'lesson.mdx'), 'utf8');
  return extractToc(source)
    .filter((entry) => entry.depth === 2)
    .map(({ id, title }) => ({ id, title }));
}

function choiceGrading(score: number): Grading {
  const correct = score >= 1;
  return {
    score: correct ? 1 : 0,
    correct,
    parts: [{ id: 'choice', score: correct ? 1 : 0, correct, misconception: null }],
  };
}

/** The seeded variant an attempt is graded on: graded attempts from 0, practice round r from 1000·r. */
function variantIndexOf(question: PublicQuestion, attempt: number, practiceRound: number | null): number {
  return (
    (practiceRound === null ? 0 : PRACTICE_VARIANT_BASE * practiceRound) + variantIndexFor(question.policy, attempt)
  );
}

/** Answer and grading for a numeric attempt, consistent with the learner's variant. */
function numericAttempt(
  question: PublicNumericQuestion,
  learnerId: string,
  variant: number,
  response: SimulatedResponse,
): { answer: string; grading: Grading } {
  const { solutions } = numericVariant(question, learnerId, variant);
  const partsRight = Math.round(response.score * question.parts.length);
  let tagUsed = false;
  const values: Record<string, number> = {};
  const parts = question.parts.map((part, index) => {
    const solution = solutions[index];
    const expected = solution?.expected ?? 0;
    if (index < partsRight) {
      values[part.id] = expected;
      return { id: part.id, score: 1, correct: true, misconception: null };
    }
    const wanted = tagUsed ? undefined : response.misconceptionTags[0];
    const match = solution?.misconceptions.find((m) => m.id === wanted);
    if (match) tagUsed = true;
    // An unrecognised wrong answer: clearly off, so no grader would accept it.
    values[part.id] = match ? match.value : Math.round((expected * 1.7 + 0.9) * 1000) / 1000;
    return { id: part.id, score: 0, correct: false, misconception: match ? match.id : null };
  });
  const score = parts.reduce((sum, part) => sum + part.score, 0) / parts.length;
  return {
    answer: JSON.stringify({ parts: values }),
    grading: { score, correct: parts.every((p) => p.correct), parts },
  };
}

/**
 * What a learner types for ∂L/∂(wrt) with this loss: the derivative, or the same with one modelled
 * mistake (written with the shorthand a = sigmoid(z), as learners do).
 */
export function demoFormula(wrt: FormulaWrt, loss: Loss, mistake: MisconceptionId | null): string {
  const factor = { w: 'x', x: 'w', b: '' }[wrt];
  const otherFactor = { w: 'w', x: 'x', b: '' }[wrt];
  const times = (text: string, f: string) => (f ? `${text}*${f}` : text);
  const bce = (f: string) => times('(a - y)', f);
  const squared = (f: string) => times('2*(a - y)*a*(1 - a)', f);
  const right = loss === 'bce' ? bce : squared;
  switch (mistake) {
    case 'sign-dL-da':
      return loss === 'bce' ? times('(y - a)', factor) : times('2*(y - a)*a*(1 - a)', factor);
    case 'missing-x':
      return right('');
    case 'wrong-path':
      return right(otherFactor);
    case 'wrong-loss':
      return loss === 'bce' ? squared(factor) : bce(factor);
    case 'missing-sigmoid-slope':
      return loss === 'bce' ? times('(a - y)/(a*(1 - a))', factor) : times('2*(a - y)', factor);
    case 'sigmoid-for-derivative':
      return loss === 'bce' ? times('(a - y)/(1 - a)', factor) : times('2*(a - y)*a', factor);
    case 'missing-loss-slope':
      return times('a*(1 - a)', factor);
    default:
      return right(factor);
  }
}

/** Answer and grading for a formula attempt: the expression typed, graded by the quiz's own grader. */
function formulaAttempt(
  question: PublicFormulaQuestion,
  learnerId: string,
  variantIndex: number,
  response: SimulatedResponse,
): { answer: string; grading: Grading } {
  const variant = formulaVariant(question, learnerId, variantIndex);
  let mistake: MisconceptionId | null = null;
  if (response.score < 1) {
    const tag = response.misconceptionTags[0] as MisconceptionId | undefined;
    // ∂L/∂b has no last factor to miss or to take from the other path.
    mistake = tag && !(variant.wrt === 'b' && (tag === 'missing-x' || tag === 'wrong-path')) ? tag : 'sign-dL-da';
  }
  const formula = parseFormula(demoFormula(variant.wrt, variant.loss, mistake));
  if (!formula.ok) throw new Error(`demo formula does not parse: ${formula.error.message}`);
  return {
    answer: JSON.stringify({ expression: formula.source }),
    grading: gradeFormulaAnswer(question, variant, formula),
  };
}

export async function seedDemo(db: Db, options: DemoOptions = {}): Promise<DemoResult> {
  const quiz = allQuizzes()[0];
  if (!quiz) throw new Error('no lesson has a quiz to simulate');
  const learnerCount = options.learnerCount ?? 200;
  const endsAt = (options.endsAt ?? new Date()).getTime();
  const days = 14;

  let password: string | null = null;
  let instructor = await db.instructor.findUnique({ where: { email: DEMO_EMAIL }, select: { id: true } });
  if (!instructor) {
    password = options.password ?? randomBytes(12).toString('base64url');
    instructor = await createInstructor(db, { name: 'Demo Instructor', email: DEMO_EMAIL, password });
  }

  const choice = quiz.questions.filter((q): q is PublicChoiceQuestion => q.kind === 'single-choice');
  // Every generated question: numbers (numeric, multi-part) and typed expressions (formula).
  const generated = quiz.questions.filter(
    (q): q is PublicNumericQuestion | PublicFormulaQuestion => q.kind !== 'single-choice',
  );
  const predictions = demoPredictions();
  const byId = new Map(quiz.questions.map((q) => [q.id, q]));
  // Real ids from the start: the variants (and so the harder numbers) are seeded by them.
  const idOf = new Map<string, string>();
  const learnerId = (simulated: string) => {
    let id = idOf.get(simulated);
    if (id === undefined) {
      id = randomUUID();
      idOf.set(simulated, id);
    }
    return id;
  };
  const input: SimulationInput = {
    seed: options.seed ?? 2026,
    learnerCount,
    startAt: endsAt - days * MS_PER_DAY,
    days,
    lessonSlug: quiz.slug,
    sections: await lessonSections(quiz.slug),
    widgets: DEMO_WIDGETS.map(({ kind }) => {
      const prediction = predictions[kind];
      return prediction
        ? { id: widgetTarget(kind), prediction: { choices: SIGN_CHOICES, correct: signChoiceOf(prediction.actual) } }
        : { id: widgetTarget(kind) };
    }),
    choiceQuestions: choice.map((q) => ({
      id: q.id,
      skill: q.skill,
      optionIds: q.options.map((o) => o.id),
      correctOptionId: quiz.choiceKeys.get(q.id)?.correctOptionId ?? q.options[0]?.id ?? '',
      difficulty: DIFFICULTY[q.id] ?? 0,
    })),
    numericQuestions: generated.map((q) => ({
      id: q.id,
      skill: q.skill,
      parts: q.kind === 'formula' ? 1 : q.parts.length,
      difficulty: DIFFICULTY[q.id] ?? 0,
      misconceptionTags:
        q.kind === 'formula' ? FORMULA_TAGS : [...new Set(q.parts.flatMap((part) => TARGET_TAGS[part.target]))],
    })),
    maxAttemptsPerQuestion: 3,
    practiceRounds: 3,
    variantShift: ({ learnerId: simulated, questionId, attemptNumber, practiceRound }) => {
      const question = byId.get(questionId);
      if (!question) return 0;
      const variant = variantIndexOf(question, attemptNumber, practiceRound);
      return variantParameters(question, learnerId(simulated), variant).reduce(
        (sum, [parameter, value]) => sum + (HARD_NUMBERS[`${parameter}\u0000${value}`] ?? 0),
        0,
      );
    },
  };
  const simulation = simulateClass(input);
  const cohort = await createCohort(db, { name: DEMO_CLASS_NAME, ownerId: instructor.id });
  const toDate = (ms: number) => new Date(ms);

  const events = simulation.progressEvents.map((event) => ({
    id: randomUUID(),
    learnerId: learnerId(event.learnerId),
    clientEventId: randomUUID(),
    lessonSlug: event.lessonSlug,
    type: event.kind === 'prediction' ? 'prediction-made' : event.kind,
    target: event.kind === 'section-viewed' ? event.sectionId : event.widgetId,
    data: eventData(event, predictions),
    occurredAt: toDate(event.at),
    receivedAt: toDate(event.at),
  }));

  const graded = simulation.responses.filter((response) => response.practiceRound === null);
  const practised = simulation.responses.filter((response) => response.practiceRound !== null);
  const generatedAttempt = (response: SimulatedResponse) => {
    const question = byId.get(response.questionId);
    if (!question || question.kind === 'single-choice' || response.attemptNumber > question.policy.maxAttempts)
      return null;
    const id = learnerId(response.learnerId);
    const variant = variantIndexOf(question, response.attemptNumber, response.practiceRound);
    const { answer, grading } =
      question.kind === 'formula'
        ? formulaAttempt(question, id, variant, response)
        : numericAttempt(question, id, variant, response);
    return { question, id, variant, answer, grading };
  };
  const responses = graded.flatMap((response) => {
    const question = byId.get(response.questionId);
    if (!question || response.attemptNumber > question.policy.maxAttempts) return [];
    const id = learnerId(response.learnerId);
    let answer: string;
    let grading: Grading;
    let variant: number;
    let selectedOptionId: string | null = null;
    if (question.kind === 'single-choice') {
      variant = variantIndexFor(question.policy, response.attemptNumber);
      const letter = choiceVariant(question, id, variant).find((o) => o.optionId === response.selectedOptionId)?.key;
      answer = JSON.stringify({ choice: letter ?? 'A' });
      grading = choiceGrading(response.score);
      selectedOptionId = response.selectedOptionId;
    } else {
      const attempt = generatedAttempt(response);
      if (!attempt) return [];
      ({ answer, grading, variant } = attempt);
    }
    return [
      {
        id: randomUUID(),
        learnerId: id,
        questionId: question.id,
        attempt: response.attemptNumber,
        variant,
        answer,
        score: grading.score,
        correct: grading.correct,
        grading: JSON.stringify(grading),
        selectedOptionId,
        createdAt: toDate(response.submittedAt),
      },
    ];
  });
  const practice = practised.flatMap((response) => {
    const attempt = generatedAttempt(response);
    if (!attempt || response.practiceRound === null) return [];
    return [
      {
        id: randomUUID(),
        learnerId: attempt.id,
        questionId: attempt.question.id,
        round: response.practiceRound,
        attempt: response.attemptNumber,
        variant: attempt.variant,
        answer: attempt.answer,
        score: attempt.grading.score,
        correct: attempt.grading.correct,
        grading: JSON.stringify(attempt.grading),
        createdAt: toDate(response.submittedAt),
      },
    ];
  });

  const chunk = <T>(rows: readonly T[], size = 500): T[][] =>
    Array.from({ length: Math.ceil(rows.length / size) }, (_, k) => rows.slice(k * size, k * size + size));
  // One transaction: a demo class is there whole or not at all.
  await db.$transaction(
    async (tx) => {
      for (const rows of chunk(
        simulation.learners.map((learner) => ({
          id: learnerId(learner.learnerId),
          displayName: learner.displayName,
          createdAt: toDate(learner.joinedAt),
        })),
      ))
        await tx.learner.createMany({ data: rows });
      for (const rows of chunk(
        simulation.learners.map((learner) => ({
          cohortId: cohort.id,
          learnerId: learnerId(learner.learnerId),
          joinedAt: toDate(learner.joinedAt),
        })),
      ))
        await tx.enrollment.createMany({ data: rows });
      for (const rows of chunk(events)) await tx.progressEvent.createMany({ data: rows });
      for (const rows of chunk(responses)) await tx.response.createMany({ data: rows });
      for (const rows of chunk(practice)) await tx.practiceResponse.createMany({ data: rows });
    },
    { timeout: 120_000 },
  );

  return {
    email: DEMO_EMAIL,
    password,
    cohortId: cohort.id,
    joinCode: cohort.joinCode,
    learners: simulation.learners.length,
    events: events.length,
    responses: responses.length,
    practice: practice.length,
  };
}
