// Drives the quiz API the way a browser does: real Request objects into the route handlers'
// functions, carrying the session cookie that the first call set.
import { knowledgeCheckKeys } from '@/content/lessons/chain-rule-computational-graphs/answers.server';
import {
  getLessonStateHandler,
  postAnswerHandler,
  postLearnerHandler,
  postProgressHandler,
} from '@/lib/server/api/handlers';
import type { Db } from '@/lib/server/db/client';
import type { LessonState, SubmissionOutcome } from '@/lib/server/quiz-service';
import { sessionIdFrom } from '@/lib/server/session';
import { knowledgeCheck } from '@/content/lessons/chain-rule-computational-graphs/questions';
import { choiceVariant } from '@/lib/quiz/variants';

export const LESSON = 'chain-rule-computational-graphs';
export const BASE = 'http://localhost:3131';

export interface Learner {
  cookie: string;
  sessionId: string;
  learnerId: string;
  state: LessonState;
}

export function cookieFrom(response: Response): string {
  const setCookie = response.headers.get('set-cookie');
  if (!setCookie) throw new Error('expected a Set-Cookie header');
  return setCookie.split(';')[0]!;
}

export async function getState(db: Db, cookie?: string): Promise<Response> {
  return getLessonStateHandler(
    new Request(`${BASE}/api/lessons/${LESSON}/state`, { headers: cookie ? { cookie } : {} }),
    db,
    LESSON,
  );
}

/** A new learner: the first state request creates the session and sets the cookie. */
export async function newLearner(db: Db): Promise<Learner> {
  const response = await getState(db);
  if (response.status !== 200) throw new Error(`state returned ${response.status}`);
  const cookie = cookieFrom(response);
  const sessionId = await sessionIdFrom(new Request(BASE, { headers: { cookie } }));
  const session = await db.session.findUniqueOrThrow({ where: { id: sessionId! } });
  return { cookie, sessionId: session.id, learnerId: session.learnerId, state: (await response.json()) as LessonState };
}

export function post(path: string, body: unknown, cookie?: string, headers: Record<string, string> = {}): Request {
  return new Request(`${BASE}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export function submit(
  db: Db,
  cookie: string | undefined,
  body: unknown,
  headers?: Record<string, string>,
): Promise<Response> {
  return postAnswerHandler(post('/api/quiz/answers', body, cookie, headers), db);
}

export function sendProgress(db: Db, cookie: string | undefined, body: unknown): Promise<Response> {
  return postProgressHandler(post('/api/progress', body, cookie), db);
}

export function updateLearner(db: Db, cookie: string | undefined, body: unknown): Promise<Response> {
  return postLearnerHandler(post('/api/learner', body, cookie), db);
}

export async function outcome(response: Response): Promise<SubmissionOutcome> {
  return (await response.json()) as SubmissionOutcome;
}

/** The letters a learner sees for the correct and a wrong option (computed from the server-only key). */
export function choiceLetters(learnerId: string, questionId: string): { correct: string; wrong: string } {
  const question = knowledgeCheck.find((entry) => entry.id === questionId)!;
  const key = knowledgeCheckKeys.find((entry) => entry.questionId === questionId)!;
  const options = choiceVariant(question, learnerId, 0);
  return {
    correct: options.find((option) => option.optionId === key.correctOptionId)!.key,
    wrong: options.find((option) => option.optionId !== key.correctOptionId)!.key,
  };
}
