// Property-based fuzzing of every learner input (each route's body, cookie and path parameter, and
// the instructor downloads' class id): whatever arrives, the answer is a 2xx or a clear 4xx with
// an error message, never a 5xx, and a 4xx wrote nothing (every table's row count, the display
// names and resume points are compared before and after each case).
//
// The route handlers (app/api/**) run in-process with real Request objects on this file's own
// database. 10,000 cases per input on SQLite (a few seconds each). On PostgreSQL
// (`npm run test:postgres`) each case costs a network round trip or two, so the default there is
// 1,000; FUZZ_RUNS overrides both.
import { randomUUID } from 'node:crypto';

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { graphPractice, knowledgeCheck } from '@/content/lessons/chain-rule-computational-graphs/questions';
import { configureRateLimits } from '@/lib/server/rate-limit';

import { newLearner, type Learner } from '../integration/helpers/learner-client';
import { createQuizDatabase } from '../integration/helpers/quiz-database';
import type { TestDatabase } from '../integration/helpers/test-database';
import {
  getInstructorRoute,
  getStateRoute,
  type InstructorFixture,
  LESSON,
  learnerPosts,
  type LearnerPostPath,
  type Snapshot,
  snapshotter,
  twoInstructors,
} from './route-client';

let database: TestDatabase;
let learner: Learner;
let classes: InstructorFixture;
let snapshots: ReturnType<typeof snapshotter>;

const RUNS = Number(process.env.FUZZ_RUNS ?? (process.env.TEST_DATABASE === 'postgresql' ? 1_000 : 10_000));
const TIMEOUT = 600_000;

beforeAll(async () => {
  // Thousands of requests from one session are the point here, not abuse: the rate limits have
  // their own tests (tests/security/abuse-limits.test.ts).
  configureRateLimits('off');
  database = await createQuizDatabase();
  learner = await newLearner(database.db);
  classes = await twoInstructors(database.db, 'fuzz');
  snapshots = snapshotter(database);
});
afterAll(async () => {
  configureRateLimits({ factor: 1 });
  snapshots?.close();
  await database?.cleanup();
});

// ---- generators: raw junk, any JSON, and valid bodies with one thing changed ----

/** Any JSON value, including deep and odd ones (fast-check's own), as text. */
const anyJsonText = fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value));
/** Text that is usually not JSON at all: truncated, binary-ish, huge numbers, duplicate keys. */
const junkText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('', ' ', 'null', '[]', '{}', '{"a":', '1e999', '-0', '"\\ud800"', '{"__proto__":{"x":1}}'),
  fc.jsonValue().map((value) => JSON.stringify(value).slice(0, -1)),
);

/** Values to put where a field was: wrong types, edge numbers, huge strings, nested junk. */
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -0,
    -1,
    1.5,
    2 ** 31,
    2 ** 53 + 2,
    -1e308,
    1e308,
    Number.MIN_VALUE,
    '',
    ' ',
    '0',
    'NaN',
    'Infinity',
    '__proto__',
    'constructor',
    'A',
    'Z',
    'x'.repeat(10_000),
    [],
    {},
  ),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 50 }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** `base` with one key replaced by an odd value, deleted, or an extra key added. */
function mutated(base: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(base, fc.nat(), oddValue, fc.constantFrom('replace', 'delete', 'add'), fc.string({ maxLength: 12 }))
    .map(([object, index, value, how, extraKey]) => {
      const copy: Record<string, unknown> = { ...object };
      const keys = Object.keys(copy);
      const key = keys[index % Math.max(1, keys.length)];
      if (how === 'replace' && key !== undefined) copy[key] = value;
      else if (how === 'delete' && key !== undefined) delete copy[key];
      else copy[extraKey || 'extra'] = value;
      return copy;
    });
}

const questionIds = [...knowledgeCheck, ...graphPractice].map((question) => question.id);
const numericParts = fc.constantFrom(...graphPractice).chain((question) =>
  fc
    .tuple(...question.parts.map(() => fc.oneof(fc.double({ min: -10, max: 10, noNaN: true }), oddValue)))
    .map((values) => ({
      questionId: question.id,
      parts: Object.fromEntries(question.parts.map((part, index) => [part.id, values[index]])),
    })),
);
const validishSubmission = fc.oneof(
  fc.record({
    questionId: fc.constantFrom(...questionIds),
    attempt: fc.oneof(fc.integer({ min: 1, max: 4 }), oddValue),
    answer: fc.oneof(
      fc.record({ choice: fc.oneof(fc.constantFrom('A', 'B', 'C', 'D'), oddValue) }),
      fc.record({ parts: fc.dictionary(fc.string({ maxLength: 6 }), oddValue, { maxKeys: 4 }) }),
      oddValue,
    ),
  }),
  fc
    .tuple(numericParts, fc.integer({ min: 1, max: 4 }))
    .map(([{ questionId, parts }, attempt]) => ({ questionId, attempt, answer: { parts } })),
);
const answerBodies = fc.oneof(
  anyJsonText,
  junkText,
  validishSubmission.map((body) => JSON.stringify(body)),
  mutated(validishSubmission).map((body) => JSON.stringify(body)),
);

