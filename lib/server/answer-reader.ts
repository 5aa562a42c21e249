import 'server-only';

import { answerStatementsFor, type AnswerStatements } from './db/answer-offload';
import type { SessionWithResponses } from './db/answer-statements';
import { providerOf, type Db } from './db/client';

/**
 * Group reads for the answer path (docs/decisions/009), the read-side twin of answer-writer.ts.
 * Every submission reads its session and its learner's responses in the lesson. Through Prisma a
 * statement costs far more than its rows: the query compiler runs on every raw statement, each
 * gets tracing spans and promise hops, and the SQLite adapter prepares its SQL again every time.
 * So the reads that arrive in the same event-loop turn, or while the previous batch is being read,
 * go to the database as ONE statement (`… WHERE s."id" IN (…)`), and each caller gets its own
 * session's rows.
 *
 * Nothing is cached: every caller's session row and responses are read from the database after
 * its request arrived, so an expired, revoked or deleted session is refused at once, and a
 * response written by another instance is seen. The queue holds only callers waiting for rows.
 */

export type { SessionWithResponses, StoredResponse } from './db/answer-statements';

interface Pending {
  sessionId: string;
  resolve: (found: SessionWithResponses | null) => void;
  reject: (error: unknown) => void;
}

/** Sessions per statement; with a lesson's question ids, far below either database's parameter limit. */
const MAX_BATCH = 100;

class AnswerReader {
  /** Waiting callers, per lesson (its question ids, joined): one statement per lesson per batch. */
  private queues = new Map<string, { questionIds: readonly string[]; pending: Pending[] }>();
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly statements: AnswerStatements,
    private readonly maxInFlight: number,
  ) {}

  read(questionIds: readonly string[], sessionId: string): Promise<SessionWithResponses | null> {
    return new Promise((resolve, reject) => {
      const key = questionIds.join('\u0000');
      let queue = this.queues.get(key);
      if (!queue) {
        queue = { questionIds, pending: [] };
        this.queues.set(key, queue);
      }
      queue.pending.push({ sessionId, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.queues.size === 0) return;
    this.scheduled = true;
    // After the current turn's I/O callbacks, so reads that reach this point together share a statement.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.inFlight >= this.maxInFlight) return;
    const next = this.queues.entries().next();
    if (next.done) return;
    const [key, queue] = next.value;
    const batch = queue.pending.splice(0, MAX_BATCH);
    if (queue.pending.length === 0) this.queues.delete(key);
    this.inFlight++;
    try {
      const sessionIds = [...new Set(batch.map((entry) => entry.sessionId))];
      const found = await this.statements.read(queue.questionIds, sessionIds);
      for (const entry of batch) {
        const session = found.get(entry.sessionId);
        // Each caller gets its own responses array: two requests of one learner may share a batch.
        entry.resolve(session ? { ...session, responses: [...session.responses] } : null);
      }
    } catch (error) {
      // A read has no bad row to single out: the database failed, and every caller hears so
      // (a busy or unreachable database becomes each caller's retryable 503).
      for (const entry of batch) entry.reject(error);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }
}

const readers = new WeakMap<Db, AnswerReader>();

/**
 * The session `sessionId` (null when there is no such row) with its learner's responses to
 * `questionIds`, read together with the other submissions' sessions that arrive at the same time.
 * The caller checks expiry.
 */
export function readSessionWithResponses(
  db: Db,
  sessionId: string,
  questionIds: readonly string[],
): Promise<SessionWithResponses | null> {
  let reader = readers.get(db);
  if (!reader) {
    const statements = answerStatementsFor(db);
    reader = new AnswerReader(statements, providerOf(db) === 'sqlite' && !statements.inWorker ? 1 : 2);
    readers.set(db, reader);
  }
  return reader.read(questionIds, sessionId);
}
