// Hostile requests against the real route handlers (app/api/**, called in-process with real
// Request objects on this file's own database): cross-origin writes, other learners' ids, forged
// identities in bodies and cookies, the x-middleware-subrequest header (CVE-2025-29927), and
// oversized bodies. Each refusal must be a clear 4xx that wrote nothing.
//
// Covered elsewhere, not repeated here: the instructor pages and server actions as nobody, a
// learner and another instructor (tests/integration/instructor-access.test.ts, table-driven over
// lib/server/instructor/endpoints.ts); the answer-body edge cases (tests/integration/
// quiz-answers.test.ts); the rendered HTML and RSC payload leak scan (tests/e2e/quiz.spec.ts); the
// same header checks against a real production server (tests/multi-instance/two-instances.test.ts).
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { knowledgeCheckKeys } from '@/content/lessons/chain-rule-computational-graphs/answers.server';
import { knowledgeCheck } from '@/content/lessons/chain-rule-computational-graphs/questions';
import { MAX_ANSWER_BYTES, MAX_LEARNER_BYTES, MAX_PROGRESS_BYTES } from '@/lib/server/api/handlers';
import { sessionIdFrom } from '@/lib/server/session';

import { choiceLetters, newLearner, type Learner } from '../integration/helpers/learner-client';
import { createQuizDatabase } from '../integration/helpers/quiz-database';
import type { TestDatabase } from '../integration/helpers/test-database';
import {
  getInstructorRoute,
  getStateRoute,
  instructorGets,
  type InstructorFixture,
  type InstructorGetName,
  LESSON,
  learnerPosts,
  type LearnerPostPath,
  snapshot,
  twoInstructors,
} from './route-client';

let database: TestDatabase;
let alice: Learner;
let bob: Learner;
let classes: InstructorFixture;

beforeAll(async () => {
  database = await createQuizDatabase();
  alice = await newLearner(database.db);
  bob = await newLearner(database.db);
  classes = await twoInstructors(database.db, 'hostile');
  // Alice is in the owner's class, with an answer and a progress event, so there is something to steal.
  const joined = await learnerPosts['/api/learner']({
    body: JSON.stringify({ displayName: 'Alice', joinCode: classes.joinCode }),
    headers: { cookie: alice.cookie },
  });
  expect(joined.status).toBe(200);
  const answered = await learnerPosts['/api/quiz/answers']({
    body: JSON.stringify({ questionId: 'edge-sigmoid', attempt: 1, answer: { parts: { value: 0.5 } } }),
    headers: { cookie: alice.cookie },
  });
  expect(answered.status).toBe(200);
});
afterAll(async () => {
  await database?.cleanup();
});

function progressBody(id: string = randomUUID()): string {
  return JSON.stringify({
    events: [{ id, type: 'section-viewed', lessonSlug: LESSON, target: 'why-it-matters', at: Date.now() }],
  });
}

/** A body each learner route accepts (for `who`), so a refusal can only come from what the test changed. */
function validBody(path: LearnerPostPath): string | undefined {
  switch (path) {
    case '/api/session':
      return undefined;
    case '/api/quiz/answers':
      return JSON.stringify({ questionId: 'gradient-dl-dw', attempt: 1, answer: { parts: { value: 0.25 } } });
    case '/api/progress':
      return progressBody();
    case '/api/learner':
      return JSON.stringify({ displayName: 'Mallory' });
  }
}

const POSTS = Object.keys(learnerPosts) as LearnerPostPath[];

/** Sends the request and checks that it was refused with `status` and that no table changed. */
async function expectRefusedWithoutWrites(send: () => Promise<Response>, status: number | number[]): Promise<void> {
  const before = await snapshot(database.db);
  const response = await send();
  const allowed = Array.isArray(status) ? status : [status];
  expect(allowed, `got ${response.status}: ${await response.clone().text()}`).toContain(response.status);
  const body = (await response.json()) as { error?: { code: string; message: string } };
  expect(body.error?.message).toEqual(expect.any(String));
  expect(await snapshot(database.db)).toEqual(before);
}

