import type { StatementName } from './offloaded';

/** Messages between the app and its database worker (db/answer-offload.ts, db/answer-worker.ts). */

export interface AnswerWorkerData {
  url: string;
  poolSize: number;
}

/**
 * One named statement of db/offloaded.ts with its arguments (the client is the worker's own).
 * Messages carry arrays: every request (and every reply) issued in one turn of the sender's event
 * loop travels in one message (docs/decisions/018, ninth session).
 */
export interface AnswerWorkerRequest {
  id: number;
  name: StatementName;
  args: readonly unknown[];
}

export type AnswerWorkerReply =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };

/** An error and its cause chain as plain data: what databaseUnavailable() and the logs read. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** Own properties with primitive or JSON-able values: code, kind, originalCode, meta, … */
  fields: Record<string, unknown>;
  cause?: SerializedError;
}

const MAX_DEPTH = 8;

function jsonable(value: unknown): unknown {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return value;
  if (typeof value !== 'object') return undefined;
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch {
    return undefined;
  }
}

export function serializeError(error: unknown, depth = 0): SerializedError {
  if (typeof error !== 'object' || error === null) return { name: 'Error', message: String(error), fields: {} };
  const record = error as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    if (key === 'cause' || key === 'message' || key === 'stack') continue;
    const value = jsonable(record[key]);
    if (value !== undefined) fields[key] = value;
  }
  const cause = record.cause ?? record.originalError;
  return {
    name: typeof record.name === 'string' ? record.name : 'Error',
    message: typeof record.message === 'string' ? record.message : 'unknown error',
    stack: typeof record.stack === 'string' ? record.stack : undefined,
    fields,
    cause: cause !== undefined && depth < MAX_DEPTH ? serializeError(cause, depth + 1) : undefined,
  };
}

export function reviveError(serialized: SerializedError): Error {
  const error = new Error(serialized.message, serialized.cause ? { cause: reviveError(serialized.cause) } : undefined);
  Object.assign(error, serialized.fields);
  error.name = serialized.name;
  if (serialized.stack) error.stack = serialized.stack;
  return error;
}
