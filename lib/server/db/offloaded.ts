import 'server-only';

import { insertAnswerRows, readSessionsWithResponses } from './answer-statements';
import type { Db } from './client';
import {
  findCohortByJoinCode,
  findSessionRow,
  insertLearnerSession,
  insertProgressBatch,
  readLessonStateRows,
  updateLearnerRows,
} from './learner-statements';

/**
 * Every statement the app's client runs on its database worker thread (db/answer-offload.ts,
 * docs/decisions/011 and 018), by name: the worker looks a request's name up here, and so does
 * the in-place runner of every other client. Each takes the client and plain data and returns
 * plain data (what a structured clone carries: Dates, Maps, Sets).
 */
export const OFFLOADED_STATEMENTS = {
  readSessionsWithResponses,
  insertAnswerRows,
  findSessionRow,
  insertLearnerSession,
  insertProgressBatch,
  readLessonStateRows,
  findCohortByJoinCode,
  updateLearnerRows,
};

type Statements = typeof OFFLOADED_STATEMENTS;
export type StatementName = keyof Statements;
type Tail<T> = T extends (db: Db, ...args: infer A) => unknown ? A : never;
export type StatementArgs<N extends StatementName> = Tail<Statements[N]>;
export type StatementResult<N extends StatementName> = Awaited<ReturnType<Statements[N]>>;

/** Runs a named statement on `db` in this thread. */
export function runStatement<N extends StatementName>(
  db: Db,
  name: N,
  args: StatementArgs<N>,
): Promise<StatementResult<N>> {
  const statement = OFFLOADED_STATEMENTS[name] as (db: Db, ...args: unknown[]) => Promise<StatementResult<N>>;
  return statement(db, ...(args as unknown[]));
}
