import 'server-only';

import { csvReadableStream } from '@/lib/export/csv';
import { classOverviewCsvColumns, responseCsvColumns, type ResponseExportRow } from '@/lib/export/columns';
import { gradebookCsvColumns, type GradebookRow } from '@/lib/export/gradebook';
import { xapiJsonArrayChunks, type LearningEvent } from '@/lib/export/xapi';
import type { ClassOverviewRow } from '@/lib/analytics/class-overview';
import { LESSON_SLUGS } from '@/lib/content/catalog';
import { choiceVariant } from '@/lib/quiz/variants';

import { serverEnv } from '@/lib/env';

import { lessonSectionIds } from '../api/lesson-targets';
import { displayName } from '../api/names';
import type { Db } from '../db/client';
import { findQuestion } from '../quiz-content';
import { requireOwnedCohort } from './access';
import { recordAudit } from './audit';
import { allOverviewRows, courseQuestions } from './overview';
import { answerRow, progressEventRow, sectionTitles } from './timeline';

/**
 * The three downloads. Each checks ownership before the first byte, so a refusal is a real 401 or
 * 403 status, then streams: rows are read from the database in pages as the client takes the
 * previous chunk, so a class of thousands never sits in memory whole.
 */

const BATCH = 1000;

/** Every download is in the class's audit log (issue 19): who took which file, when. */
function recordDownload(db: Db, cohortId: string, instructor: { id: string; name: string }, file: string) {
  return recordAudit(db, cohortId, { id: instructor.id, name: instructor.name }, 'data-downloaded', { file });
}

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
  const { cohort, instructor } = await requireOwnedCohort(db, headers, cohortId);
  await recordDownload(db, cohort.id, instructor, 'overview.csv');
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
  const { cohort, instructor } = await requireOwnedCohort(db, headers, cohortId);
  await recordDownload(db, cohort.id, instructor, 'responses.csv');
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
  const { cohort, instructor } = await requireOwnedCohort(db, headers, cohortId);
  await recordDownload(db, cohort.id, instructor, 'xapi.json');
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

/** The class's gradebook rows: the overview's score per learner plus answered questions and join date. */
async function* gradebookRows(db: Db, cohortId: string, now: Date): AsyncGenerator<GradebookRow> {
  const questionIds = courseQuestions().ids;
  const sectionsTotal = (
    await Promise.all(LESSON_SLUGS.map(async (slug) => (await lessonSectionIds(slug)).size))
  ).reduce((sum, count) => sum + count, 0);
  let page: ClassOverviewRow[] = [];
  const flush = async function* (rows: ClassOverviewRow[]): AsyncGenerator<GradebookRow> {
    if (rows.length === 0) return;
    const ids = rows.map((row) => row.learnerId);
    const [answered, joined] = await Promise.all([
      db.response.groupBy({
        by: ['learnerId', 'questionId'],
        where: { learnerId: { in: ids }, questionId: { in: questionIds } },
      }),
      db.enrollment.findMany({
        where: { cohortId, learnerId: { in: ids } },
        select: { learnerId: true, joinedAt: true },
      }),
    ]);
    const answeredBy = new Map<string, number>();
    for (const row of answered) answeredBy.set(row.learnerId, (answeredBy.get(row.learnerId) ?? 0) + 1);
    const joinedBy = new Map(joined.map((row) => [row.learnerId, row.joinedAt]));
    for (const row of rows) {
      yield {
        learnerId: row.learnerId,
        name: displayName(row.displayName),
        joinedAt: joinedBy.get(row.learnerId) ?? now,
        score: row.quizScore,
        questionsAnswered: answeredBy.get(row.learnerId) ?? 0,
        questionsTotal: questionIds.length,
        sectionsRead: row.sectionsRead,
        sectionsTotal,
        lastActiveAt: row.lastActiveAt,
      };
    }
  };
  for await (const row of allOverviewRows(db, cohortId, now)) {
    page.push(row);
    if (page.length >= 500) {
      yield* flush(page);
      page = [];
    }
  }
  yield* flush(page);
}

/** One row per learner: score and completion (issue 19). */
export async function gradebookCsv(db: Db, headers: Headers, cohortId: unknown, now = new Date()): Promise<Download> {
  const { cohort, instructor } = await requireOwnedCohort(db, headers, cohortId);
  await recordDownload(db, cohort.id, instructor, 'gradebook.csv');
  return {
    filename: `${safeFilePart(cohort.name)}-gradebook-${stamp(now)}.csv`,
    contentType: 'text/csv; charset=utf-8',
    body: csvReadableStream(gradebookRows(db, cohort.id, now), gradebookCsvColumns, { bom: true }),
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
