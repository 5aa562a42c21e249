/**
 * The database worker's thread (docs/decisions/011): a database client of its own, running the
 * learner path's statements (db/offloaded.ts: the answer path's two, and since the eighth session
 * the session lookup, new sessions, progress batches and the lesson state's reads) off the app's
 * event loop. Started by
 * db/answer-offload.ts; nothing else imports this file.
 *
 * Each request is one message `{ id, name, args }`; each reply `{ id, ok, value | error }`. Errors
 * cross the thread boundary as plain data (serializeError) so that the app can still tell a busy
 * or unreachable database (a retryable 503) from anything else.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { createDb } from './client';
import { runStatement, type StatementArgs } from './offloaded';
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
    const value = await runStatement(db, request.name, request.args as StatementArgs<typeof request.name>);
    return { id: request.id, ok: true, value };
  } catch (error) {
    return { id: request.id, ok: false, error: serializeError(error) };
  }
}

port.on('message', (request: AnswerWorkerRequest) => {
  void handle(request).then((reply) => port.postMessage(reply));
});
