import 'server-only';

import { Worker } from 'node:worker_threads';

import type { AnswerRow, SessionWithResponses } from './answer-statements';
import { log } from '../log';
import type { Db } from './client';
import { runStatement, type StatementArgs, type StatementName, type StatementResult } from './offloaded';
import {
  reviveError,
  type AnswerWorkerData,
  type AnswerWorkerReply,
  type AnswerWorkerRequest,
} from './answer-protocol';

/**
 * Where the answer path's two statements run (docs/decisions/011). Under load the app's event
 * loop is the bottleneck, and a statement through Prisma costs it far more than the database's
 * own work: the query compiler, parameter and row mapping, the adapter's prepare, SQLite's
 * execution (synchronous in better-sqlite3). The app's own client (getDb()) hands these two
 * statements to a worker thread with a client of its own, so that work runs on another core;
 * the event loop only posts a batch and reads back plain rows. Any other client (tests, scripts)
 * runs them in place.
 *
 * Nothing changes for callers: the same SQL, the same batches (answer-reader.ts, answer-writer.ts),
 * acknowledged after the same commit (on SQLite the worker's client fsyncs the log before its
 * insert returns, db/wal-sync.ts), and the same errors: a busy or unreachable database still
 * reaches the route as an error that databaseUnavailable() recognises.
 */
export interface AnswerStatements {
  /**
   * True when the statements run on the worker thread. Batches may then overlap even on SQLite:
   * the worker runs them one after another on its connection, but the next batch is already
   * there while the previous one waits for its log fsync, instead of a message round trip later.
   */
  readonly inWorker: boolean;
  read(questionIds: readonly string[], sessionIds: readonly string[]): Promise<Map<string, SessionWithResponses>>;
  insert(rows: readonly AnswerRow[]): Promise<Set<string>>;
  /** Any statement of db/offloaded.ts by name (the learner path's other statements). */
  run<N extends StatementName>(name: N, ...args: StatementArgs<N>): Promise<StatementResult<N>>;
}

function inPlace(db: Db): AnswerStatements {
  return {
    inWorker: false,
    read: (questionIds, sessionIds) => runStatement(db, 'readSessionsWithResponses', [questionIds, sessionIds]),
    insert: (rows) => runStatement(db, 'insertAnswerRows', [rows]),
    run: (name, ...args) => runStatement(db, name, args),
  };
}

/** What a request in flight hears when the worker thread dies: a retryable "connection closed". */
function workerGone(reason: string): Error {
  return Object.assign(new Error(`Server has closed the connection: the answer worker ${reason}`), { code: 'P1017' });
}

/**
 * Next's bundler recognises this exact form, `new Worker(new URL('./file.ts', import.meta.url))`,
 * and builds the file as the worker's own entry; any other form ships the TypeScript source as
 * an asset, which Node cannot run.
 */
function spawnAnswerWorker(workerData: AnswerWorkerData): Worker {
  return new Worker(new URL('./answer-worker.ts', import.meta.url), { workerData });
}

export class AnswerWorkerClient implements AnswerStatements {
  readonly inWorker = true;
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private outbox: AnswerWorkerRequest[] = [];

  constructor(
    private readonly url: string,
    private readonly poolSize: number,
    /** Starts the thread; tests replace it to run the TypeScript entry through tsx. */
    private readonly spawn: (workerData: AnswerWorkerData) => Worker = spawnAnswerWorker,
  ) {}

  /** Stops the thread; requests in flight fail as when it dies. */
  async close(): Promise<void> {
    await this.worker?.terminate();
  }

  read(questionIds: readonly string[], sessionIds: readonly string[]): Promise<Map<string, SessionWithResponses>> {
    return this.run('readSessionsWithResponses', questionIds, sessionIds);
  }

  insert(rows: readonly AnswerRow[]): Promise<Set<string>> {
    return this.run('insertAnswerRows', rows);
  }

  run<N extends StatementName>(name: N, ...args: StatementArgs<N>): Promise<StatementResult<N>> {
    return this.call({ name, args }) as Promise<StatementResult<N>>;
  }

  private call(request: Omit<AnswerWorkerRequest, 'id'>): Promise<unknown> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // Held only while a reply is owed: an idle worker never keeps a script's process alive.
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve, reject });
      // Every request of this turn of the event loop goes in one message, posted once the turn's
      // I/O callbacks have run (setImmediate): under load one turn serves many HTTP requests, and
      // each message costs this busy thread a structured clone and the worker a wake-up.
      if (this.outbox.length === 0) setImmediate(() => this.flush());
      this.outbox.push({ ...request, id });
    });
  }

  private flush(): void {
    // A request whose worker died since it was queued has already failed (lost()); the rest go
    // to the current worker.
    const requests = this.outbox.filter((request) => this.pending.has(request.id));
    this.outbox = [];
    if (requests.length === 0) return;
    const worker = this.worker ?? this.start();
    worker.ref();
    worker.postMessage(requests);
  }

  private start(): Worker {
    const worker = this.spawn({ url: this.url, poolSize: this.poolSize });
    worker.unref();
    worker.on('message', (replies: AnswerWorkerReply[]) => {
      for (const reply of replies) {
        const waiting = this.pending.get(reply.id);
        if (!waiting) continue;
        this.pending.delete(reply.id);
        if (reply.ok) waiting.resolve(reply.value);
        else waiting.reject(reviveError(reply.error));
      }
      if (this.pending.size === 0) worker.unref();
    });
    const lost = (reason: string) => {
      if (this.worker !== worker) return;
      // The next request starts a new worker; the ones in flight fail, retryably (an insert that
      // was not acknowledged may or may not be stored; the unique key makes the retry safe).
      this.worker = null;
      for (const waiting of this.pending.values()) waiting.reject(workerGone(reason));
      this.pending.clear();
    };
    worker.on('error', (error) => {
      log.error({ err: error }, 'answer worker failed');
      lost(`failed (${error.message})`);
    });
    worker.on('exit', (code) => lost(`exited with code ${code}`));
    this.worker = worker;
    return worker;
  }
}

// On globalThis, like the client itself (client.ts): the server's bundles (instrumentation, each
// route) may each hold a copy of this module, and the one that registered the app's client must
// not be the only one that finds its worker.
const globalForOffload = globalThis as unknown as { autodidactAnswerStatements?: WeakMap<Db, AnswerStatements> };
const offloaded = (globalForOffload.autodidactAnswerStatements ??= new WeakMap<Db, AnswerStatements>());

/**
 * Runs `db`'s answer statements on a worker thread with its own client for `url`. Only in the
 * bundled server (NEXT_RUNTIME is set there), where the worker's entry is built; in scripts and
 * tests that run the sources directly they stay on the calling thread.
 */
export function offloadAnswerStatements(db: Db, url: string, poolSize: number): void {
  if (!process.env.NEXT_RUNTIME) return;
  offloaded.set(db, new AnswerWorkerClient(url, poolSize));
}

/** The answer statements for `db`: its worker's when it has one, otherwise run in place. */
export function answerStatementsFor(db: Db): AnswerStatements {
  let statements = offloaded.get(db);
  if (!statements) {
    statements = inPlace(db);
    offloaded.set(db, statements);
  }
  return statements;
}
