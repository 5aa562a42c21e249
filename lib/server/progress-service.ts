import 'server-only';

import { randomUUID } from 'node:crypto';

import { z } from 'zod';

import { isLessonSlug } from '@/lib/content/catalog';

import { answerStatementsFor } from './db/answer-offload';
import type { Db } from './db/client';
import { handle, HttpError, json, parseOrThrow } from './http';
import { limitLearnerCall } from './resume-codes';
import { requireSession } from './session';

/**
 * Progress events the browser reports in batches (navigator.sendBeacon / fetch keepalive).
 * Each carries a random client id; (learner, client id) is unique, so a batch sent twice (a
 * beacon plus its retry) is stored once. Answers are not among them: the Response row written
 * by POST /api/quiz/answers is the authoritative record of an answer.
 */

const slugSchema = z.string().max(100).refine(isLessonSlug, { message: 'unknown lesson' });
const idPart = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9][a-z0-9:_-]*$/i, 'letters, digits, ":", "_" and "-" only');
const common = {
  id: z.uuid({ message: 'must be a UUID (crypto.randomUUID())' }),
  lessonSlug: slugSchema,
  /** Epoch milliseconds by the browser's clock. */
  at: z.number().int().min(0).max(8.64e15),
};
const finite = z.number().min(-1e9).max(1e9);

export const progressEventSchema = z.discriminatedUnion('type', [
  z.object({ ...common, type: z.literal('section-viewed'), target: idPart }).strict(),
  z
    .object({
      ...common,
      type: z.literal('widget-used'),
      target: idPart,
      data: z.object({ control: z.string().min(1).max(60) }).strict(),
    })
    .strict(),
  z
    .object({
      ...common,
      type: z.literal('prediction-made'),
      target: idPart,
      data: z
        .object({
          target: z.string().min(1).max(60),
          predicted: z.discriminatedUnion('kind', [
            z.object({ kind: z.literal('sign'), sign: z.union([z.literal(-1), z.literal(0), z.literal(1)]) }).strict(),
            z.object({ kind: z.literal('value'), value: finite }).strict(),
          ]),
          actual: finite,
          correct: z.boolean(),
        })
        .strict(),
    })
    .strict(),
]);
export type ProgressEventInput = z.infer<typeof progressEventSchema>;

export const MAX_EVENTS_PER_BATCH = 50;

/** Longest widget state kept per lesson: every widget's settings fit in a few hundred characters. */
export const MAX_WIDGET_STATE_CHARS = 2000;
/** A widget's URL key: `<instance id>.<field>` (lib/widgets/url-state.ts). */
const WIDGET_KEY = /^[a-z][a-z0-9_-]{0,30}\.[a-z][a-z0-9_]{0,30}$/i;

/**
 * The widget part of a lesson URL's query, kept so a return visit can restore the widgets. Only
 * `<id>.<field>` keys survive, re-encoded; the widgets validate the values again when they read
 * them (url-state.ts decodes strictly and falls back to defaults), so nothing here is trusted.
 */
export function widgetQuery(query: string): string {
  const kept = new URLSearchParams();
  for (const [key, value] of new URLSearchParams(query)) {
    if (WIDGET_KEY.test(key) && value.length <= 600) kept.append(key, value);
  }
  return kept.toString();
}

const widgetStateSchema = z
  .object({
    lessonSlug: slugSchema,
    query: z
      .string()
      .max(MAX_WIDGET_STATE_CHARS, `must be at most ${MAX_WIDGET_STATE_CHARS} characters`)
      .transform(widgetQuery),
  })
  .strict();

export const progressBatchSchema = z
  .object({
    events: z.array(progressEventSchema).max(MAX_EVENTS_PER_BATCH),
    /** The lesson's widget settings when they changed (docs/decisions/014). */
    widgetState: widgetStateSchema.optional(),
  })
  .strict()
  .refine((batch) => batch.events.length > 0 || batch.widgetState !== undefined, {
    message: 'send at least one event (or the widget state)',
    path: ['events'],
  })
  .refine((batch) => new Set(batch.events.map((event) => event.id)).size === batch.events.length, {
    message: 'event ids must be unique within a batch',
    path: ['events'],
  });

/** Browser clocks drift: keep their order but never store a time in the future or from long ago. */
const MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
function clampTime(at: number, now: number): Date {
  return new Date(Math.min(now, Math.max(now - MAX_AGE_MS, at)));
}

/**
 * Stores a batch in one transaction: the events in one multi-row insert that skips those already
 * stored (the unique key (learner, client id) decides), and the latest section viewed becomes the
 * lesson's resume point. Returns how many events were new. Raw SQL, portable to SQLite and
 * PostgreSQL, because Prisma 6.19 compiles every ORM query (about a millisecond each) and the
 * batch used to be a count plus one upsert per event (docs/decisions/009).
 */
export async function recordProgress(
  db: Db,
  learnerId: string,
  events: readonly ProgressEventInput[],
  widgetState?: { lessonSlug: string; query: string },
): Promise<{ stored: number }> {
  if (events.length === 0 && !widgetState) {
    throw new HttpError(400, 'invalid-input', 'A batch needs at least one event.');
  }
  const now = Date.now();
  const receivedAt = new Date(now);
  const latestSection = new Map<string, { target: string; at: number }>();
  for (const event of events) {
    if (event.type !== 'section-viewed') continue;
    const seen = latestSection.get(event.lessonSlug);
    if (!seen || event.at >= seen.at) latestSection.set(event.lessonSlug, { target: event.target, at: event.at });
  }
  const stored = await answerStatementsFor(db).run('insertProgressBatch', {
    learnerId,
    receivedAt,
    events: events.map((event) => ({
      id: randomUUID(),
      clientEventId: event.id,
      lessonSlug: event.lessonSlug,
      type: event.type,
      target: event.target,
      data: 'data' in event ? JSON.stringify(event.data) : null,
      occurredAt: clampTime(event.at, now),
    })),
    lastSections: [...latestSection].map(([lessonSlug, { target }]) => ({ lessonSlug, target })),
    widgetState,
  });
  return { stored };
}

export interface ResumePoint {
  lastSectionId: string | null;
  /** The widget part of the lesson URL's query, '' when every widget is at its default. */
  widgetState: string;
}

/** Where the learner left a lesson: the section and the widget settings (docs/decisions/014). */
export async function resumePoint(db: Db, learnerId: string, lessonSlug: string): Promise<ResumePoint> {
  const row = await db.lessonProgress.findUnique({
    where: { learnerId_lessonSlug: { learnerId, lessonSlug } },
    select: { lastSectionId: true, widgetState: true },
  });
  return { lastSectionId: row?.lastSectionId ?? null, widgetState: row?.widgetState ?? '' };
}

export const resumeQuerySchema = z.object({ lessonSlug: slugSchema }).strict();

/** GET /api/progress?lessonSlug=…: the resume point of this session's learner.  200 | 400 401 */
export function getResumePointHandler(request: Request, db: Db): Promise<Response> {
  return handle(async () => {
    const params = Object.fromEntries(new URL(request.url).searchParams);
    const { lessonSlug } = parseOrThrow(resumeQuerySchema, params);
    await limitLearnerCall(request);
    const session = await requireSession(db, request);
    return json(await resumePoint(db, session.learnerId, lessonSlug));
  });
}
