import 'server-only';

import { csvReadableStream } from '@/lib/export/csv';
import { classOverviewCsvColumns, responseCsvColumns, type ResponseExportRow } from '@/lib/export/columns';
import { xapiJsonArrayChunks, type LearningEvent } from '@/lib/export/xapi';
import { choiceVariant } from '@/lib/quiz/variants';

import { serverEnv } from '@/lib/env';

import type { Db } from '../db/client';
import { findQuestion } from '../quiz-content';
import { requireOwnedCohort } from './access';
import { allOverviewRows } from './overview';
import { answerRow, progressEventRow, sectionTitles } from './timeline';

/**
 * The three downloads. Each checks ownership before the first byte, so a refusal is a real 401 or
 * 403 status, then streams: rows are read from the database in pages as the client takes the
 * previous chunk, so a class of thousands never sits in memory whole.
 */

const BATCH = 1000;

export interface Download {
  filename: string;
  contentType: string;
  body: ReadableStream<Uint8Array>;
}

function safeFilePart(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'class'
  );
}

function stamp(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export async function overviewCsv(db: Db, headers: Headers, cohortId: unknown, now = new Date()): Promise<Download> {
  const { cohort } = await requireOwnedCohort(db, headers, cohortId);
  return {
    filename: `${safeFilePart(cohort.name)}-overview-${stamp(now)}.csv`,
    contentType: 'text/csv; charset=utf-8',
    body: csvReadableStream(allOverviewRows(db, cohort.id, now), classOverviewCsvColumns(), { bom: true }),
  };
}

/** The class's responses by id, a page at a time (keyset pagination on the primary key). */
async function* cohortResponses(db: Db, cohortId: string) {
  let cursor: string | undefined;
  for (;;) {
    const page = await db.response.findMany({
      where: { learner: { enrollments: { some: { cohortId } } }, ...(cursor ? { id: { gt: cursor } } : {}) },
      orderBy: { id: 'asc' },
      take: BATCH,
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
        selectedOptionId: true,
      },
    });
    yield* page;
    if (page.length < BATCH) return;
    cursor = page[page.length - 1]?.id;
  }
}

async function* responseExportRows(db: Db, cohortId: string): AsyncGenerator<ResponseExportRow> {
  for await (const row of cohortResponses(db, cohortId)) {
    const found = findQuestion(row.questionId);
    const view = answerRow(row, found);
    let selectedOptionId = row.selectedOptionId;
    if (selectedOptionId === null && found?.question.kind === 'single-choice') {
      const choice = (JSON.parse(row.answer) as { choice?: unknown }).choice;
      selectedOptionId =
        choiceVariant(found.question, row.learnerId, row.variant).find((o) => o.key === choice)?.optionId ?? null;
    }
    yield {
      learnerId: row.learnerId,
      questionId: row.questionId,
      skill: found?.question.skill ?? '',
      attemptNumber: row.attempt,
      // When the question was shown is not recorded; see docs/decisions/008.
      startedAt: null,
      submittedAt: row.createdAt,
      score: row.score,
      selectedOptionId,
      response: view.response ?? null,
      misconceptionTags: view.misconceptionTags ?? [],
    };
  }
}

export async function responsesCsv(db: Db, headers: Headers, cohortId: unknown, now = new Date()): Promise<Download> {
  const { cohort } = await requireOwnedCohort(db, headers, cohortId);
  return {
    filename: `${safeFilePart(cohort.name)}-responses-${stamp(now)}.csv`,
    contentType: 'text/csv; charset=utf-8',
    body: csvReadableStream(responseExportRows(db, cohort.id), responseCsvColumns, { bom: true }),
  };
}

async function* cohortEvents(db: Db, cohortId: string) {
  let cursor: string | undefined;
  for (;;) {
    const page = await db.progressEvent.findMany({
      where: { learner: { enrollments: { some: { cohortId } } }, ...(cursor ? { id: { gt: cursor } } : {}) },
      orderBy: { id: 'asc' },
      take: BATCH,
      select: { id: true, learnerId: true, lessonSlug: true, type: true, target: true, data: true, occurredAt: true },
    });
    yield* page;
    if (page.length < BATCH) return;
    cursor = page[page.length - 1]?.id;
  }
}

async function* learningEvents(db: Db, cohortId: string): AsyncGenerator<LearningEvent> {
  for await (const event of cohortEvents(db, cohortId)) {
    const row = progressEventRow(event, await sectionTitles(event.lessonSlug));
    if (!row) continue;
    const base = { eventId: event.id, learnerId: event.learnerId, at: event.occurredAt, lessonSlug: event.lessonSlug };
    if (row.kind === 'section-viewed')
      yield { ...base, kind: 'section-viewed', sectionId: row.sectionId, sectionTitle: row.sectionTitle ?? null };
    else if (row.kind === 'widget-used')
      yield { ...base, kind: 'widget-used', widgetId: row.widgetId, widgetTitle: row.widgetTitle ?? null };
    else
      yield {
        ...base,
        kind: 'prediction',
        widgetId: row.widgetId,
        widgetTitle: row.widgetTitle ?? null,
        predicted: row.predicted,
        correct: row.correct ?? null,
      };
  }
  for await (const response of cohortResponses(db, cohortId)) {
    const found = findQuestion(response.questionId);
    if (!found) continue;
    const view = answerRow(response, found);
    yield {
      kind: 'question-answered',
      eventId: response.id,
      learnerId: response.learnerId,
      at: response.createdAt,
      lessonSlug: found.content.slug,
      questionId: response.questionId,
      questionPrompt: found.question.prompt,
      interactionType:
        found.question.kind === 'single-choice' ? 'choice' : found.question.kind === 'numeric' ? 'numeric' : 'other',
      score: response.score,
      response: view.response ?? '',
    };
  }
}

export async function xapiExport(
  db: Db,
  headers: Headers,
  cohortId: unknown,
  origin: string,
  now = new Date(),
): Promise<Download> {
  const { cohort } = await requireOwnedCohort(db, headers, cohortId);
  const base = serverEnv().AUTODIDACT_BASE_URL ?? origin;
  const chunks = xapiJsonArrayChunks(learningEvents(db, cohort.id), {
    activityBaseIri: `${base}/xapi`,
    accountHomePage: base,
  });
  const encoder = new TextEncoder();
  // Many tiny chunks (one per statement) are batched so the stream is not dominated by overhead.
  async function* batched() {
    let buffer = '';
    for await (const chunk of chunks) {
      buffer += chunk;
      if (buffer.length >= 16_384) {
        yield buffer;
        buffer = '';
      }
    }
    if (buffer) yield buffer;
  }
  const source = batched();
  return {
    filename: `${safeFilePart(cohort.name)}-xapi-${stamp(now)}.json`,
    contentType: 'application/json; charset=utf-8',
    body: new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await source.next();
        if (next.done === true) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await source.return(undefined);
      },
    }),
  };
}

/** The HTTP response for a download. */
export function downloadResponse(download: Download): Response {
  return new Response(download.body, {
    headers: {
      'Content-Type': download.contentType,
      'Content-Disposition': `attachment; filename="${download.filename}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
