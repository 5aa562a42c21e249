import 'server-only';

import { providerOf, type Db } from './db/client';
import { Prisma } from './db/generated/sqlite/client';

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

export interface StoredResponse {
  questionId: string;
  attempt: number;
  correct: boolean;
  answer: string;
  grading: string;
  createdAt: Date;
}

export interface SessionWithResponses {
  learnerId: string;
  expiresAt: Date;
  /** This caller's own array (callers may append to it). */
  responses: StoredResponse[];
}

interface Pending {
  sessionId: string;
  resolve: (found: SessionWithResponses | null) => void;
  reject: (error: unknown) => void;
}

/** Sessions per statement; with a lesson's question ids, far below either database's parameter limit. */
const MAX_BATCH = 100;

type RawRow = {
  sessionId: string;
  learnerId: string;
  expiresAt: Date | string | number;
  questionId: string | null;
  attempt: number | bigint | null;
  correct: boolean | number | null;
  answer: string | null;
  grading: string | null;
  createdAt: Date | string | number | null;
};

/** Both adapters return Dates for DateTime columns; anything else (text, epoch ms) is converted. */
function asDate(value: Date | string | number): Date {
  return value instanceof Date ? value : new Date(value);
}

async function readBatch(
  db: Db,
  questionIds: readonly string[],
  sessionIds: readonly string[],
): Promise<Map<string, SessionWithResponses>> {
  // Portable SQL (SQLite and PostgreSQL). The LEFT JOIN gives a session without responses one row
  // with null response columns.
  const rows = await db.$queryRaw<RawRow[]>(Prisma.sql`
    SELECT s."id" AS "sessionId", s."learnerId", s."expiresAt",
           r."questionId", r."attempt", r."correct", r."answer", r."grading", r."createdAt"
    FROM "Session" s
    LEFT JOIN "Response" r
      ON r."learnerId" = s."learnerId" AND r."questionId" IN (${Prisma.join(questionIds)})
    WHERE s."id" IN (${Prisma.join(sessionIds)})`);
  const found = new Map<string, SessionWithResponses>();
  for (const row of rows) {
    let session = found.get(row.sessionId);
    if (!session) {
      session = { learnerId: row.learnerId, expiresAt: asDate(row.expiresAt), responses: [] };
      found.set(row.sessionId, session);
    }
    if (row.questionId === null) continue; // the LEFT JOIN's row for a learner without responses
    session.responses.push({
      questionId: row.questionId,
      attempt: Number(row.attempt),
      correct: Boolean(row.correct),
      answer: row.answer!,
      grading: row.grading!,
      createdAt: asDate(row.createdAt!),
    });
  }
  return found;
}

class AnswerReader {
  /** Waiting callers, per lesson (its question ids, joined): one statement per lesson per batch. */
  private queues = new Map<string, { questionIds: readonly string[]; pending: Pending[] }>();
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly db: Db,
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
      const found = await readBatch(this.db, queue.questionIds, sessionIds);
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
    reader = new AnswerReader(db, providerOf(db) === 'sqlite' ? 1 : 2);
    readers.set(db, reader);
  }
  return reader.read(questionIds, sessionId);
}
