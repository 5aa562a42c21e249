/**
 * The database worker's thread (docs/decisions/011): a database client of its own, running the
 * learner path's statements (db/offloaded.ts: the answer path's two, and since the eighth session
 * the session lookup, new sessions, progress batches and the lesson state's reads) off the app's
 * event loop. Started by
 * db/answer-offload.ts; nothing else imports this file.
 *
 * Each request is `{ id, name, args }`; each reply `{ id, ok, value | error }`; a message carries
 * an array of them (every request the app issued in one turn of its event loop; here, every reply
 * ready in one turn of this thread's loop), because each message costs the app's busy event loop
 * a structured clone and a wake-up of its own. Errors
 * cross the thread boundary as plain data (serializeError) so that the app can still tell a busy
 * or unreachable database (a retryable 503) from anything else.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';

import { createDb } from './client';
import { runStatement, type StatementArgs } from './offloaded';
import {
  serializeError,
  type AnswerWorkerReply,
  type AnswerWorkerRequest,
  type AnswerWorkerData,
} from './answer-protocol';

if (!parentPort) throw new Error('answer-worker.ts runs only as a worker thread (see db/answer-offload.ts)');
const port: MessagePort = parentPort;

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

let ready: AnswerWorkerReply[] = [];
function send(reply: AnswerWorkerReply): void {
  if (ready.length === 0) {
    setImmediate(() => {
      const replies = ready;
      ready = [];
      port.postMessage(replies);
    });
  }
  ready.push(reply);
}

port.on('message', (requests: AnswerWorkerRequest[]) => {
  for (const request of requests) void handle(request).then(send);
});
