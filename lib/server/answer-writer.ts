import 'server-only';

import { answerStatementsFor, type AnswerStatements } from './db/answer-offload';
import type { AnswerRow } from './db/answer-statements';
import { providerOf, type Db } from './db/client';
import { databaseUnavailable } from './db/unavailable';

/**
 * Group commit for answers (docs/decisions/009). Inserts that arrive while another batch is being
 * written, or within the same event-loop turn, go to the database as ONE multi-row statement:
 * one transaction, one round trip, one log fsync on SQLite (db/wal-sync.ts), instead of one each.
 *
 * - The unique key (learner, question, attempt) still decides duplicates: the statement is
 *   `INSERT … ON CONFLICT DO NOTHING RETURNING "id"`, and a row whose id does not come back lost
 *   to a twin (in the same batch or an earlier one), so its caller reads the stored row.
 * - Every caller gets its own answer, and only after the statement has returned, i.e. after the
 *   commit: an acknowledged answer is as durable as before (kill -9, power cut).
 * - When a batch fails, a database that is busy or unreachable fails every caller alike (each
 *   gets the retryable 503); any other error (one bad row, say a foreign key) is retried row by
 *   row, so one bad row cannot fail the others.
 *
 * Nothing here outlives a request: the queue holds only callers that are waiting for their reply.
 */

export type { AnswerRow } from './db/answer-statements';

interface Pending {
  row: AnswerRow;
  resolve: (inserted: boolean) => void;
  reject: (error: unknown) => void;
}

/** 11 parameters a row: far below SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_BATCH = 100;

class AnswerWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly statements: AnswerStatements,
    /** Batches written at once: 1 for SQLite (one writer anyway), a few for a PostgreSQL pool. */
    private readonly maxInFlight: number,
  ) {}

  /** Resolves true when this row was stored, false when the unique key already held a row. */
  insert(row: AnswerRow): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    // After the current turn's I/O callbacks, so submissions that reach this point together share a batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    const batch = this.queue.splice(0, MAX_BATCH);
    this.inFlight++;
    try {
      await this.write(batch);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      const inserted = await this.statements.insert(batch.map((entry) => entry.row));
      for (const entry of batch) entry.resolve(inserted.has(entry.row.id));
      return;
    } catch (error) {
      if (batch.length === 1 || databaseUnavailable(error)) {
        for (const entry of batch) entry.reject(error);
        return;
      }
    }
    // The statement failed as a whole (nothing was stored): find the bad row(s) one at a time.
    for (const entry of batch) {
      try {
        entry.resolve((await this.statements.insert([entry.row])).has(entry.row.id));
      } catch (error) {
        entry.reject(error);
      }
    }
  }
}

const writers = new WeakMap<Db, AnswerWriter>();

/** Stores one answer through the client's group-commit writer; false when a twin already holds its key. */
export function insertAnswer(db: Db, row: AnswerRow): Promise<boolean> {
  let writer = writers.get(db);
  if (!writer) {
    const statements = answerStatementsFor(db);
    writer = new AnswerWriter(statements, providerOf(db) !== 'sqlite' ? 4 : statements.inWorker ? 2 : 1);
    writers.set(db, writer);
  }
  return writer.insert(row);
}
