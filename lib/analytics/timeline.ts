/**
 * One learner's story in time order: what they read, which widgets they touched, what they
 * predicted, what they answered and which feedback they saw. Progress events and quiz responses
 * live in different tables; this merges them into one typed list with a sentence per entry.
 */
import { toEpochMs, type Instant } from './instant';

export type ProgressEventRow =
  | { id: string; kind: 'section-viewed'; at: Instant; sectionId: string; sectionTitle?: string | null }
  | {
      id: string;
      kind: 'widget-used';
      at: Instant;
      widgetId: string;
      widgetTitle?: string | null;
      action?: string | null;
    }
  | {
      id: string;
      kind: 'prediction';
      at: Instant;
      widgetId: string;
      widgetTitle?: string | null;
      /** A committed sign is right or wrong; a committed value is close enough or off. */
      predictionKind?: 'sign' | 'value' | null;
      predicted: string;
      /** What the widget then showed, when the learner revealed it. */
      actual?: string | null;
      correct?: boolean | null;
      feedback?: string | null;
    };

export interface AnswerRow {
  id: string;
  at: Instant;
  questionId: string;
  questionPrompt?: string | null;
  attemptNumber?: number | null;
  /** Fraction of marks, 0..1. */
  score: number;
  /** The learner's answer as text (option label, number, expression); null when not kept. */
  response?: string | null;
  /** The feedback shown to the learner after this answer. */
  feedback?: string | null;
  misconceptionTags?: readonly string[];
}

interface EntryBase {
  id: string;
  /** Epoch ms. */
  at: number;
  summary: string;
}

export type TimelineEntry =
  | (EntryBase & { kind: 'section-viewed'; sectionId: string })
  | (EntryBase & { kind: 'widget-used'; widgetId: string })
  | (EntryBase & { kind: 'prediction'; widgetId: string; correct: boolean | null; feedback: string | null })
  | (EntryBase & {
      kind: 'answer';
      questionId: string;
      score: number;
      correct: boolean;
      feedback: string | null;
      misconceptionTags: readonly string[];
    });

export type TimelineEntryKind = TimelineEntry['kind'];

/** Within one millisecond, reading comes before doing: the order a learner works in. */
const kindOrder: Record<TimelineEntryKind, number> = {
  'section-viewed': 0,
  'widget-used': 1,
  prediction: 2,
  answer: 3,
};

function percent(score: number): string {
  return `${Math.round(score * 100)}%`;
}

export function summarizeAnswer(row: AnswerRow): string {
  const what = row.questionPrompt ?? row.questionId;
  const outcome = row.score >= 1 ? 'right' : row.score <= 0 ? 'wrong' : `partly right (${percent(row.score)})`;
  const attempt = row.attemptNumber != null && row.attemptNumber > 1 ? ` on attempt ${row.attemptNumber}` : '';
  const response = row.response != null && row.response !== '' ? ` with “${row.response}”` : '';
  return `Answered “${what}”${response}: ${outcome}${attempt}`;
}

function progressEntry(event: ProgressEventRow): TimelineEntry {
  const at = toEpochMs(event.at);
  switch (event.kind) {
    case 'section-viewed':
      return {
        id: event.id,
        at,
        kind: event.kind,
        sectionId: event.sectionId,
        summary: `Read “${event.sectionTitle ?? event.sectionId}”`,
      };
    case 'widget-used': {
      const action = event.action != null && event.action !== '' ? ` (${event.action})` : '';
      return {
        id: event.id,
        at,
        kind: event.kind,
        widgetId: event.widgetId,
        summary: `Used ${widgetName(event)}${action}`,
      };
    }
    case 'prediction': {
      const revealed = event.actual != null ? `; it showed ${event.actual}` : '';
      const [right, wrong] = event.predictionKind === 'sign' ? ['right', 'wrong'] : ['close enough', 'off'];
      const verdict = event.correct === true ? ` (${right})` : event.correct === false ? ` (${wrong})` : '';
      return {
        id: event.id,
        at,
        kind: event.kind,
        widgetId: event.widgetId,
        correct: event.correct ?? null,
        feedback: event.feedback ?? null,
        summary: `Predicted ${event.predicted} in ${widgetName(event)}${revealed}${verdict}`,
      };
    }
  }
}

/** A widget's title in quotes, as sections are named; the raw id when the title is unknown. */
function widgetName(event: { widgetId: string; widgetTitle?: string | null }): string {
  return event.widgetTitle ? `“${event.widgetTitle}”` : event.widgetId;
}

function answerEntry(row: AnswerRow): TimelineEntry {
  return {
    id: row.id,
    at: toEpochMs(row.at),
    kind: 'answer',
    questionId: row.questionId,
    score: row.score,
    correct: row.score >= 1,
    feedback: row.feedback ?? null,
    misconceptionTags: row.misconceptionTags ?? [],
    summary: summarizeAnswer(row),
  };
}

/** All entries, oldest first; ties by kind (read, use, predict, answer) and then by id, so the order is stable. */
export function buildTimeline(events: readonly ProgressEventRow[], answers: readonly AnswerRow[]): TimelineEntry[] {
  return [...events.map(progressEntry), ...answers.map(answerEntry)].sort(
    (a, b) => a.at - b.at || kindOrder[a.kind] - kindOrder[b.kind] || a.id.localeCompare(b.id),
  );
}
