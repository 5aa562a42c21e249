import 'server-only';

import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * The server's one logger: JSON lines on stdout (pino), one object per event, so a log
 * collector can filter by field (docs/decisions/018). Every line written while a request is
 * being served carries that request's id (`reqId`), also sent back as `X-Request-Id`, so an
 * operator can go from a learner's error report to the server's lines about it.
 *
 *   import { log } from '@/lib/server/log';
 *   log.info({ cohortId }, 'join code replaced');
 *   log.warn({ err }, 'LTI delivery failed');        // `err` is serialised with its stack
 *   const lti = log.child({ component: 'lti' });     // a field on every line it writes
 *
 * LOG_LEVEL picks the threshold (fatal, error, warn, info, debug, trace, silent); tests
 * default to warn so their output stays readable.
 */

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

function level(): string {
  const wanted = process.env.LOG_LEVEL?.trim().toLowerCase();
  if (wanted && LEVELS.has(wanted)) return wanted;
  return process.env.NODE_ENV === 'test' ? 'warn' : 'info';
}

interface RequestContext {
  reqId: string;
}

/**
 * Next bundles instrumentation.ts and each route separately, so this module can be evaluated more
 * than once in one process: the logger and the request context live on globalThis, once.
 */
const shared = globalThis as typeof globalThis & {
  __autodidactLog?: { logger: Logger; context: AsyncLocalStorage<RequestContext> };
};

const requestContext: AsyncLocalStorage<RequestContext> =
  shared.__autodidactLog?.context ?? new AsyncLocalStorage<RequestContext>();

export const log: Logger = shared.__autodidactLog?.logger ?? createLogger();
shared.__autodidactLog = { logger: log, context: requestContext };

/** The logger's settings, writing to stdout or (tests) to `destination`. */
export function createLogger(destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: level(),
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    // `level: "warn"` rather than pino's numbers: readable without a lookup table.
    formatters: { level: (label) => ({ level: label }) },
    // Adds the current request's id to every line written while serving it.
    mixin: () => {
      const context = requestContext.getStore();
      return context ? { reqId: context.reqId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A client-sent id is reused only when it is short and plain, so it cannot forge log lines. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/** The request's id: the `X-Request-Id` a proxy in front already gave it, or a new one. */
export function requestIdFrom(header: string | null | undefined): string {
  return header && CLIENT_REQUEST_ID.test(header) ? header : randomUUID();
}

/** The id of the request being served, if any (for response bodies or outgoing calls). */
export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.reqId;
}

/** Runs `fn` as the handling of request `reqId`: log lines inside carry the id. */
export function withRequestId<T>(reqId: string, fn: () => T): T {
  return requestContext.run({ reqId }, fn);
}
