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

/** A 429 that tells the client when to come back (rate limits, lib/server/rate-limit.ts). */
export class TooManyRequests extends HttpError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'too-many-requests', message);
  }
}

const NO_STORE = { 'Cache-Control': 'no-store' };

/**
 * What the API's checks read of a request: its URL and headers. A web Request is one; so is the
 * learner fast path's view of a Node request (lib/server/api/fast-path.ts).
 */
export interface RequestHead {
  readonly url: string;
  readonly headers: Pick<Headers, 'get' | 'has'>;
}

/** A JSON reply as plain data, before it becomes a web Response or a Node response. */
export interface JsonReply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return Response.json(body, { status: init.status ?? 200, headers: { ...NO_STORE, ...init.headers } });
}

function errorBody(error: HttpError): ErrorBody {
  return { error: { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) } };
}

export function errorResponse(error: HttpError): Response {
  const { status, headers, body } = errorReply(error);
  return json(body, { status, headers });
}

/**
 * What a handler that threw answers: an HttpError its own status and message, a database that is
 * busy or unreachable a 503 with Retry-After (docs/decisions/009), anything else a logged 500
 * without details. Always with `Cache-Control: no-store`.
 */
export function errorReply(error: unknown): JsonReply {
  if (error instanceof HttpError) {
    const retry: Record<string, string> =
      error instanceof TooManyRequests ? { 'Retry-After': String(error.retryAfterSeconds) } : {};
    return { status: error.status, headers: { ...NO_STORE, ...retry }, body: errorBody(error) };
  }
  const unavailable = databaseUnavailable(error);
  if (unavailable) {
    const detail = error instanceof Error ? error.message.trim().split('\n').at(-1) : String(error);
    // A full disk needs an operator now; a busy or restarting database usually heals by itself.
    log[unavailable.code === 'database-full' ? 'error' : 'warn'](
      { code: unavailable.code, detail },
      'database unavailable: answered 503',
    );
    countDatabaseError(unavailable.code);
    const body: ErrorBody = { error: { code: unavailable.code, message: unavailable.message } };
    return { status: 503, headers: { ...NO_STORE, 'Retry-After': String(unavailable.retryAfterSeconds) }, body };
  }
  log.error({ err: error }, 'unexpected error: answered 500');
  return errorReply(new HttpError(500, 'internal', 'Something went wrong on our side. Please try again.'));
}

/** Runs a handler; what it throws becomes its response (errorReply). */
export async function handle(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    const { status, headers, body } = errorReply(error);
    return json(body, { status, headers });
  }
}

/**
 * Reads a JSON body of at most `maxBytes`, counting bytes as they stream in (a missing or lying
 * Content-Length cannot get past the cap).
 */
export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  assertDeclaredLength(request.headers, maxBytes);
  if (!request.body) throw emptyBody();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw bodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return parseJsonBody(Buffer.concat(chunks));
}

export const bodyTooLarge = (maxBytes: number) =>
  new HttpError(413, 'too-large', `Request body is larger than ${maxBytes} bytes.`);
const emptyBody = () => new HttpError(400, 'empty-body', 'Request body is empty: send a JSON object.');

/** A declared Content-Length over the cap is refused before any byte is read. */
export function assertDeclaredLength(headers: RequestHead['headers'], maxBytes: number): void {
  const declared = Number(headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw bodyTooLarge(maxBytes);
}

/** The body's bytes as JSON, or a 400 that says what is wrong with them. */
export function parseJsonBody(bytes: Buffer): unknown {
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === '') throw emptyBody();
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
 * Refuses cross-site writes to the JSON API (issue 19: `Origin: null` with a text/plain body
 * changed a learner's name). SameSite=Lax already keeps the session cookie off cross-site POSTs;
 * this also stops sandboxed frames, same-site subdomains and old browsers:
 *
 * - `Sec-Fetch-Site` other than `same-origin` (or `none`, typed by the user) is refused;
 * - an `Origin` of `null` (sandboxed frames, some redirects) is refused, and any other Origin
 *   must be this server's host;
 * - a body must be JSON (`Content-Type: application/json`): a cross-site page cannot send that
 *   type without a CORS preflight, which this API never grants. A POST without a body and
 *   without a Content-Type (POST /api/session) passes.
 *
 * Requests with none of these headers (curl, the load test) come from no browser and pass: a
 * browser always sends Origin on a cross-site POST. The LTI launch (app/lti/**) is a cross-site
 * form POST by design and does not use this check (docs/decisions/017 and 019).
 */
export function assertSameOrigin(request: RequestHead): void {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin' && site !== 'none') {
    throw new HttpError(403, 'cross-site', 'Requests from other sites are not allowed.');
  }
  const origin = request.headers.get('origin');
  if (origin !== null) {
    if (origin === 'null')
      throw new HttpError(403, 'cross-site', 'Requests from an opaque origin ("null") are not allowed.');
    const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host') ?? new URL(request.url).host;
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      throw new HttpError(403, 'cross-site', 'The Origin header is not a valid origin.');
    }
    if (originHost !== host) throw new HttpError(403, 'cross-site', 'Cross-origin requests are not allowed.');
  }
  const contentType = request.headers.get('content-type')?.trim() || null;
  const length = request.headers.get('content-length');
  const hasBody = (length !== null && length.trim() !== '0') || request.headers.has('transfer-encoding');
  if ((contentType !== null || hasBody) && !/^application\/json\s*(;|$)/i.test(contentType ?? '')) {
    throw new HttpError(
      415,
      'not-json',
      'Send the request body as JSON, with the header Content-Type: application/json.',
    );
  }
}
