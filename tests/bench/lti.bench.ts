/**
 * `npm run bench:lti` (issue 18): time from a learner's answer to their score arriving at the LMS,
 * through the real answer handler, the outbox row written in the answer's transaction, the
 * delivery worker and the platform's token and score endpoints (the test platform,
 * tests/lti-platform, over HTTP on this machine). Prints JSON lines; a figure to read, never a
 * timed test.
 *
 * 1. 200 answers (BENCH_LTI_ANSWERS): LTI learners answering in turn, one answer every
 *    BENCH_LTI_GAP_MS (50). An answer's latency runs from just before its submission to the
 *    platform receiving a score that covers it (timestamp at or after the answer).
 * 2. An outage: the platform answers 503 for BENCH_LTI_OUTAGE_MS (10,000) while 20 learners each
 *    answer once; then how long until every score arrived, the most attempts a delivery took,
 *    and whether any score arrived twice or out of order.
 *
 * The worker runs with the server's defaults (poll 500 ms, retry from 5 s doubling) unless
 * AUTODIDACT_LTI_POLL_MS / AUTODIDACT_LTI_RETRY_BASE_MS / AUTODIDACT_LTI_RETRY_MAX_MS say otherwise.
 * SQLite in a temporary folder; the answer statements run on the calling thread here (in the
 * server they run on the answer worker thread, docs/decisions/011).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { LESSON_SLUGS } from '@/lib/content/catalog';
import { syncRows } from '@/lib/server/content-sync';
import { createDb, setDbForTests } from '@/lib/server/db/client';
import { publicJwks } from '@/lib/server/lti/keys';
import { outboxSettings, startLtiOutboxWorker, stopLtiOutboxWorker } from '@/lib/server/lti/outbox';
import { addPlatform } from '@/lib/server/lti/platforms';
import { postAnswerHandler } from '@/lib/server/api/handlers';
import { lessonQuiz } from '@/lib/server/quiz-content';

import { migrate } from '../../lib/cli/migrate.mjs';
import { TestPlatform } from '../lti-platform/platform';
import { cookiesOf, fullLaunch } from '../lti-platform/tool-client';

process.env.SESSION_SECRET ??= 'lti-benchmark-secret-0123456789abcdefghij';
const ANSWERS = Number(process.env.BENCH_LTI_ANSWERS ?? 200);
const GAP_MS = Number(process.env.BENCH_LTI_GAP_MS ?? 50);
const OUTAGE_MS = Number(process.env.BENCH_LTI_OUTAGE_MS ?? 10_000);
const LESSON = 'chain-rule-computational-graphs';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

const questions = lessonQuiz(LESSON)!.questions.filter((question) => question.kind !== 'formula');

function answerFor(question: (typeof questions)[number]): unknown {
  if (question.kind === 'single-choice') return { choice: 'A' };
  return { parts: Object.fromEntries(question.parts.map((part) => [part.id, 0.5])) };
}

async function main(): Promise<void> {
  const folder = mkdtempSync(path.join(tmpdir(), 'autodidact-lti-bench-'));
  const url = `file:${path.join(folder, 'bench.db')}`;
  process.env.DATABASE_URL = url;
  await migrate(url);
  const db = await createDb(url);
  setDbForTests(db);
  await syncRows(
    db,
    LESSON_SLUGS.map((slug, index) => ({ slug, title: slug, order: index + 1 })),
  );
  const platform = await new TestPlatform({ toolJwks: () => publicJwks(db) }).start();
  await addPlatform(db, platform.registration());
  startLtiOutboxWorker();
  console.log(JSON.stringify({ bench: 'lti', settings: outboxSettings(), answers: ANSWERS, gapMs: GAP_MS }));

  try {
    const perLearner = questions.length;
    const learners: { sub: string; cookie: string }[] = [];
    for (let index = 0; index < Math.ceil(ANSWERS / perLearner) + 20; index++) {
      const sub = `bench-${index}`;
      const response = await fullLaunch(
        db,
        platform,
        platform.resourceLinkClaims(sub, { resourceLinkId: 'bench-link' }),
      );
      if (response.status !== 302) throw new Error(`launch answered ${response.status}`);
      learners.push({ sub, cookie: cookiesOf(response) });
    }
    // Let every "Started" score go out first, so it does not count as an answer's delivery.
    while ((await db.ltiScoreOutbox.count({ where: { status: 'pending' } })) > 0) await sleep(50);

    // 1. Latency of 200 answers.
    const sent: { sub: string; startedAt: number; createdAt: number }[] = [];
    for (let index = 0; index < ANSWERS; index++) {
      const learner = learners[Math.floor(index / perLearner)]!;
      const question = questions[index % perLearner]!;
      const startedAt = Date.now();
      const response = await postAnswerHandler(
        new Request('http://localhost:3000/api/quiz/answers', {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: learner.cookie },
          body: JSON.stringify({ questionId: question.id, attempt: 1, answer: answerFor(question) }),
        }),
        db,
      );
      if (response.status !== 200) throw new Error(`answer answered ${response.status}: ${await response.text()}`);
      const user = await db.ltiUser.findFirstOrThrow({ where: { sub: learner.sub } });
      const row = await db.response.findUniqueOrThrow({
        where: { learnerId_questionId_attempt: { learnerId: user.learnerId, questionId: question.id, attempt: 1 } },
      });
      sent.push({ sub: learner.sub, startedAt, createdAt: row.createdAt.getTime() });
      await sleep(GAP_MS);
    }
    const deadline = Date.now() + 60_000;
    const latencies: number[] = [];
    for (const answer of sent) {
      let arrived: number | undefined;
      while (arrived === undefined && Date.now() < deadline) {
        arrived = platform.scores.find(
          (score) => score.body.userId === answer.sub && Date.parse(score.body.timestamp) >= answer.createdAt,
        )?.receivedAt;
        if (arrived === undefined) await sleep(20);
      }
      if (arrived === undefined) throw new Error(`no score arrived for an answer of ${answer.sub}`);
      latencies.push(arrived - answer.startedAt);
    }
    latencies.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        phase: 'answer-to-score',
        answers: latencies.length,
        p50Ms: quantile(latencies, 0.5),
        p95Ms: quantile(latencies, 0.95),
        maxMs: latencies.at(-1),
        scorePosts: platform.scores.length - learners.length,
      }),
    );

    // 2. Outage.
    const outageLearners = learners.slice(-20);
    const before = platform.scores.length;
    platform.failing = true;
    const outageStart = Date.now();
    for (const learner of outageLearners) {
      await postAnswerHandler(
        new Request('http://localhost:3000/api/quiz/answers', {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: learner.cookie },
          body: JSON.stringify({ questionId: questions[0]!.id, attempt: 1, answer: { choice: 'A' } }),
        }),
        db,
      );
    }
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - outageStart)));
    const duringOutage = platform.scores.length - before;
    platform.failing = false;
    const recoveredAt = Date.now();
    const subs = new Set(outageLearners.map((learner) => learner.sub));
    while (Date.now() - recoveredAt < 10 * 60_000) {
      const arrived = new Set(platform.scores.slice(before).map((score) => score.body.userId));
      if ([...subs].every((sub) => arrived.has(sub))) break;
      await sleep(20);
    }
    const after = platform.scores.slice(before).filter((score) => subs.has(score.body.userId));
    const lastArrival = Math.max(...after.map((score) => score.receivedAt));
    const perSub = new Map<string, number[]>();
    for (const score of after)
      perSub.set(score.body.userId, [...(perSub.get(score.body.userId) ?? []), Date.parse(score.body.timestamp)]);
    const rows = await db.ltiScoreOutbox.findMany({
      where: { status: 'sent', responseId: { not: 'launch' } },
      select: { attempts: true },
    });
    console.log(
      JSON.stringify({
        phase: 'outage',
        outageMs: OUTAGE_MS,
        learners: subs.size,
        scoresDuringOutage: duringOutage,
        refusedRequests: platform.refusedWhileFailing,
        allArrived: [...subs].every((sub) => perSub.has(sub)),
        recoveryToLastScoreMs: lastArrival - recoveredAt,
        maxAttempts: Math.max(...rows.map((row) => row.attempts)),
        duplicates: [...perSub.values()].filter((times) => times.length > 1).length,
        inOrder: [...perSub.values()].every((times) =>
          times.every((time, index) => index === 0 || times[index - 1]! <= time),
        ),
      }),
    );
  } finally {
    stopLtiOutboxWorker();
    await platform.stop();
    setDbForTests(undefined);
    await db.$disconnect();
    rmSync(folder, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
