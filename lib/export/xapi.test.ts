import { describe, expect, it } from 'vitest';

import {
  buildXapiStatement,
  uuidV5,
  xapiJsonArrayChunks,
  xapiStatements,
  type LearningEvent,
  type XapiConfig,
} from './xapi';
import { xapiStatementSchema } from './xapi-schema';

const config: XapiConfig = {
  activityBaseIri: 'https://autodidact.example.org/xapi/',
  accountHomePage: 'https://autodidact.example.org',
};

const at = Date.UTC(2026, 2, 4, 9, 30, 0);
const base = {
  learnerId: 'lrn_7f3a',
  at,
  lessonSlug: 'chain-rule-computational-graphs',
  lessonTitle: 'The chain rule',
};

const events: LearningEvent[] = [
  { ...base, kind: 'section-viewed', eventId: 'p1', sectionId: 'local-derivatives', sectionTitle: 'Local derivatives' },
  { ...base, kind: 'widget-used', eventId: 'p2', widgetId: 'chain-of-influence' },
  {
    ...base,
    kind: 'prediction',
    eventId: 'p3',
    widgetId: 'chain-of-influence',
    widgetTitle: 'Chain of influence',
    predicted: '0.5',
    correct: false,
  },
  { ...base, kind: 'quiz-started', eventId: 'r1', quizId: 'knowledge-check' },
  {
    ...base,
    kind: 'question-answered',
    eventId: 'r2',
    questionId: 'why-chain-rule',
    questionPrompt: 'Why does training need the chain rule?',
    interactionType: 'choice',
    score: 1,
    response: 'indirect-dependence',
  },
  {
    ...base,
    kind: 'question-answered',
    eventId: 'r3',
    questionId: 'dl-dw',
    interactionType: 'numeric',
    score: 0.5,
    response: '-0.42',
  },
];

describe('uuidV5', () => {
  it('matches the published example uuid5(NAMESPACE_DNS, "python.org") from the Python docs', async () => {
    expect(await uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '886313e1-3b8a-5372-9b90-0c9aee199e5d',
    );
  });
});

describe('buildXapiStatement', () => {
  it('every statement passes the xAPI subset schema', async () => {
    for (const event of events) {
      const statement = await buildXapiStatement(event, config);
      const parsed = xapiStatementSchema.safeParse(statement);
      expect(parsed.error?.issues ?? []).toEqual([]);
    }
  });

  it('maps each kind to its ADL verb', async () => {
    const verbs = await Promise.all(events.map(async (event) => (await buildXapiStatement(event, config)).verb.id));
    expect(verbs).toEqual([
      'http://adlnet.gov/expapi/verbs/experienced',
      'http://adlnet.gov/expapi/verbs/interacted',
      'http://adlnet.gov/expapi/verbs/answered',
      'http://adlnet.gov/expapi/verbs/attempted',
      'http://adlnet.gov/expapi/verbs/answered',
      'http://adlnet.gov/expapi/verbs/answered',
    ]);
  });

  it('identifies the learner only by account, and builds activity ids under the base IRI', async () => {
    const statement = await buildXapiStatement(events[0]!, config);
    expect(statement.actor).toEqual({
      objectType: 'Agent',
      account: { homePage: 'https://autodidact.example.org', name: 'lrn_7f3a' },
    });
    expect(JSON.stringify(statement)).not.toMatch(/mbox|@/);
    expect(statement.object.id).toBe(
      'https://autodidact.example.org/xapi/lessons/chain-rule-computational-graphs/sections/local-derivatives',
    );
    expect(statement.context.contextActivities?.parent?.[0]?.id).toBe(
      'https://autodidact.example.org/xapi/lessons/chain-rule-computational-graphs',
    );
    expect(statement.timestamp).toBe('2026-03-04T09:30:00.000Z');
  });

  it('percent-encodes ids so they cannot escape their path segment', async () => {
    const statement = await buildXapiStatement(
      { ...base, kind: 'widget-used', eventId: 'x', widgetId: 'a b/../c' },
      config,
    );
    expect(statement.object.id).toBe(
      'https://autodidact.example.org/xapi/lessons/chain-rule-computational-graphs/widgets/a%20b%2F..%2Fc',
    );
  });

  it('answers carry success, scaled score and response', async () => {
    const right = await buildXapiStatement(events[4]!, config);
    expect(right.result).toEqual({ success: true, score: { scaled: 1 }, response: 'indirect-dependence' });
    expect(right.object.definition).toMatchObject({
      interactionType: 'choice',
      name: { 'en-US': 'Why does training need the chain rule?' },
    });
    const half = await buildXapiStatement(events[5]!, config);
    expect(half.result).toEqual({ success: false, score: { scaled: 0.5 }, response: '-0.42' });
    const prediction = await buildXapiStatement(events[2]!, config);
    expect(prediction.result).toEqual({ response: '0.5', success: false });
  });

  it('gives the same id on re-export and different ids to different events', async () => {
    const first = await buildXapiStatement(events[4]!, config);
    const again = await buildXapiStatement({ ...events[4]! }, config);
    expect(again.id).toBe(first.id);
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ids = await Promise.all(events.map(async (event) => (await buildXapiStatement(event, config)).id));
    expect(new Set(ids).size).toBe(events.length);
    // The same database id in two tables (a progress event and a response) must not collide.
    const section = await buildXapiStatement({ ...base, kind: 'section-viewed', eventId: '1', sectionId: 's' }, config);
    const answer = await buildXapiStatement(
      {
        ...base,
        kind: 'question-answered',
        eventId: '1',
        questionId: 'q',
        interactionType: 'other',
        score: 0,
        response: '',
      },
      config,
    );
    expect(section.id).not.toBe(answer.id);
  });

  it('the schema rejects what we must never emit: an email, a bad scaled score, a local timestamp', async () => {
    const good = await buildXapiStatement(events[4]!, config);
    expect(xapiStatementSchema.safeParse({ ...good, actor: { ...good.actor, mbox: 'mailto:a@b.c' } }).success).toBe(
      false,
    );
    expect(xapiStatementSchema.safeParse({ ...good, result: { score: { scaled: 1.5 } } }).success).toBe(false);
    expect(xapiStatementSchema.safeParse({ ...good, timestamp: '2026-03-04 09:30' }).success).toBe(false);
  });
});

describe('streaming', () => {
  it('xapiStatements yields one statement per event in order', async () => {
    const ids: string[] = [];
    for await (const statement of xapiStatements(events, config)) ids.push(statement.object.id);
    expect(ids).toHaveLength(events.length);
  });

  it('xapiJsonArrayChunks joins into a JSON array of valid statements', async () => {
    let text = '';
    for await (const chunk of xapiJsonArrayChunks(events, config)) text += chunk;
    const parsed = xapiStatementSchema.array().parse(JSON.parse(text));
    expect(parsed).toHaveLength(events.length);
    let empty = '';
    for await (const chunk of xapiJsonArrayChunks([], config)) empty += chunk;
    expect(empty).toBe('[]');
  });
});
