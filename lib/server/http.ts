import 'server-only';

import type { z } from 'zod';

import { databaseUnavailable } from './db/unavailable';
import { log } from './log';
import { countDatabaseError } from './metrics';

/**
 * HTTP plumbing shared by the route handlers: JSON bodies with a size cap, strict parsing with
 * messages that say what is wrong, and errors as `{ error: { code, message, issues? } }`.
 * Status codes are part of the API contract (a load test drives these endpoints).
 */

export interface ErrorBody {
  error: { code: string; message: string; issues?: string[] };
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: string[],
  ) {
    super(message);
  }
}

const NO_STORE = { 'Cache-Control': 'no-store' };

export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return Response.json(body, { status: init.status ?? 200, headers: { ...NO_STORE, ...init.headers } });
}

export function errorResponse(error: HttpError): Response {
  const body: ErrorBody = {
    error: { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) },
  };
  return json(body, { status: error.status });
}

/**
 * Runs a handler; an HttpError becomes its response, a database that is busy or unreachable a 503
 * with Retry-After (docs/decisions/009), anything else a logged 500 without details.
 */
export async function handle(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof HttpError) return errorResponse(error);
    const unavailable = databaseUnavailable(error);
    if (unavailable) {
      const detail = error instanceof Error ? error.message.trim().split('\n').at(-1) : String(error);
      log.warn({ code: unavailable.code, detail }, 'database unavailable: answered 503');
      countDatabaseError(unavailable.code);
      const body: ErrorBody = { error: { code: unavailable.code, message: unavailable.message } };
      return json(body, { status: 503, headers: { 'Retry-After': String(unavailable.retryAfterSeconds) } });
    }
    log.error({ err: error }, 'unexpected error: answered 500');
    return errorResponse(new HttpError(500, 'internal', 'Something went wrong on our side. Please try again.'));
  }
}

/**
 * Reads a JSON body of at most `maxBytes`, counting bytes as they stream in (a missing or lying
 * Content-Length cannot get past the cap).
 */
export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const tooLarge = () => new HttpError(413, 'too-large', `Request body is larger than ${maxBytes} bytes.`);
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) throw new HttpError(400, 'empty-body', 'Request body is empty: send a JSON object.');
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  if (text.trim() === '') throw new HttpError(400, 'empty-body', 'Request body is empty: send a JSON object.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'invalid-json', 'Request body is not valid JSON.');
  }
}

/** Each zod issue as "path: message", e.g. `answer.parts.dLda: Invalid input: expected number, received string`. */
export function describeIssues(error: z.ZodError, prefix: string[] = []): string[] {
  return error.issues.slice(0, 20).map((issue) => {
    const path = [...prefix, ...issue.path.map(String)];
    const where = path.length > 0 ? path.join('.') : '(body)';
    return `${where}: ${issue.message}`;
  });
}

/** Parses `data`, or throws a 4xx naming the first problem; `at` is where `data` sits in the body (['answer']). */
export function parseOrThrow<T>(schema: z.ZodType<T>, data: unknown, at: string[] = []): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = describeIssues(result.error, at);
  throw new HttpError(400, 'invalid-input', `Invalid request: ${issues[0] ?? 'unexpected shape'}`, issues);
}

/**
 * Refuses cross-site writes. SameSite=Lax already keeps the session cookie off cross-site
 * POSTs; this also stops a cross-site page from using a learner's cookie through a
 * same-site subdomain or an old browser. Requests without these headers (curl, tests) pass.
 */
export function assertSameOrigin(request: Request): void {
  const site = request.headers.get('sec-fetch-site');
  if (site === 'cross-site') throw new HttpError(403, 'cross-site', 'Cross-site requests are not allowed.');
  const origin = request.headers.get('origin');
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host') ?? new URL(request.url).host;
  if (origin && host && origin !== 'null') {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      throw new HttpError(403, 'cross-site', 'The Origin header is not a valid origin.');
    }
    if (originHost !== host) throw new HttpError(403, 'cross-site', 'Cross-origin requests are not allowed.');
  }
}
