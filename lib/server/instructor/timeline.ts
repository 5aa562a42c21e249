import 'server-only';

import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { z } from 'zod';

import { inlineMathAsText } from '@/lib/server/math';
import { buildTimeline, type AnswerRow, type ProgressEventRow, type TimelineEntry } from '@/lib/analytics/timeline';
import { isLessonSlug } from '@/lib/content/catalog';
import { extractToc } from '@/lib/content/headings';
import type { Grading } from '@/lib/quiz/grading';
import type { PublicQuestion } from '@/lib/quiz/schema';
import { choiceVariant } from '@/lib/quiz/variants';
import { resultView, type LessonQuizContent } from '@/lib/quiz/views';
import { widgetTitleOf } from '@/lib/widgets/catalog';

import type { Db } from '../db/client';
import { findQuestion } from '../quiz-content';
import { requireLearnerInOwnedCohort, type OwnedCohort } from './access';
import { learnerLabel } from './overview';

/**
 * One learner's activity in time order (PrairieLearn #196, #2074): sections read, widgets used,
 * predictions with what the widget then showed, and every answer with the feedback the learner
 * was shown, rebuilt from the stored grading with the quiz's own resultView.
 */

export const TIMELINE_LIMIT = 1000;

export interface LearnerTimeline {
  cohort: OwnedCohort['cohort'];
  learner: { id: string; name: string };
  entries: TimelineEntry[];
  /** True when the learner has more than TIMELINE_LIMIT events or answers; the newest are shown. */
  truncated: boolean;
}

const sectionTitleCache = new Map<string, Map<string, string>>();

/** Section ids to their headings, read once per lesson from its MDX source. */
export async function sectionTitles(slug: string): Promise<Map<string, string>> {
  const cached = sectionTitleCache.get(slug);
  if (cached) return cached;
  const titles = new Map<string, string>();
  if (isLessonSlug(slug)) {
    try {
      const source = await readFile(path.join(process.cwd(), 'content', 'lessons', slug, 'lesson.mdx'), 'utf8');
      for (const entry of extractToc(source)) titles.set(entry.id, entry.title);
    } catch {
      // Titles are a nicety: without the file the timeline shows section ids.
    }
  }
  sectionTitleCache.set(slug, titles);
  return titles;
}

const widgetDataSchema = z.object({ control: z.string() }).loose();
const predictionDataSchema = z
  .object({
    target: z.string(),
    predicted: z.union([
      z.object({ kind: z.literal('sign'), sign: z.number() }).loose(),
      z.object({ kind: z.literal('value'), value: z.number() }).loose(),
    ]),
    actual: z.number(),
    correct: z.boolean(),
  })
  .loose();

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4).replace(/\.?0+$/, '');
}

const SIGN_WORDS: Record<string, string> = { '-1': 'negative', '0': 'zero', '1': 'positive' };

export function progressEventRow(
  event: {
    id: string;
    type: string;
    target: string;
    data: string | null;
    occurredAt: Date;
  },
  titles: Map<string, string>,
): ProgressEventRow | null {
  switch (event.type) {
    case 'section-viewed':
      return {
        id: event.id,
        kind: 'section-viewed',
        at: event.occurredAt,
        sectionId: event.target,
        sectionTitle: titles.get(event.target) ?? null,
      };
    case 'widget-used': {
      const data = widgetDataSchema.safeParse(parseJson(event.data));
      return {
        id: event.id,
        kind: 'widget-used',
        at: event.occurredAt,
        widgetId: event.target,
        widgetTitle: widgetTitleOf(event.target),
        action: data.success ? data.data.control : null,
      };
    }
    case 'prediction-made': {
      const data = predictionDataSchema.safeParse(parseJson(event.data));
      const base = {
        id: event.id,
        kind: 'prediction',
        at: event.occurredAt,
        widgetId: event.target,
        widgetTitle: widgetTitleOf(event.target),
      } as const;
      if (!data.success) return { ...base, predicted: '?' };
      const { predicted, actual, correct, target } = data.data;
      const said =
        predicted.kind === 'sign'
          ? `${target} is ${SIGN_WORDS[String(predicted.sign)] ?? predicted.sign}`
          : `${target} = ${formatNumber(predicted.value)}`;
      return {
        ...base,
        predictionKind: predicted.kind,
        predicted: said,
        actual: formatNumber(actual),
        correct,
      };
    }
    default:
      return null;
  }
}

