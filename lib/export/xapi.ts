/**
 * xAPI 1.0.3 statements for learning activity, so an institution's Learning Record Store can
 * take Autodidact's records. The learner appears only as an account with the pseudonymous
 * learner id: no name, no email. Statement ids are UUID v5 of the event, so exporting twice
 * yields the same ids and an LRS treats the second export as the same statements.
 * Mapping and sources: docs/decisions/007-item-statistics.md.
 */
import { toEpochMs, type Instant } from '@/lib/analytics/instant';

export const XAPI_VERBS = {
  experienced: 'http://adlnet.gov/expapi/verbs/experienced',
  interacted: 'http://adlnet.gov/expapi/verbs/interacted',
  answered: 'http://adlnet.gov/expapi/verbs/answered',
  attempted: 'http://adlnet.gov/expapi/verbs/attempted',
} as const;

export type XapiVerbName = keyof typeof XAPI_VERBS;

export const XAPI_ACTIVITY_TYPES = {
  module: 'http://adlnet.gov/expapi/activities/module',
  assessment: 'http://adlnet.gov/expapi/activities/assessment',
  simulation: 'http://adlnet.gov/expapi/activities/simulation',
  interaction: 'http://adlnet.gov/expapi/activities/cmi.interaction',
} as const;

/**
 * Namespace for statement ids (a v4-format UUID chosen once for Autodidact). Changing it changes
 * every statement id, so re-exports would duplicate in the LRS: never change it.
 */
export const STATEMENT_ID_NAMESPACE = '3f0c7a52-8a1e-4d0b-9b6e-2c5d1e7f4a90';

export type InteractionType = 'choice' | 'numeric' | 'fill-in' | 'other';

interface EventBase {
  /** The event's id in our database; with `kind`, it determines the statement id. */
  eventId: string;
  /** Pseudonymous learner id, the account name in the LRS. */
  learnerId: string;
  at: Instant;
  lessonSlug: string;
  lessonTitle?: string | null;
}

export type LearningEvent =
  | (EventBase & { kind: 'section-viewed'; sectionId: string; sectionTitle?: string | null })
  | (EventBase & { kind: 'widget-used'; widgetId: string; widgetTitle?: string | null })
  | (EventBase & {
      kind: 'prediction';
      widgetId: string;
      widgetTitle?: string | null;
      predicted: string;
      correct?: boolean | null;
    })
  | (EventBase & { kind: 'quiz-started'; quizId: string; quizTitle?: string | null })
  | (EventBase & {
      kind: 'question-answered';
      questionId: string;
      questionPrompt?: string | null;
      interactionType: InteractionType;
      /** Fraction of marks, 0..1. */
      score: number;
      response: string;
    });

export interface XapiConfig {
  /** Activity ids are built under this IRI, e.g. https://autodidact.example.org/xapi. */
  activityBaseIri: string;
  /** The account's home page: the system the learner id belongs to. */
  accountHomePage: string;
  platform?: string;
  /** RFC 5646 tag for names and verb displays. */
  language?: string;
}

export type LanguageMap = Record<string, string>;

export interface XapiActivity {
  objectType: 'Activity';
  id: string;
  definition?: { type?: string; name?: LanguageMap; interactionType?: InteractionType };
}

export interface XapiStatement {
  id: string;
  actor: { objectType: 'Agent'; account: { homePage: string; name: string } };
  verb: { id: string; display: LanguageMap };
  object: XapiActivity;
  result?: { success?: boolean; score?: { scaled: number }; response?: string };
  context: {
    platform: string;
    language: string;
    contextActivities?: { parent?: XapiActivity[] };
  };
  timestamp: string;
}

// --- UUID v5 (RFC 4122 §4.3) over Web Crypto's SHA-1, available in browsers and Node ≥ 18 ---

