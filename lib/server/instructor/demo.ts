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
import type { Grading } from '@/lib/quiz/grading';
import { variantIndexFor } from '@/lib/quiz/policy';
import type { MisconceptionId, NumericTarget, PublicChoiceQuestion, PublicNumericQuestion } from '@/lib/quiz/schema';
import { choiceVariant, numericVariant } from '@/lib/quiz/variants';
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
 * recorded misconception produces), and grading JSON has the quiz service's shape.
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

/** Answer and grading for a numeric attempt, consistent with the learner's variant. */
function numericAttempt(
  question: PublicNumericQuestion,
  learnerId: string,
  attempt: number,
  response: SimulatedResponse,
): { answer: string; grading: Grading; variant: number } {
  const variant = variantIndexFor(question.policy, attempt);
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
    variant,
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
  // Formula questions (typed expressions) are not simulated: the demo's learners type numbers and letters.
  const numeric = quiz.questions.filter(
    (q): q is PublicNumericQuestion => q.kind === 'numeric' || q.kind === 'multi-part',
  );
  const predictions = demoPredictions();
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
    numericQuestions: numeric.map((q) => ({
      id: q.id,
      skill: q.skill,
      parts: q.parts.length,
      difficulty: DIFFICULTY[q.id] ?? 0,
      misconceptionTags: [...new Set(q.parts.flatMap((part) => TARGET_TAGS[part.target]))],
    })),
    maxAttemptsPerQuestion: 3,
    // The quiz's attempt limits are enforced below, so extra practice rounds would be dropped anyway.
    practiceRounds: 0,
  };
  const simulation = simulateClass(input);
  const cohort = await createCohort(db, { name: DEMO_CLASS_NAME, ownerId: instructor.id });

  const idOf = new Map(simulation.learners.map((learner) => [learner.learnerId, randomUUID()]));
  const learnerId = (simulated: string) => idOf.get(simulated) ?? simulated;
  const byId = new Map(quiz.questions.map((q) => [q.id, q]));
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

  const responses = simulation.responses.flatMap((response) => {
    const question = byId.get(response.questionId);
    if (!question || question.kind === 'formula' || response.attemptNumber > question.policy.maxAttempts) return [];
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
      ({ answer, grading, variant } = numericAttempt(question, id, response.attemptNumber, response));
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
  };
}