/** The learner's answer as they saw it: the option text for choices, the numbers for numeric parts. */
export function answerText(
  question: PublicQuestion,
  learnerId: string,
  variant: number,
  answer: unknown,
): string | null {
  if (question.kind === 'single-choice') {
    const choice = (answer as { choice?: unknown } | null)?.choice;
    const option = choiceVariant(question, learnerId, variant).find((o) => o.key === choice);
    return option ? `${String(choice)}: ${option.text}` : null;
  }
  if (question.kind === 'formula') {
    const expression = (answer as { expression?: unknown } | null)?.expression;
    return typeof expression === 'string' ? expression : null;
  }
  const parts = (answer as { parts?: Record<string, unknown> } | null)?.parts;
  if (!parts) return null;
  return question.parts.map((part) => `${part.id} = ${String(parts[part.id])}`).join(', ');
}

export function answerRow(
  row: {
    id: string;
    questionId: string;
    attempt: number;
    variant: number;
    answer: string;
    grading: string;
    score: number;
    correct: boolean;
    createdAt: Date;
    learnerId: string;
  },
  found: { content: LessonQuizContent; question: PublicQuestion } | undefined,
): AnswerRow {
  const answer = parseJson(row.answer);
  const grading = parseJson(row.grading) as Grading | null;
  let feedback: string | null = null;
  let tags: string[] = [];
  if (found && grading && Array.isArray(grading.parts)) {
    const view = resultView(found.content, found.question, {
      attempt: row.attempt,
      correct: row.correct,
      answer,
      grading,
    });
    feedback = view.parts
      .map((part) => (view.parts.length > 1 ? `${part.id}: ${part.feedback}` : part.feedback))
      .join(' ');
    tags = view.parts.flatMap((part) => (part.misconception ? [part.misconception] : []));
  }
  return {
    id: row.id,
    at: row.createdAt,
    questionId: row.questionId,
    // Plain text: the summary is a sentence, and TeX source would read as noise.
    questionPrompt: found ? inlineMathAsText(found.question.prompt) : null,
    attemptNumber: row.attempt,
    score: row.score,
    response: found ? answerText(found.question, row.learnerId, row.variant, answer) : null,
    feedback,
    misconceptionTags: tags,
  };
}

export async function learnerTimeline(
  db: Db,
  headers: Headers,
  cohortId: unknown,
  learnerId: unknown,
): Promise<LearnerTimeline> {
  const { cohort, learner } = await requireLearnerInOwnedCohort(db, headers, cohortId, learnerId);
  const [events, responses] = await Promise.all([
    db.progressEvent.findMany({
      where: { learnerId: learner.id },
      orderBy: [{ occurredAt: 'desc' }, { id: 'asc' }],
      take: TIMELINE_LIMIT + 1,
      select: { id: true, type: true, target: true, data: true, occurredAt: true, lessonSlug: true },
    }),
    db.response.findMany({
      where: { learnerId: learner.id },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: TIMELINE_LIMIT + 1,
      select: {
        id: true,
        learnerId: true,
        questionId: true,
        attempt: true,
        variant: true,
        answer: true,
        grading: true,
        score: true,
        correct: true,
        createdAt: true,
      },
    }),
  ]);
  const truncated = events.length > TIMELINE_LIMIT || responses.length > TIMELINE_LIMIT;
  const slugs = [...new Set(events.map((event) => event.lessonSlug))];
  const titles = new Map<string, string>();
  for (const slug of slugs) for (const [id, title] of await sectionTitles(slug)) titles.set(id, title);
  const eventRows = events.slice(0, TIMELINE_LIMIT).flatMap((event) => progressEventRow(event, titles) ?? []);
  const answerRows = responses.slice(0, TIMELINE_LIMIT).map((row) => answerRow(row, findQuestion(row.questionId)));
  return {
    cohort,
    learner: { id: learner.id, name: learnerLabel(learner) },
    entries: buildTimeline(eventRows, answerRows),
    truncated,
  };
}