const eventBase = {
  id: fc.uuid(),
  lessonSlug: fc.constant(LESSON),
  target: fc.constantFrom('why-it-matters', 'neuron:w', 'a-b_c'),
  at: fc.oneof(fc.constant(Date.now()), fc.integer({ min: 0, max: 8.64e15 })),
};
/** One valid event of each type (the schema's discriminated union). */
const validEvent: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  // Targets the lesson has, and some it does not (refused with a 400 since issue 19).
  fc.record({
    ...eventBase,
    type: fc.constant('section-viewed'),
    target: fc.constantFrom('why-it-matters', 'worked-example', 'a-b_c'),
  }),
  fc.record({
    ...eventBase,
    type: fc.constant('widget-used'),
    target: fc.constantFrom('forward-pass:fp', 'neuron:w'),
    data: fc.record({ control: fc.constant('w-slider') }),
  }),
  fc.record({
    ...eventBase,
    type: fc.constant('prediction-made'),
    data: fc.record({
      target: fc.constant('dL/dw'),
      predicted: fc.oneof(
        fc.record({ kind: fc.constant('sign'), sign: fc.constantFrom(-1, 0, 1) }),
        fc.record({ kind: fc.constant('value'), value: fc.double({ min: -1e9, max: 1e9, noNaN: true }) }),
      ),
      actual: fc.double({ min: -5, max: 5, noNaN: true }),
      correct: fc.boolean(),
    }),
  }),
);
/** Mostly-valid batches: each event valid or with one field changed, sometimes too many events. */
const progressBodies = fc.oneof(
  anyJsonText,
  junkText,
  fc
    .array(fc.oneof({ weight: 4, arbitrary: validEvent }, { weight: 1, arbitrary: mutated(validEvent) }), {
      minLength: 0,
      maxLength: 55,
    })
    .map((events) => JSON.stringify({ events })),
  mutated(fc.record({ events: fc.array(validEvent, { minLength: 1, maxLength: 3 }) })).map((body) =>
    JSON.stringify(body),
  ),
);

const learnerBodies = fc.oneof(
  anyJsonText,
  junkText,
  mutated(
    fc.record(
      {
        displayName: fc.oneof(fc.string({ maxLength: 50 }), fc.constant(null), oddValue),
        joinCode: fc.oneof(fc.string({ maxLength: 20 }), fc.constant('ZZZZ2222'), oddValue),
      },
      { requiredKeys: [] },
    ),
  ).map((body) => JSON.stringify(body)),
);

// ---- the property ----

interface Outcome {
  status: number;
  body: string;
}

/**
 * Runs `send` for every generated input: never 5xx; a 4xx carries `{ error: { message } }` and
 * leaves the database exactly as it was. Returns how many cases ended in each status.
 */
