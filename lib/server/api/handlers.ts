import 'server-only';

import type { Db } from '../db/client';
import { assertSameOrigin, handle, HttpError, json, parseOrThrow, readJson, type RequestHead } from '../http';
import { learnerUpdateSchema, updateLearner } from '../learner-service';
import { progressBatchSchema, recordProgress } from '../progress-service';
import { lessonQuiz } from '../quiz-content';
import { lessonState, submissionSchema, submitAnswer } from '../quiz-service';
import { consume, refund } from '../rate-limit';
import { ensureSession, requireSession, sessionIdFrom } from '../session';
import { clientAddress } from './client-address';
import { assertKnownTargets } from './lesson-targets';

/**
 * The HTTP API, as functions of (Request, database) so tests can call them with real Request
 * objects against their own SQLite file. app/api/** routes are one-line wrappers around these.
 * The two requests a class sends most (beacons and answers) are also served by the learner fast
 * path (./fast-path.ts) through the same cores, progressBeacon and answerSubmission.
 *
 *   GET  /api/lessons/:slug/state  learner state for a lesson (creates the session if needed)
 *   POST /api/session              start a session without loading a lesson
 *   POST /api/quiz/answers         grade and store one answer            200 | 400 401 403 409 413 422
 *   POST /api/progress             a batch of progress events (beacons)  200 | 400 401 403 413
 *   POST /api/learner              display name and/or join a class      200 | 400 401 403 413 422
 */

/** Answers are a few numbers; 8 KiB leaves room for nothing else. */
export const MAX_ANSWER_BYTES = 8 * 1024;
/** 50 events of a few hundred bytes. */
export const MAX_PROGRESS_BYTES = 64 * 1024;
export const MAX_LEARNER_BYTES = 2 * 1024;

/**
 * Rate limits every learner request passes (lib/server/rate-limit.ts), per client address and per
 * session, before any body is read. A request without a session may create one: that is limited
 * per address too. Returns the keys for rules that depend on the outcome (join codes).
 */
async function limitLearnerRequest(
  request: RequestHead,
  options: { mayCreateSession?: boolean } = {},
): Promise<{ client: string | null; session: string | null }> {
  const client = clientAddress(request.headers);
  const session = await sessionIdFrom(request);
  await consume('learner-api:client', client);
  await consume('learner-api:session', session);
  if (options.mayCreateSession && !session) await consume('session-create:client', client);
  return { client, session };
}

function withCookie(response: Response, setCookie: string | null): Response {
  if (setCookie) response.headers.append('Set-Cookie', setCookie);
  return response;
}

export function getLessonStateHandler(request: Request, db: Db, slug: string): Promise<Response> {
  return handle(async () => {
    const content = lessonQuiz(slug);
    if (!content) throw new HttpError(404, 'unknown-lesson', `No lesson "${slug.slice(0, 100)}" has a quiz.`);
    await limitLearnerRequest(request, { mayCreateSession: true });
    const { session, setCookie } = await ensureSession(db, request);
    return withCookie(json(await lessonState(db, session, content)), setCookie);
  });
}

export function postSessionHandler(request: Request, db: Db): Promise<Response> {
  return handle(async () => {
    assertSameOrigin(request);
    await limitLearnerRequest(request, { mayCreateSession: true });
    const { setCookie } = await ensureSession(db, request);
    return withCookie(json({ ok: true }), setCookie);
  });
}

/** Reads the request's JSON body, refusing one over `maxBytes`; called once checks have passed. */
export type BodyReader = (maxBytes: number) => Promise<unknown>;

/** POST /api/quiz/answers: grade and store one answer (the route and the fast path). */
export async function answerSubmission(request: RequestHead, readBody: BodyReader, db: Db) {
  assertSameOrigin(request);
  const { session } = await limitLearnerRequest(request);
  const submission = parseOrThrow(submissionSchema, await readBody(MAX_ANSWER_BYTES));
  const { outcome, replayed } = await submitAnswer(db, session, submission);
  // Same status and body for the first submission and every replay; the header only tells them apart.
  const headers: Record<string, string> = replayed ? { 'Idempotent-Replayed': 'true' } : {};
  return { body: outcome, headers };
}

export function postAnswerHandler(request: Request, db: Db): Promise<Response> {
  return handle(async () => {
    const { body, headers } = await answerSubmission(request, (max) => readJson(request, max), db);
    return json(body, { headers });
  });
}

/** POST /api/progress: store a batch of progress events (the route and the fast path). */
export async function progressBeacon(request: RequestHead, readBody: BodyReader, db: Db) {
  assertSameOrigin(request);
  await limitLearnerRequest(request);
  const batch = parseOrThrow(progressBatchSchema, await readBody(MAX_PROGRESS_BYTES));
  const session = await requireSession(db, request);
  await assertKnownTargets(batch.events);
  const headers: Record<string, string> = {};
  return { body: await recordProgress(db, session.learnerId, batch.events, batch.widgetState), headers };
}

export function postProgressHandler(request: Request, db: Db): Promise<Response> {
  return handle(async () => {
    const { body, headers } = await progressBeacon(request, (max) => readJson(request, max), db);
    return json(body, { headers });
  });
}

export function postLearnerHandler(request: Request, db: Db): Promise<Response> {
  return handle(async () => {
    assertSameOrigin(request);
    const keys = await limitLearnerRequest(request);
    const update = parseOrThrow(learnerUpdateSchema, await readJson(request, MAX_LEARNER_BYTES));
    const session = await requireSession(db, request);
    if (update.joinCode === undefined) return json({ learner: await updateLearner(db, session.learnerId, update) });
    // Join codes are guessable only by trying: every try costs a point, a code that matched a
    // class gets it back, so only failures add up.
    await consume('join-failure:session', keys.session);
    await consume('join-failure:client', keys.client);
    const learner = await updateLearner(db, session.learnerId, update);
    await refund('join-failure:session', keys.session);
    await refund('join-failure:client', keys.client);
    return json({ learner });
  });
}