function uuidToBytes(uuid: string): Uint8Array {
  const hex = uuid.replaceAll('-', '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`not a UUID: ${uuid}`);
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

function bytesToUuid(bytes: Uint8Array): string {
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Name-based UUID (version 5, SHA-1). SHA-1 here names things; it protects nothing. */
export async function uuidV5(name: string, namespace: string): Promise<string> {
  const nameBytes = new TextEncoder().encode(name);
  const input = new Uint8Array(16 + nameBytes.length);
  input.set(uuidToBytes(namespace), 0);
  input.set(nameBytes, 16);
  const hash = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-1', input));
  const bytes = hash.slice(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  return bytesToUuid(bytes);
}

// --- statements ---

function trimSlash(iri: string): string {
  return iri.replace(/\/+$/, '');
}

function segment(id: string): string {
  return encodeURIComponent(id);
}

function named(language: string, text: string | null | undefined): { name?: LanguageMap } {
  return text == null || text === '' ? {} : { name: { [language]: text } };
}

/** The statement for one event. */
export async function buildXapiStatement(event: LearningEvent, config: XapiConfig): Promise<XapiStatement> {
  const base = trimSlash(config.activityBaseIri);
  const language = config.language ?? 'en-US';
  const lessonIri = `${base}/lessons/${segment(event.lessonSlug)}`;
  const lesson: XapiActivity = {
    objectType: 'Activity',
    id: lessonIri,
    definition: { type: XAPI_ACTIVITY_TYPES.module, ...named(language, event.lessonTitle) },
  };

  let verb: XapiVerbName;
  let object: XapiActivity;
  let result: XapiStatement['result'];
  switch (event.kind) {
    case 'section-viewed':
      verb = 'experienced';
      object = {
        objectType: 'Activity',
        id: `${lessonIri}/sections/${segment(event.sectionId)}`,
        definition: named(language, event.sectionTitle),
      };
      break;
    case 'widget-used':
      verb = 'interacted';
      object = {
        objectType: 'Activity',
        id: `${lessonIri}/widgets/${segment(event.widgetId)}`,
        definition: { type: XAPI_ACTIVITY_TYPES.simulation, ...named(language, event.widgetTitle) },
      };
      break;
    case 'prediction':
      // A prediction is an answer to the widget's implicit question "what will happen?".
      verb = 'answered';
      object = {
        objectType: 'Activity',
        id: `${lessonIri}/widgets/${segment(event.widgetId)}/prediction`,
        definition: {
          type: XAPI_ACTIVITY_TYPES.interaction,
          interactionType: 'other',
          ...named(language, event.widgetTitle == null ? null : `Prediction: ${event.widgetTitle}`),
        },
      };
      result = { response: event.predicted, ...(event.correct == null ? {} : { success: event.correct }) };
      break;
    case 'quiz-started':
      verb = 'attempted';
      object = {
        objectType: 'Activity',
        id: `${lessonIri}/quizzes/${segment(event.quizId)}`,
        definition: { type: XAPI_ACTIVITY_TYPES.assessment, ...named(language, event.quizTitle) },
      };
      break;
    case 'question-answered':
      verb = 'answered';
      object = {
        objectType: 'Activity',
        id: `${lessonIri}/questions/${segment(event.questionId)}`,
        definition: {
          type: XAPI_ACTIVITY_TYPES.interaction,
          interactionType: event.interactionType,
          ...named(language, event.questionPrompt),
        },
      };
      result = {
        success: event.score >= 1,
        // scaled must lie in [−1, 1]; our scores are fractions of marks, so clamp stray rounding.
        score: { scaled: Math.max(0, Math.min(1, event.score)) },
        response: event.response,
      };
      break;
  }
  if (object.definition !== undefined && Object.keys(object.definition).length === 0) delete object.definition;

  return {
    // The kind is part of the name because ids from different tables may coincide.
    id: await uuidV5(`${event.kind}:${event.eventId}`, STATEMENT_ID_NAMESPACE),
    actor: { objectType: 'Agent', account: { homePage: config.accountHomePage, name: event.learnerId } },
    verb: { id: XAPI_VERBS[verb], display: { [language]: verb } },
    object,
    ...(result === undefined ? {} : { result }),
    context: {
      platform: config.platform ?? 'Autodidact',
      language,
      // Every activity sits in a lesson; an LRS groups and reports by this parent.
      contextActivities: { parent: [lesson] },
    },
    timestamp: new Date(toEpochMs(event.at)).toISOString(),
  };
}

export async function* xapiStatements(
  events: Iterable<LearningEvent> | AsyncIterable<LearningEvent>,
  config: XapiConfig,
): AsyncGenerator<XapiStatement, void, undefined> {
  for await (const event of events) yield await buildXapiStatement(event, config);
}

/** A JSON array of statements as text chunks, for a streamed download or a POST body. */
export async function* xapiJsonArrayChunks(
  events: Iterable<LearningEvent> | AsyncIterable<LearningEvent>,
  config: XapiConfig,
): AsyncGenerator<string, void, undefined> {
  let first = true;
  yield '[';
  for await (const statement of xapiStatements(events, config)) {
    yield (first ? '' : ',') + JSON.stringify(statement);
    first = false;
  }
  yield ']';
}
