import 'server-only';

import { z } from 'zod';

import { isLessonSlug } from '@/lib/content/catalog';

import type { Db } from './db/client';
import { HttpError } from './http';

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

export const progressBatchSchema = z
  .object({ events: z.array(progressEventSchema).min(1).max(MAX_EVENTS_PER_BATCH) })
  .strict()
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
 * Stores a batch in one transaction: each event is an upsert on (learner, client id) that
 * changes nothing when the event exists, and the latest section viewed becomes the lesson's
 * resume point. Returns how many events were new.
 */
export async function recordProgress(
  db: Db,
  learnerId: string,
  events: readonly ProgressEventInput[],
): Promise<{ stored: number }> {
  if (events.length === 0) throw new HttpError(400, 'invalid-input', 'A batch needs at least one event.');
  const now = Date.now();
  const receivedAt = new Date(now);
  const before = await db.progressEvent.count({
    where: { learnerId, clientEventId: { in: events.map((event) => event.id) } },
  });
  const latestSection = new Map<string, { target: string; at: number }>();
  for (const event of events) {
    if (event.type !== 'section-viewed') continue;
    const seen = latestSection.get(event.lessonSlug);
    if (!seen || event.at >= seen.at) latestSection.set(event.lessonSlug, { target: event.target, at: event.at });
  }
  await db.$transaction([
    ...events.map((event) =>
      db.progressEvent.upsert({
        where: { learnerId_clientEventId: { learnerId, clientEventId: event.id } },
        update: {},
        create: {
          learnerId,
          clientEventId: event.id,
          lessonSlug: event.lessonSlug,
          type: event.type,
          target: event.target,
          data: 'data' in event ? JSON.stringify(event.data) : null,
          occurredAt: clampTime(event.at, now),
          receivedAt,
        },
        select: { id: true },
      }),
    ),
    ...[...latestSection].map(([lessonSlug, { target }]) =>
      db.lessonProgress.upsert({
        where: { learnerId_lessonSlug: { learnerId, lessonSlug } },
        update: { lastSectionId: target },
        create: { learnerId, lessonSlug, lastSectionId: target },
        select: { learnerId: true },
      }),
    ),
  ]);
  return { stored: events.length - before };
}
