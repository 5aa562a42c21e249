/**
 * The answer worker's thread (docs/decisions/011): a database client of its own, running the
 * answer path's two statements (db/answer-statements.ts) off the app's event loop. Started by
 * db/answer-offload.ts; nothing else imports this file.
 *
 * Each request is one message `{ id, kind, ... }`; each reply `{ id, ok, value | error }`. Errors
 * cross the thread boundary as plain data (serializeError) so that the app can still tell a busy
 * or unreachable database (a retryable 503) from anything else.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { insertAnswerRows, readSessionsWithResponses } from './answer-statements';
import { createDb } from './client';
import {
  serializeError,
  type AnswerWorkerReply,
  type AnswerWorkerRequest,
  type AnswerWorkerData,
} from './answer-protocol';

const port = parentPort;
if (!port) throw new Error('answer-worker.ts runs only as a worker thread (see db/answer-offload.ts)');

const { url, poolSize } = workerData as AnswerWorkerData;
const database = createDb(url, { poolSize });
// A failed connect is reported per request (as the app's own client would report it), not as an
// unhandled rejection that would end the thread.
database.catch(() => undefined);

async function handle(request: AnswerWorkerRequest): Promise<AnswerWorkerReply> {
  try {
    const db = await database;
    if (request.kind === 'read') {
      return {
        id: request.id,
        ok: true,
        value: await readSessionsWithResponses(db, request.questionIds, request.sessionIds),
      };
    }
    return { id: request.id, ok: true, value: await insertAnswerRows(db, request.rows) };
  } catch (error) {
    return { id: request.id, ok: false, error: serializeError(error) };
  }
}

port.on('message', (request: AnswerWorkerRequest) => {
  void handle(request).then((reply) => port.postMessage(reply));
});
