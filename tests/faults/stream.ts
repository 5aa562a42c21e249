/**
 * A bounded stream of legitimate answer submissions against a running server, for the fault
 * scripts: W workers, each with its own learners, each learner submitting attempts 1..3 at each
 * numeric question (wrong answers, so every attempt stays open). Every request and its outcome is
 * recorded, so a script can check afterwards that each acknowledged (2xx) answer is stored.
 */
import { graphPractice } from '../../content/lessons/chain-rule-computational-graphs/questions';
import { newSession } from '../multi-instance/app-server';

export interface Submission {
  learner: string;
  questionId: string;
  attempt: number;
  answer: { parts: Record<string, number> };
}

export interface Outcome {
  submission: Submission;
  /** HTTP status, or 0 when the connection failed (server down). */
  status: number;
  code: string | null;
  retryAfter: string | null;
  at: number;
  replayed: boolean;
}

export interface Learner {
  name: string;
  cookie: string;
}

/** Learners with unique display names, so a script can find their rows without the secret. */
export async function makeLearners(baseUrl: string, count: number, prefix: string): Promise<Learner[]> {
  const learners: Learner[] = [];
  for (let index = 0; index < count; index++) {
    const cookie = await newSession(baseUrl);
    const name = `${prefix}-${index}`;
    const response = await fetch(`${baseUrl}/api/learner`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ displayName: name }),
    });
    if (response.status !== 200) throw new Error(`naming learner ${name}: ${response.status}`);
    learners.push({ name, cookie });
  }
  return learners;
}

/** Every submission a learner may legitimately make, in an order the policies accept. */
export function plan(learner: Learner): Submission[] {
  const submissions: Submission[] = [];
  for (let attempt = 1; attempt <= 3; attempt++) {
    for (const question of graphPractice) {
      if (attempt > question.policy.maxAttempts) continue;
      const parts = Object.fromEntries(question.parts.map((part, index) => [part.id, 321.5 + index + attempt]));
      submissions.push({ learner: learner.name, questionId: question.id, attempt, answer: { parts } });
    }
  }
  return submissions;
}

export async function submit(
  baseUrl: string,
  cookie: string,
  submission: Submission,
  timeoutMs = 15_000,
): Promise<Outcome> {
  const at = Date.now();
  try {
    const response = await fetch(`${baseUrl}/api/quiz/answers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({
        questionId: submission.questionId,
        attempt: submission.attempt,
        answer: submission.answer,
      }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json().catch(() => ({}))) as { error?: { code?: string } };
    return {
      submission,
      status: response.status,
      code: body.error?.code ?? null,
      retryAfter: response.headers.get('retry-after'),
      at,
      replayed: response.headers.get('idempotent-replayed') === 'true',
    };
  } catch {
    return { submission, status: 0, code: 'connection-failed', retryAfter: null, at, replayed: false };
  }
}

export interface StreamOptions {
  baseUrl: string;
  learners: Learner[];
  workers: number;
  /** The stream stops at this time (ms since epoch) at the latest. */
  until: number;
  /** Stop early when this returns true (checked before each request). */
  stop?: () => boolean;
  /** Pause after a failed request (status 0 or 5xx) before the worker's next one. */
  backoffMs?: number;
  /** Retry the same submission after a failure (as the app's client does), instead of moving on. */
  retry?: boolean;
}

/**
 * Runs the stream: worker w takes learners w, w + workers, … and submits their plans in order.
 * With `retry`, a failed submission is sent again (bounded by `until`) before the next one, so
 * the learner's attempts stay in order.
 */
export async function stream(options: StreamOptions): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const { baseUrl, learners, workers, until, stop = () => false, backoffMs = 100, retry = false } = options;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let index = worker; index < learners.length; index += workers) {
        const learner = learners[index]!;
        for (const submission of plan(learner)) {
          for (;;) {
            if (Date.now() >= until || stop()) return;
            const outcome = await submit(baseUrl, learner.cookie, submission);
            outcomes.push(outcome);
            const failed = outcome.status === 0 || outcome.status >= 500;
            if (failed) await new Promise((resolve) => setTimeout(resolve, backoffMs));
            if (!failed || !retry) break;
          }
        }
      }
    }),
  );
  return outcomes;
}

export function tally(outcomes: readonly Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status, code } of outcomes) {
    const key = status === 0 ? 'no-connection' : status >= 400 ? `${status} ${code}` : String(status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
