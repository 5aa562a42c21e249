/**
 * Fault: `kill -9` of the server in the middle of a stream of answer submissions, then a restart
 * on the same SQLite file. Checks: every submission that got a 2xx is in the database with the
 * answer that was sent; no (learner, question, attempt) is stored twice; PRAGMA integrity_check
 * is ok; after the restart, re-sending the unacknowledged submissions succeeds and re-sending an
 * acknowledged one is a replay of the stored result.
 *
 * Bounded: KILL9_CYCLES cycles (default 3), each a stream of at most 20 s that is killed after
 * 1-2.5 s. Port 3164. Exit code 1 when a check fails. Run: `npm run faults -- kill9`.
 */
import Database from 'better-sqlite3';

import { scratchDatabase, startAppServer } from '../multi-instance/app-server';
import { makeLearners, plan, stream, submit, tally, type Outcome } from './stream';

const PORT = 3164;
const CYCLES = Number(process.env.KILL9_CYCLES ?? 3);

interface StoredRow {
  displayName: string;
  questionId: string;
  attempt: number;
  answer: string;
}

function storedRows(file: string): StoredRow[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT l."displayName" AS displayName, r."questionId" AS questionId, r."attempt" AS attempt, r."answer" AS answer
         FROM "Response" r JOIN "Learner" l ON l."id" = r."learnerId"`,
      )
      .all() as StoredRow[];
  } finally {
    db.close();
  }
}

function integrity(file: string): { check: string; duplicates: number } {
  const db = new Database(file, { readonly: true });
  try {
    const check = db.pragma('integrity_check', { simple: true }) as string;
    const { n } = db
      .prepare(
        'SELECT COUNT(*) AS n FROM (SELECT 1 FROM "Response" GROUP BY "learnerId", "questionId", "attempt" HAVING COUNT(*) > 1)',
      )
      .get() as { n: number };
    return { check, duplicates: n };
  } finally {
    db.close();
  }
}

const key = (learner: string, questionId: string, attempt: number) => `${learner}|${questionId}|${attempt}`;

export async function kill9(): Promise<boolean> {
  const database = await scratchDatabase('sqlite');
  const file = database.file!;
  let ok = true;
  const fail = (message: string) => {
    ok = false;
    console.log(`  ✖ ${message}`);
  };
  let server = await startAppServer({ port: PORT, databaseUrl: database.url });
  try {
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const learners = await makeLearners(server.baseUrl, 20, `k9c${cycle}`);
      const killAfter = 1000 + Math.floor(Math.random() * 1500);
      const victim = server;
      const killed = (async () => {
        await new Promise((resolve) => setTimeout(resolve, killAfter));
        await victim.kill9();
      })();
      const outcomes: Outcome[] = await stream({
        baseUrl: server.baseUrl,
        learners,
        workers: 10,
        until: Date.now() + 20_000,
        // Stop each worker at its first failed connection after the kill.
        stop: () => victim.child.signalCode !== null,
      });
      await killed;
      const acknowledged = outcomes.filter((outcome) => outcome.status >= 200 && outcome.status < 300);
      console.log(
        `cycle ${cycle}: killed after ${killAfter} ms; ${outcomes.length} requests: ${JSON.stringify(tally(outcomes))}`,
      );

      server = await startAppServer({ port: PORT, databaseUrl: database.url });
      const rows = storedRows(file);
      const stored = new Map(rows.map((row) => [key(row.displayName, row.questionId, row.attempt), row.answer]));
      const missing = acknowledged.filter(({ submission: s }) => !stored.has(key(s.learner, s.questionId, s.attempt)));
      const wrongAnswer = acknowledged.filter(
        ({ submission: s }) =>
          stored.get(key(s.learner, s.questionId, s.attempt)) !== JSON.stringify({ parts: s.answer.parts }),
      );
      const { check, duplicates } = integrity(file);
      const cycleRows = rows.filter((row) => row.displayName.startsWith(`k9c${cycle}-`)).length;
      console.log(
        `  after restart: ${acknowledged.length} acknowledged, ${cycleRows} stored (the rest were in flight at the kill), missing ${missing.length}, different ${wrongAnswer.length}, duplicates ${duplicates}, integrity_check ${check}`,
      );
      if (missing.length > 0) fail(`${missing.length} acknowledged answers missing after restart`);
      if (wrongAnswer.length > missing.length) fail('a stored answer differs from the acknowledged one');
      if (duplicates > 0) fail(`${duplicates} answers stored twice`);
      if (check !== 'ok') fail(`integrity_check: ${check}`);
      if (cycleRows < acknowledged.length) fail('fewer rows than acknowledged answers');

      // Re-send everything the learners sent (in order): unacknowledged ones are stored now, the
      // acknowledged ones come back as replays of the stored result.
      const resent = new Map<string, number>();
      let replays = 0;
      for (const learner of learners) {
        for (const submission of plan(learner)) {
          const sent = outcomes.find(
            (outcome) =>
              outcome.submission.learner === submission.learner &&
              outcome.submission.questionId === submission.questionId &&
              outcome.submission.attempt === submission.attempt,
          );
          if (!sent) break; // this learner never got this far; later attempts would be out of order
          const again = await submit(server.baseUrl, learner.cookie, submission);
          resent.set(String(again.status), (resent.get(String(again.status)) ?? 0) + 1);
          if (again.replayed) replays++;
          if (again.status !== 200)
            fail(`re-sent ${key(submission.learner, submission.questionId, submission.attempt)}: ${again.status}`);
        }
      }
      const { duplicates: after } = integrity(file);
      console.log(
        `  re-sent after restart: ${JSON.stringify(Object.fromEntries(resent))}, ${replays} replays, duplicates ${after}`,
      );
      if (replays < acknowledged.length) fail('an acknowledged answer was not replayed from the stored row');
      if (after > 0) fail('duplicates after re-sending');
    }
  } finally {
    await server.stop();
    await database.drop();
  }
  console.log(ok ? 'kill -9: ✔ all checks passed' : 'kill -9: ✖ some checks failed');
  return ok;
}
