import 'server-only';

import http from 'node:http';

import { securityHeaders } from '@/lib/security-headers.mjs';

import type { Db } from '../db/client';
import {
  assertDeclaredLength,
  bodyTooLarge,
  errorReply,
  HttpError,
  parseJsonBody,
  type JsonReply,
  type RequestHead,
} from '../http';
import { answerSubmission, progressBeacon, type BodyReader } from './handlers';

/**
 * The learner fast path (docs/decisions/018, ninth session): the two requests a class sends most,
 * progress beacons (about four in five) and answers, served straight from Node's request event,
 * before Next's router. At 5,000 learners the server's event loop was the limit, and a third of
 * each of these requests went to the framework around the handler: route matching, the web
 * Request and Response objects and their streams, its async contexts. The handlers are the same
 * functions the routes in app/api call (handlers.ts: progressBeacon, answerSubmission), with the
 * same checks in the same order (same origin, rate limits, size cap, strict zod, session), and
 * the responses carry the same headers as the routes' (next.config.mjs's security headers,
 * Cache-Control: no-store, the request id of metrics.ts).
 *
 * Only an exact `POST /api/progress` or `POST /api/quiz/answers` (no query, no trailing slash)
 * takes this path; everything else, GET /api/progress included, goes to Next as before.
 */
type FastHandler = (
  request: RequestHead,
  readBody: BodyReader,
  db: Db,
) => Promise<{ body: unknown; headers: Record<string, string> }>;

const FAST_ROUTES = new Map<string, FastHandler>([
  ['/api/progress', progressBeacon],
  ['/api/quiz/answers', answerSubmission],
]);

const INSTALLED = Symbol.for('autodidact.learnerFastPath');
const SECURITY_HEADERS = Object.fromEntries(
  securityHeaders({ dev: process.env.NODE_ENV === 'development' }).map(({ key, value }) => [key, value]),
);

/** A Node request's URL and headers, as the API's checks read them (http.ts RequestHead). */
export function requestHead(req: http.IncomingMessage): RequestHead {
  const get = (name: string): string | null => {
    const value = req.headers[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  };
  return {
    url: `http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`,
    headers: { get, has: (name) => get(name) !== null },
  };
}

/**
 * Reads a Node request's JSON body with the same cap and errors as http.ts readJson. Past the cap
 * it stops collecting and drains the rest (the 413 then closes the connection).
 */
export function readNodeJson(req: http.IncomingMessage, maxBytes: number): Promise<unknown> {
  assertDeclaredLength(requestHead(req).headers, maxBytes);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBytes) {
        req.off('data', onData);
        req.off('end', onEnd);
        req.resume();
        reject(bodyTooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      try {
        resolve(parseJsonBody(Buffer.concat(chunks)));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    req.on('data', onData);
    req.once('end', onEnd);
    // A client that goes away mid-body: nothing to answer (the response is gone too), and no
    // "unexpected error" in the log.
    const gone = () => reject(new HttpError(400, 'incomplete-body', 'The request body ended early.'));
    req.once('error', gone);
    req.once('close', () => {
      if (!req.complete) gone();
    });
  });
}

function send(req: http.IncomingMessage, res: http.ServerResponse, reply: JsonReply): void {
  const body = JSON.stringify(reply.body);
  const tooLarge = reply.status === 413;
  res.writeHead(reply.status, {
    ...SECURITY_HEADERS,
    'Cache-Control': 'no-store',
    ...reply.headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    // An unread body would be parsed as the next request on a kept-alive connection.
    ...(tooLarge || !req.complete ? { Connection: 'close' } : {}),
  });
  res.end(body);
}

async function serve(
  handler: FastHandler,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  getDb: () => Promise<Db>,
): Promise<void> {
  let reply: JsonReply;
  try {
    const readBody: BodyReader = (maxBytes) => readNodeJson(req, maxBytes);
    const { body, headers } = await handler(requestHead(req), readBody, await getDb());
    reply = { status: 200, headers, body };
  } catch (error) {
    reply = errorReply(error);
  }
  if (!res.destroyed) send(req, res, reply);
}

/**
 * Serves the fast routes from every HTTP server of this process. Installed from
 * instrumentation.ts before the request observer and the peer-address header, so that it runs
 * inside them: each request here still gets its id, its log context, its metrics and its peer
 * address.
 */
export function installLearnerFastPath(getDb: () => Promise<Db>): void {
  const proto = http.Server.prototype as http.Server & { [INSTALLED]?: true };
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;
  type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  const emit = Reflect.get(proto, 'emit') as Emit;
  const withFastPath: Emit = function (event, ...args) {
    if (event === 'request') {
      const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
      const handler = req.method === 'POST' ? FAST_ROUTES.get(req.url ?? '') : undefined;
      if (handler) {
        void serve(handler, req, res, getDb);
        return true;
      }
    }
    return emit.apply(this, [event, ...args]);
  };
  Reflect.set(proto, 'emit', withFastPath);
}