describe('a cross-origin POST to every state-changing route is refused (403) and writes nothing', () => {
  const origins: [string, Record<string, string>][] = [
    ['Origin: https://evil.example', { origin: 'https://evil.example' }],
    ['an Origin on a look-alike host', { origin: 'http://localhost:3131.evil.example' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['Origin: null from a cross-site sandboxed frame', { origin: 'null', 'sec-fetch-site': 'cross-site' }],
    ['a malformed Origin', { origin: 'not a url' }],
  ];
  for (const path of POSTS) {
    it.each(origins)(`${path} with %s`, async (_name, headers) => {
      // With and without a learner's cookie: a cross-site page may or may not carry it.
      for (const cookie of [{ cookie: bob.cookie }, {}] as Record<string, string>[]) {
        await expectRefusedWithoutWrites(
          () => learnerPosts[path]({ body: validBody(path), headers: { ...headers, ...cookie } }),
          403,
        );
      }
    });
  }

  it('the same requests from the app itself go through (so the refusals above mean something)', async () => {
    for (const path of POSTS) {
      const response = await learnerPosts[path]({
        body: validBody(path),
        headers: { cookie: bob.cookie, origin: 'http://localhost:3131', 'sec-fetch-site': 'same-origin' },
      });
      expect(response.status, path).toBe(200);
    }
  });
});

describe('another learner cannot be named, impersonated or read', () => {
  const intruders = (): Record<string, unknown>[] => [
    { learnerId: alice.learnerId },
    { userId: alice.learnerId },
    { sessionId: 'x'.repeat(43) },
    { cohortId: classes.otherCohortId },
    { score: 1 },
    { correct: true },
    { grading: { score: 1, correct: true, parts: [] } },
  ];

  it.each(['/api/quiz/answers', '/api/progress', '/api/learner'] as const)(
    '%s refuses a body that adds learnerId, userId, sessionId, cohortId, score, correct or grading (400)',
    async (path) => {
      for (const extra of intruders()) {
        const body = { ...(JSON.parse(validBody(path)!) as Record<string, unknown>), ...extra };
        await expectRefusedWithoutWrites(
          () => learnerPosts[path]({ body: JSON.stringify(body), headers: { cookie: bob.cookie } }),
          400,
        );
      }
      // Also inside a progress event, where a learner id could hide.
      if (path === '/api/progress') {
        const event = { id: randomUUID(), type: 'section-viewed', lessonSlug: LESSON, target: 'x', at: Date.now() };
        for (const extra of intruders()) {
          const body = JSON.stringify({ events: [{ ...event, ...extra }] });
          await expectRefusedWithoutWrites(() => learnerPosts[path]({ body, headers: { cookie: bob.cookie } }), 400);
        }
      }
    },
  );

  it.each(['/api/quiz/answers', '/api/progress', '/api/learner'] as const)(
    '%s refuses cookies that name someone without a valid seal (401)',
    async (path) => {
      const aliceSession = (await sessionIdFrom(new Request('http://x/', { headers: { cookie: alice.cookie } })))!;
      const cookies = [
        `autodidact_session=${aliceSession}`, // Alice's raw session id, not sealed
        `autodidact_session=${alice.learnerId}`,
        'autodidact_session=0',
        'autodidact_session=',
        'autodidact_session=null',
        `autodidact_session=${'A'.repeat(5000)}`,
        'autodidact_session=Fe26.2**deadbeef*aaaa*bbbb**cccc*dddd',
      ];
      for (const cookie of cookies) {
        await expectRefusedWithoutWrites(() => learnerPosts[path]({ body: validBody(path), headers: { cookie } }), 401);
      }
    },
  );

  it("a forged cookie on the state route starts a new anonymous learner, never Alice's state", async () => {
    const aliceSession = (await sessionIdFrom(new Request('http://x/', { headers: { cookie: alice.cookie } })))!;
    const response = await getStateRoute(LESSON, { headers: { cookie: `autodidact_session=${aliceSession}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/^autodidact_session=Fe26\.2\*/);
    const state = (await response.json()) as { learner: { displayName: string | null; cohorts: unknown[] } };
    expect(state.learner).toEqual({ displayName: null, cohorts: [] });
  });

  it("Bob re-using Alice's progress event id stores Bob's own event and leaves Alice's alone", async () => {
    const id = randomUUID();
    const first = await learnerPosts['/api/progress']({ body: progressBody(id), headers: { cookie: alice.cookie } });
    expect(await first.json()).toEqual({ stored: 1 });
    const second = await learnerPosts['/api/progress']({ body: progressBody(id), headers: { cookie: bob.cookie } });
    expect(await second.json()).toEqual({ stored: 1 });
    const rows = await database.db.progressEvent.findMany({ where: { clientEventId: id } });
    expect(rows.map((row) => row.learnerId).sort()).toEqual([alice.learnerId, bob.learnerId].sort());
  });

  it("Bob answering the question and attempt Alice answered gets his own grading, not hers (no 'replay' of hers)", async () => {
    const body = JSON.stringify({ questionId: 'edge-sigmoid', attempt: 1, answer: { parts: { value: 0.5 } } });
    const response = await learnerPosts['/api/quiz/answers']({ body, headers: { cookie: bob.cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('idempotent-replayed')).toBeNull();
    const rows = await database.db.response.findMany({ where: { questionId: 'edge-sigmoid', attempt: 1 } });
    expect(rows.map((row) => row.learnerId).sort()).toEqual([alice.learnerId, bob.learnerId].sort());
  });

  it('the state route answers 404 for unknown, empty and path-like lesson slugs, without a session', async () => {
    for (const slug of ['', '0', 'no-such-lesson', '../../etc/passwd', `${LESSON}/../x`, 'x'.repeat(5000)]) {
      const before = await snapshot(database.db);
      const response = await getStateRoute(slug);
      expect(response.status, slug).toBe(404);
      expect(response.headers.get('set-cookie')).toBeNull();
      expect(await snapshot(database.db)).toEqual(before);
    }
  });
});

describe('instructor downloads refuse everyone but the class owner', () => {
  const names = Object.keys(instructorGets) as InstructorGetName[];

  it.each(names)('%s: nobody 401, a learner 403, another instructor 403, strange ids 400/403', async (name) => {
    const expectStatus = async (cohortId: string, headers: Record<string, string>, status: number[]) => {
      const response = await getInstructorRoute(name, cohortId, headers);
      expect(status, `${name} ${JSON.stringify(cohortId)} → ${response.status}`).toContain(response.status);
    };
    await expectStatus(classes.cohortId, {}, [401]);
    await expectStatus(classes.cohortId, { cookie: alice.cookie }, [403]);
    await expectStatus(classes.cohortId, { cookie: classes.other }, [403]);
    // Another class's id, a learner's id, zero, empty, and ids that are not ids.
    for (const id of [classes.otherCohortId, alice.learnerId, '0', '', ' ', '../x', "' OR 1=1 --", 'x'.repeat(200)]) {
      await expectStatus(id, { cookie: classes.owner }, [400, 403]);
      await expectStatus(id, { cookie: alice.cookie }, [403]);
    }
    // The owner gets the download, so the refusals above are not refusing everyone.
    await expectStatus(classes.cohortId, { cookie: classes.owner }, [200]);
  });
});

describe('an x-middleware-subrequest header (CVE-2025-29927) bypasses nothing', () => {
  const values = [
    'middleware',
    'middleware:middleware:middleware:middleware:middleware',
    'src/middleware:src/middleware:src/middleware:src/middleware:src/middleware',
    'proxy:proxy:proxy:proxy:proxy',
    'pages/_middleware',
  ];

  it.each(values)('x-middleware-subrequest: %s', async (value) => {
    const header = { 'x-middleware-subrequest': value };
    for (const name of Object.keys(instructorGets) as InstructorGetName[]) {
      expect((await getInstructorRoute(name, classes.cohortId, header)).status).toBe(401);
      expect((await getInstructorRoute(name, classes.cohortId, { ...header, cookie: alice.cookie })).status).toBe(403);
      expect((await getInstructorRoute(name, classes.cohortId, { ...header, cookie: classes.other })).status).toBe(403);
    }
    for (const path of ['/api/quiz/answers', '/api/progress', '/api/learner'] as const) {
      await expectRefusedWithoutWrites(() => learnerPosts[path]({ body: validBody(path), headers: header }), 401);
    }
    for (const path of POSTS) {
      await expectRefusedWithoutWrites(
        () =>
          learnerPosts[path]({
            body: validBody(path),
            headers: { ...header, cookie: bob.cookie, origin: 'https://evil.example' },
          }),
        403,
      );
    }
  });
});

describe('oversized bodies get 413 without being read to the end', () => {
  const caps: [LearnerPostPath, number][] = [
    ['/api/quiz/answers', MAX_ANSWER_BYTES],
    ['/api/progress', MAX_PROGRESS_BYTES],
    ['/api/learner', MAX_LEARNER_BYTES],
  ];
  const CHUNK = 16 * 1024;

  /** An endless JSON-looking stream that counts what the server pulled. */
  function endless(): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
    let pulled = 0;
    const chunk = new TextEncoder().encode(`{"padding":"${'x'.repeat(CHUNK - 13)}`);
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled += chunk.byteLength;
          controller.enqueue(chunk);
        },
      },
      { highWaterMark: 0 },
    );
    return { stream, pulled: () => pulled };
  }

  it.each(caps)('%s (cap %i bytes): a declared Content-Length over the cap is refused before reading', async (path) => {
    const { stream, pulled } = endless();
    await expectRefusedWithoutWrites(
      () => learnerPosts[path]({ body: stream, headers: { cookie: bob.cookie, 'content-length': '1073741824' } }),
      413,
    );
    expect(pulled()).toBeLessThanOrEqual(CHUNK);
  });

  it.each(caps)('%s (cap %i bytes): an endless body without a length stops at the cap', async (path, cap) => {
    const { stream, pulled } = endless();
    await expectRefusedWithoutWrites(() => learnerPosts[path]({ body: stream, headers: { cookie: bob.cookie } }), 413);
    // It read at most the cap plus the chunk that crossed it (and one the stream had queued).
    expect(pulled()).toBeLessThanOrEqual(cap + 2 * CHUNK);
  });

  it('/api/session ignores a body it does not need (never buffers it)', async () => {
    const { stream, pulled } = endless();
    const response = await learnerPosts['/api/session']({ body: stream, headers: { cookie: bob.cookie } });
    expect(response.status).toBe(200);
    expect(pulled()).toBeLessThanOrEqual(CHUNK);
    await stream.cancel();
  });
});

describe('refusals carry no answer key', () => {
  it('400, 409 and 422 bodies name no correct option, option id or explanation', async () => {
    const learner = await newLearner(database.db);
    const question = knowledgeCheck[0]!;
    const { wrong } = choiceLetters(learner.learnerId, question.id);
    const bodies: string[] = [];
    const send = async (body: unknown) => {
      const response = await learnerPosts['/api/quiz/answers']({
        body: JSON.stringify(body),
        headers: { cookie: learner.cookie },
      });
      bodies.push(`${response.status} ${await response.text()}`);
    };
    await send({ questionId: question.id, attempt: 1, answer: { choice: wrong } }); // 200, attempts left
    await send({ questionId: question.id, attempt: 1, answer: { choice: 'Z' } }); // 400
    await send({ questionId: question.id, attempt: 1, answer: { choice: wrong === 'A' ? 'B' : 'A' } }); // 409 taken
    await send({ questionId: question.id, attempt: 3, answer: { choice: wrong } }); // 409 limit
    await send({ questionId: 'no-such-question', attempt: 1, answer: { choice: 'A' } }); // 422
    await send({ questionId: question.id, attempt: 1, answer: { choice: question.options[0]!.id } }); // 400 (an option id)
    expect(bodies.map((body) => body.slice(0, 3))).toEqual(['200', '400', '409', '409', '422', '400']);
    const secrets = knowledgeCheckKeys.flatMap((key) => [
      ...Object.keys(key.explanations)
        .filter((id) => id !== question.options[0]!.id) // the last request sent this id itself
        .map((id) => JSON.stringify(id)),
      ...Object.values(key.explanations),
    ]);
    const joined = bodies.join('\n');
    expect(secrets.filter((secret) => joined.includes(secret))).toEqual([]);
  });
});