async function fuzz<T>(
  arbitrary: fc.Arbitrary<T>,
  send: (input: T) => Promise<Response>,
): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  let before: Snapshot = await snapshots.take();
  await fc.assert(
    fc.asyncProperty(arbitrary, async (input) => {
      const response = await send(input);
      const outcome: Outcome = { status: response.status, body: await response.text() };
      statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
      const after = await snapshots.take();
      if (outcome.status >= 500 || outcome.status < 200 || (outcome.status >= 300 && outcome.status < 400)) {
        throw new Error(`status ${outcome.status}: ${outcome.body.slice(0, 300)}`);
      }
      if (outcome.status >= 400) {
        const parsed = JSON.parse(outcome.body) as { error?: { message?: unknown } };
        if (typeof parsed.error?.message !== 'string') throw new Error(`4xx without a message: ${outcome.body}`);
        if (JSON.stringify(after) !== JSON.stringify(before)) {
          throw new Error(`a ${outcome.status} wrote: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
        }
      }
      before = after;
    }),
    { numRuns: RUNS, endOnFailure: true },
  );
  return statuses;
}

function report(name: string, statuses: Map<number, number>): void {
  const summary = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`);
  console.log(`[fuzz] ${name}: ${RUNS} cases → ${summary.join(' ')}`);
}

function post(path: LearnerPostPath, body: string, cookie = learner.cookie): Promise<Response> {
  return learnerPosts[path]({ body, headers: { cookie } });
}

describe(`fuzzing every input schema (${RUNS} cases each): only 2xx or 4xx, and a 4xx writes nothing`, () => {
  it(
    'POST /api/quiz/answers body',
    async () => {
      const statuses = await fuzz(answerBodies, (body) => post('/api/quiz/answers', body));
      report('answers', statuses);
      // The generators reach both the refusals and real grading (else the property is vacuous).
      expect(statuses.get(400)).toBeGreaterThan(RUNS / 10);
      expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    },
    TIMEOUT,
  );

  it(
    'POST /api/progress body',
    async () => {
      const statuses = await fuzz(progressBodies, (body) => post('/api/progress', body));
      report('progress', statuses);
      expect(statuses.get(400)).toBeGreaterThan(RUNS / 10);
      expect(statuses.get(200) ?? 0).toBeGreaterThan(RUNS / 100);
    },
    TIMEOUT,
  );

  it(
    'POST /api/learner body',
    async () => {
      const statuses = await fuzz(learnerBodies, (body) => post('/api/learner', body));
      report('learner', statuses);
      expect(statuses.get(400)).toBeGreaterThan(RUNS / 10);
      expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    },
    TIMEOUT,
  );

  it(
    'the session cookie (on every learner POST with a valid body)',
    async () => {
      const cookieValue = fc.oneof(
        fc.string({ maxLength: 300 }),
        fc.string({ unit: 'binary-ascii', maxLength: 300 }),
        fc.constantFrom('Fe26.2**', 'Fe26.2*1*a*b*c*d*e*f', learner.cookie.split('=')[1]!.slice(0, -2)),
        fc.base64String({ maxLength: 400 }).map((value) => `Fe26.2**${value}`),
      );
      const cookies = fc.tuple(cookieValue, fc.boolean()).map(([value, named]) =>
        // Strip what a Cookie header cannot carry; Headers would refuse it before the app sees it.
        // eslint-disable-next-line no-control-regex
        (named ? `autodidact_session=${value}` : value).replace(/[\u0000-\u001f\u007f-\uffff]/g, ''),
      );
      const paths = fc.constantFrom<LearnerPostPath>('/api/quiz/answers', '/api/progress', '/api/learner');
      const bodies: Record<string, () => string> = {
        '/api/quiz/answers': () =>
          JSON.stringify({ questionId: 'gradient-step', attempt: 1, answer: { parts: { value: 0.1 } } }),
        '/api/progress': () =>
          JSON.stringify({
            events: [{ id: randomUUID(), type: 'section-viewed', lessonSlug: LESSON, target: 'x', at: Date.now() }],
          }),
        '/api/learner': () => JSON.stringify({ displayName: 'Cookie Monster' }),
      };
      const statuses = await fuzz(fc.tuple(paths, cookies), ([path, cookie]) => post(path, bodies[path]!(), cookie));
      report('cookie', statuses);
      expect([...statuses.keys()]).toEqual([401]);
    },
    TIMEOUT,
  );

  it(
    'GET /api/lessons/:slug/state slug',
    async () => {
      const slugs = fc.oneof(
        fc.string({ maxLength: 120 }),
        fc.constantFrom(
          '',
          '.',
          '..',
          LESSON.toUpperCase(),
          `${LESSON} `,
          `${LESSON}\u0000`,
          '__proto__',
          'constructor',
        ),
      );
      // With the learner's cookie, so a known slug reads state and writes nothing either.
      const statuses = await fuzz(slugs, (slug) => getStateRoute(slug, { headers: { cookie: learner.cookie } }));
      report('state slug', statuses);
      expect([...statuses.keys()].every((status) => status === 404 || status === 200)).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'instructor downloads: the class id, as the owner',
    async () => {
      const ids = fc.oneof(
        fc.string({ maxLength: 120 }),
        fc.uuid(),
        fc.constantFrom(classes.otherCohortId, learner.learnerId, '0', '', '%00', "' OR '1'='1", '__proto__'),
      );
      const names = fc.constantFrom('overview.csv', 'responses.csv', 'xapi.json' as const);
      const statuses = await fuzz(fc.tuple(names, ids), ([name, id]) =>
        getInstructorRoute(name, id, { cookie: classes.owner }),
      );
      report('cohort id', statuses);
      expect([...statuses.keys()].every((status) => status === 400 || status === 403)).toBe(true);
    },
    TIMEOUT,
  );
});
