/**
 * `npm run load:class`: capacity in learners (issue 19, docs/decisions/018). Simulates N learners
 * at once, each following a reader's script with think times, ramps N up step by step, and
 * prints per route p50/p95/p99 and errors at each step, then the largest N that held the SLO:
 *
 *   answers p95 < 300 ms, lesson state p95 < 500 ms, 0 errors, every acknowledged answer stored
 *   (checked in the database afterwards, answer by answer).
 *
 * A learner's script, logged-out to joined (times are think times, uniform in the range):
 *   arrive    GET /lessons/<slug> (the page's HTML), then 1-3 s later GET /api/lessons/<slug>/state
 *             (creates the session cookie), then 5-15 s later POST /api/learner (display name and
 *             the class's join code);
 *   read      a progress beacon every 10-20 s (mean 15 s): 1-3 section-viewed / widget-used events;
 *   answer    one answer every 40-80 s (mean 60 s), first after 20-80 s: the next open question;
 *             choice answers pick an offered letter at random (some right), numeric answers are
 *             wrong, and 70 % of wrong answers are retried while attempts remain;
 *   leave     once every question is closed; a new learner arrives in its place, so N stays N.
 * Learners added by a step arrive spread over its first 45 s. LOAD_CLASS_PAGE=0 leaves out the page
 * request (as when a CDN or a caching proxy in front serves the static lesson page).
 *
 * HTTP is autocannon's programmatic API (docs/decisions/018): the learners' schedule hands the
 * earliest due action to whichever connection asks next, and autocannon paces the connections at
 * the schedule's rate. Its pacing is per whole second per connection, so each target gets
 * LOAD_CLASS_SPREAD instances started evenly across a second, which spreads the sends. How late
 * actions went out against their schedule is printed (`late p95`): a generator that cannot keep
 * up shows there, not as a flattering latency.
 *
 * Options (environment):
 *   LOAD_CLASS_STEPS         learners per step            (default 500,1000,2000,3000,4000,5000,6000)
 *   LOAD_CLASS_STEP_SECONDS  seconds per step             (default 90)
 *   LOAD_CLASS_DB            sqlite | postgresql          (default sqlite; postgresql uses DATABASE_URL's server)
 *   LOAD_CLASS_INSTANCES     app servers (PostgreSQL only) (default 1; 2 for the multi-instance run)
 *   LOAD_CLASS_CONNECTIONS   connections per app server   (default 96)
 *   LOAD_CLASS_KEEP_GOING=1  run every step even after one fails the SLO
 *   LOAD_CLASS_PAGE=0        no page requests (a CDN or caching proxy serves the static page)
 *   APP_SERVER_NODE_ARGS     e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server(s)
 * Uses the production build in NEXT_DIST_DIR (default .next); build first when sources changed.
 * Learner rate limits are raised for the run (one loopback address stands for a whole class).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import pg from 'pg';

import { graphPractice } from '../../content/lessons/chain-rule-computational-graphs/questions';
import { checkPortFree } from '../../lib/cli/preflight.mjs';
import { extractToc } from '../../lib/content/headings';
import { WIDGETS } from '../../lib/widgets/catalog';
import {
  distDir,
  scratchDatabase,
  startAppServer,
  type AppServer,
  type ScratchDatabase,
} from '../multi-instance/app-server';
import { quantile } from './bench-server';

const LESSON = 'chain-rule-computational-graphs';
const STEPS = (process.env.LOAD_CLASS_STEPS ?? '500,1000,2000,3000,4000,5000,6000')
  .split(',')
  .map((value) => Number(value.trim()))
  .filter((value) => Number.isInteger(value) && value > 0);
const STEP_SECONDS = Number(process.env.LOAD_CLASS_STEP_SECONDS ?? 90);
const KIND = process.env.LOAD_CLASS_DB === 'postgresql' ? 'postgresql' : 'sqlite';
const INSTANCES = KIND === 'postgresql' ? Math.max(1, Number(process.env.LOAD_CLASS_INSTANCES ?? 1)) : 1;
const CONNECTIONS = Number(process.env.LOAD_CLASS_CONNECTIONS ?? 96);
const SPREAD = Number(process.env.LOAD_CLASS_SPREAD ?? 8);
const KEEP_GOING = process.env.LOAD_CLASS_KEEP_GOING === '1';
const FIRST_PORT = Number(process.env.LOAD_CLASS_PORT ?? 3181);
const WITH_PAGE = process.env.LOAD_CLASS_PAGE !== '0';

/** Think times in seconds, [min, max], drawn uniformly. Printed with every figure. */
export const THINK = {
  pageToState: [1, 3],
  stateToJoin: [5, 15],
  beacon: [10, 20],
  firstAnswer: [20, 80],
  answer: [40, 80],
  arrivalSpread: [0, 45],
} as const;
const RETRY_WRONG = 0.7;

const SLO = { answerP95: 300, stateP95: 500 };

type Route = 'page' | 'state' | 'join' | 'beacon' | 'answer';
const ROUTES: Route[] = ['page', 'state', 'join', 'beacon', 'answer'];

const between = ([min, max]: readonly [number, number]) => (min + Math.random() * (max - min)) * 1000;

// ---------------------------------------------------------------------------------------------
// Learners and their schedule

interface QuestionView {
  id: string;
  kind: string;
  nextAttempt: number | null;
  closed: boolean;
  solved: boolean;
  options?: { key: string }[];
  last: { correct: boolean } | null;
}

interface Learner {
  index: number;
  /** Which app server this learner talks to (sticky, like a load balancer with affinity). */
  target: number;
  name: string;
  cookie: string | null;
  joined: boolean;
  questions: QuestionView[] | null;
  /** The route of this learner's request on the wire, if any: its next action waits for the reply. */
  inflight: Route | null;
  /** Questions this learner gave up on after a wrong answer (30 % of wrong answers). */
  skipped: Set<string>;
  /** The next answer re-reads the lesson state first (its last answer's reply was lost). */
  needsState: boolean;
  phase: 'arriving' | 'reading' | 'left';
  lastBeaconAt: number;
  lastAnswerAt: number;
}

interface Action {
  due: number;
  learner: Learner;
  route: Route;
}

/** A binary min-heap of actions by due time. */
class Schedule {
  private readonly heap: Action[] = [];
  get size(): number {
    return this.heap.length;
  }
  push(action: Action): void {
    const heap = this.heap;
    heap.push(action);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.due <= heap[i]!.due) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  }
  peek(): Action | undefined {
    return this.heap[0];
  }
  pop(): Action | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && heap[left]!.due < heap[smallest]!.due) smallest = left;
        if (right < heap.length && heap[right]!.due < heap[smallest]!.due) smallest = right;
        if (smallest === i) break;
        [heap[smallest], heap[i]] = [heap[i]!, heap[smallest]!];
        i = smallest;
      }
    }
    return top;
  }
}

interface Outgoing {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** What autocannon keeps per connection between building a request and reading its reply. */
interface CallContext {
  action?: Action;
  sentAt?: number;
}

interface RouteStats {
  latencies: number[];
  statuses: Record<string, number>;
}

interface StepStats {
  routes: Record<Route, RouteStats>;
  lateness: number[];
  beaconIntervals: number[];
  answerIntervals: number[];
  socketErrors: number;
  timeouts: number;
  /** Requests autocannon's pacing asked for while no learner had anything due (GET /api/health). */
  idleProbes: number;
  /** The first failed reply per route, status and start of body, to say what went wrong. */
  errorSamples: Partial<Record<Route, string>>;
}

function emptyStats(): StepStats {
  return {
    routes: Object.fromEntries(
      ROUTES.map((route): [Route, RouteStats] => [route, { latencies: [], statuses: {} }]),
    ) as Record<Route, RouteStats>,
    lateness: [],
    beaconIntervals: [],
    answerIntervals: [],
    socketErrors: 0,
    timeouts: 0,
    idleProbes: 0,
    errorSamples: {},
  };
}

/** Numeric questions' part ids (the state view does not list them: the page's own content does). */
const numericParts = new Map(graphPractice.map((question) => [question.id, question.parts.map((part) => part.id)]));

class Simulation {
  readonly learners: Learner[] = [];
  readonly schedules: Schedule[];
  /** Every answer acknowledged with 200 (name|question|attempt), for the database check. */
  readonly acknowledged = new Set<string>();
  answersSent = 0;
  stats = emptyStats();
  private nextIndex = 0;

  constructor(
    readonly targets: string[],
    readonly joinCode: string,
  ) {
    this.schedules = targets.map(() => new Schedule());
  }

  /** Adds `count` learners arriving over the next 45 s (from `now`). */
  addLearners(count: number, now: number): void {
    for (let i = 0; i < count; i++) this.arrive(now + between(THINK.arrivalSpread));
  }

  private arrive(at: number): void {
    const index = this.nextIndex++;
    const learner: Learner = {
      index,
      target: index % this.targets.length,
      name: `Load learner ${index}`,
      cookie: null,
      joined: false,
      questions: null,
      inflight: null,
      skipped: new Set(),
      needsState: false,
      phase: 'arriving',
      lastBeaconAt: 0,
      lastAnswerAt: 0,
    };
    this.learners.push(learner);
    this.schedule(learner, WITH_PAGE ? 'page' : 'state', at);
  }

  private schedule(learner: Learner, route: Route, due: number): void {
    this.schedules[learner.target]!.push({ learner, route, due });
  }

  /**
   * The earliest action for target `target` that is due within a second and whose learner is free
   * (a busy learner's action waits 0.5 s); undefined when none is.
   */
  take(target: number, now: number): Action | undefined {
    const schedule = this.schedules[target]!;
    for (let tries = 0; tries < 64; tries++) {
      const next = schedule.peek();
      if (!next || next.due > now + 1_000) return undefined;
      const action = schedule.pop()!;
      if (action.learner.phase === 'left') continue;
      if (action.learner.inflight) {
        this.schedule(action.learner, action.route, Math.max(action.due, now) + 500);
        continue;
      }
      return action;
    }
    return undefined;
  }

  request(action: Action, baseUrl: string): Outgoing {
    const { learner } = action;
    const cookie: Record<string, string> = learner.cookie ? { cookie: learner.cookie } : {};
    const post = { 'content-type': 'application/json', origin: baseUrl, 'sec-fetch-site': 'same-origin' };
    switch (action.route) {
      case 'page':
        // As a browser asks: compressed (the page is ~700 kB of HTML, ~90 kB gzipped).
        return {
          method: 'GET',
          path: `/lessons/${LESSON}`,
          headers: { accept: 'text/html', 'accept-encoding': 'gzip, deflate, br', ...cookie },
        };
      case 'state':
        return { method: 'GET', path: `/api/lessons/${LESSON}/state`, headers: { ...cookie } };
      case 'join':
        return {
          method: 'POST',
          path: '/api/learner',
          headers: { ...post, ...cookie },
          body: JSON.stringify({ displayName: learner.name, joinCode: this.joinCode }),
        };
      case 'beacon':
        return { method: 'POST', path: '/api/progress', headers: { ...post, ...cookie }, body: beaconBody() };
      case 'answer': {
        const question = openQuestion(learner)!;
        return {
          method: 'POST',
          path: '/api/quiz/answers',
          headers: { ...post, ...cookie },
          body: JSON.stringify({ questionId: question.id, attempt: question.nextAttempt, answer: answerFor(question) }),
        };
      }
    }
  }

  /**
   * Decides what the popped action really is now: an answer with no open question left means the
   * learner leaves (and a new one arrives); an answer whose view is stale re-reads the state.
   */
  resolve(action: Action, now: number): Action | null {
    const { learner } = action;
    if (action.route === 'answer') {
      if (learner.needsState || !learner.questions) return { ...action, route: 'state' };
      if (!learner.joined) {
        this.schedule(learner, 'answer', now + 5_000);
        return null;
      }
      if (!openQuestion(learner)) {
        learner.phase = 'left';
        this.arrive(now);
        return null;
      }
    }
    if ((action.route === 'beacon' || action.route === 'join') && !learner.cookie) {
      this.schedule(learner, action.route, now + 2_000);
      return null;
    }
    return action;
  }

  sent(action: Action, now: number): void {
    action.learner.inflight = action.route;
    this.stats.lateness.push(Math.max(0, now - action.due));
    if (action.route === 'answer') {
      this.answersSent++;
      if (action.learner.lastAnswerAt) this.stats.answerIntervals.push(now - action.learner.lastAnswerAt);
      action.learner.lastAnswerAt = now;
    }
    if (action.route === 'beacon') {
      if (action.learner.lastBeaconAt) this.stats.beaconIntervals.push(now - action.learner.lastBeaconAt);
      action.learner.lastBeaconAt = now;
    }
  }

  received(
    action: Action,
    status: number,
    body: string,
    headers: Record<string, string | string[]>,
    latency: number,
    now: number,
  ): void {
    const { learner, route } = action;
    learner.inflight = null;
    const stats = this.stats.routes[route];
    stats.latencies.push(latency);
    stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
    if (status !== 200) {
      this.stats.errorSamples[route] ??= `${status} ${body.slice(0, 300)}`;
      // A failed step is retried after a pause, as the page's own client would.
      this.schedule(learner, route, now + 5_000);
      return;
    }
    switch (route) {
      case 'page':
        this.schedule(learner, 'state', now + between(THINK.pageToState));
        break;
      case 'state': {
        const setCookie = headerValue(headers, 'set-cookie');
        if (setCookie) learner.cookie = setCookie.split(';')[0]!;
        learner.questions = (JSON.parse(body) as { questions: QuestionView[] }).questions;
        const wasStale = learner.needsState;
        learner.needsState = false;
        if (learner.phase === 'arriving') {
          learner.phase = 'reading';
          this.schedule(learner, 'join', now + between(THINK.stateToJoin));
        } else if (wasStale) {
          this.schedule(learner, 'answer', now + between(THINK.beacon));
        }
        break;
      }
      case 'join':
        learner.joined = true;
        this.schedule(learner, 'beacon', now + between(THINK.beacon));
        this.schedule(learner, 'answer', now + between(THINK.firstAnswer));
        break;
      case 'beacon':
        this.schedule(learner, 'beacon', now + between(THINK.beacon));
        break;
      case 'answer': {
        const outcome = JSON.parse(body) as { result: { attempt: number; correct: boolean }; question: QuestionView };
        this.acknowledged.add(`${learner.name}|${outcome.question.id}|${outcome.result.attempt}`);
        if (!outcome.result.correct && Math.random() >= RETRY_WRONG) learner.skipped.add(outcome.question.id);
        learner.questions = learner.questions!.map((question) =>
          question.id === outcome.question.id ? outcome.question : question,
        );
        this.schedule(learner, 'answer', now + between(THINK.answer));
        break;
      }
    }
  }

  /** A request that never got its reply (the step ended, or a socket error). */
  lost(learner: Learner, route: Route): void {
    learner.inflight = null;
    // Whether a lost answer was stored is unknown: the learner reloads the state before the next.
    if (route === 'answer') learner.needsState = true;
    this.schedule(learner, route, Date.now() + 1_000);
  }

  /** Mean actions per second over the next `seconds`, from the schedule's think-time means. */
  expectedRate(seconds: number, arriving: number): number {
    const active = this.learners.filter((learner) => learner.phase !== 'left').length;
    const perLearner = 1 / 15 + 1 / 60;
    return active * perLearner + (arriving * (WITH_PAGE ? 3 : 2)) / seconds;
  }
}

function headerValue(headers: Record<string, string | string[]>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/** The question the learner works on: the first open one it has not given up on. */
function openQuestion(learner: Learner): QuestionView | undefined {
  return (learner.questions ?? []).find(
    (question) =>
      !question.closed &&
      !question.solved &&
      question.nextAttempt !== null &&
      !learner.skipped.has(question.id) &&
      answerable(question),
  );
}

function answerable(question: QuestionView): boolean {
  if (question.kind === 'single-choice') return (question.options?.length ?? 0) > 0;
  if (question.kind === 'formula') return true;
  return numericParts.has(question.id);
}

/** A choice at random among the offered letters; numeric answers wrong (see the header). */
function answerFor(question: QuestionView): unknown {
  if (question.kind === 'single-choice') {
    const options = question.options!;
    return { choice: options[Math.floor(Math.random() * options.length)]!.key };
  }
  if (question.kind === 'formula') return { expression: Math.random() < 0.5 ? 'x*w' : 'sigmoid(w*x+b)-1' };
  const parts = numericParts.get(question.id)!;
  return { parts: Object.fromEntries(parts.map((part, i) => [part, 1000 + i + Math.random()])) };
}

/** The lesson's own section and widget ids, as the page's events name them. */
const SECTIONS = extractToc(readFileSync(`content/lessons/${LESSON}/lesson.mdx`, 'utf8')).map((entry) => entry.id);
const WIDGET_TARGETS = Object.entries(WIDGETS).map(([kind, widget]) => `${kind}:${widget.defaultInstance}`);

function beaconBody(): string {
  const now = Date.now();
  const count = 1 + Math.floor(Math.random() * 3);
  const events = Array.from({ length: count }, () =>
    Math.random() < 0.5
      ? {
          id: randomUUID(),
          type: 'section-viewed',
          lessonSlug: LESSON,
          target: SECTIONS[Math.floor(Math.random() * SECTIONS.length)],
          at: now,
        }
      : {
          id: randomUUID(),
          type: 'widget-used',
          lessonSlug: LESSON,
          target: WIDGET_TARGETS[Math.floor(Math.random() * WIDGET_TARGETS.length)],
          at: now,
          data: { control: 'w' },
        },
  );
  return JSON.stringify({ events });
}

// ---------------------------------------------------------------------------------------------
// Driving one step with autocannon

interface Figures {
  learners: number;
  seconds: number;
  rate: number;
  routes: Record<Route, { n: number; p50: number; p95: number; p99: number; errors: number }>;
  errors: number;
  latenessP95: number;
  idleProbes: number;
  errorSamples: Partial<Record<Route, string>>;
  beaconMean: number;
  answerMean: number;
  serverCpu: number;
  generatorCpu: number;
  machineBusy: number;
  /** CPU used by other processes (other work on the machine; PostgreSQL in its runs), in cores. */
  otherCpu: number;
}

async function driveStep(
  simulation: Simulation,
  servers: AppServer[],
  seconds: number,
  rate: number,
  onTick: (done: number) => void,
): Promise<void> {
  const runs: Promise<void>[] = [];
  const instances: autocannon.Instance[] = [];
  let done = 0;
  const ticker = setInterval(() => onTick(done), 5_000);
  servers.forEach((server, target) => {
    const perTarget = rate / servers.length;
    for (let slot = 0; slot < SPREAD; slot++) {
      const slotRate = Math.max(1, Math.round(perTarget / SPREAD));
      const connections = Math.max(1, Math.min(Math.round(CONNECTIONS / SPREAD), slotRate));
      runs.push(
        new Promise<void>((resolve, reject) => {
          // Starts spread across one second: autocannon paces each connection per whole second.
          setTimeout(
            () => {
              // With a callback autocannon reports there; the promise it also returns is not needed.
              const instance = autocannon(
                {
                  url: server.baseUrl,
                  connections,
                  overallRate: slotRate,
                  duration: Math.max(1, seconds - 1),
                  timeout: 10,
                  requests: [
                    {
                      setupRequest: (request, untyped) => {
                        const context = untyped as CallContext;
                        const now = Date.now();
                        let action: Action | null | undefined;
                        for (let guard = 0; guard < 16 && !action; guard++) {
                          const next = simulation.take(target, now);
                          if (!next) break;
                          action = simulation.resolve(next, now);
                        }
                        if (!action) {
                          // Nothing due: a health probe keeps the connection's pace (counted apart).
                          simulation.stats.idleProbes++;
                          context.action = undefined;
                          return { ...request, method: 'GET', path: '/api/health', headers: {}, body: undefined };
                        }
                        simulation.sent(action, now);
                        context.action = action;
                        context.sentAt = performance.now();
                        const built = simulation.request(action, server.baseUrl);
                        return {
                          ...request,
                          ...built,
                          headers: { ...built.headers, host: new URL(server.baseUrl).host },
                        };
                      },
                      onResponse: (status, body, untyped, headers) => {
                        const context = untyped as CallContext;
                        const action = context.action;
                        if (!action) return;
                        context.action = undefined;
                        done++;
                        simulation.received(
                          action,
                          status,
                          body,
                          headers as Record<string, string | string[]>,
                          performance.now() - (context.sentAt ?? 0),
                          Date.now(),
                        );
                      },
                    },
                  ],
                },
                (error, result) => {
                  if (error) return reject(error instanceof Error ? error : new Error(String(error)));
                  simulation.stats.socketErrors += result.errors - result.timeouts;
                  simulation.stats.timeouts += result.timeouts;
                  resolve();
                },
              );
              instance.on('error', () => {});
              instances.push(instance);
            },
            (slot * 1000) / SPREAD,
          );
        }),
      );
    }
  });
  await Promise.all(runs);
  clearInterval(ticker);
  // Requests cut off by the end of the step: their learners go on next step (answers re-read state).
  for (const learner of simulation.learners) {
    if (learner.inflight) simulation.lost(learner, learner.inflight);
  }
}

function cpuTicks(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function machineTicks(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((sum, value) => sum + value, 0);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  return { busy: total - idle, total };
}

async function runStep(
  simulation: Simulation,
  servers: AppServer[],
  learners: number,
  previous: number,
): Promise<Figures> {
  simulation.stats = emptyStats();
  const now = Date.now();
  simulation.addLearners(learners - previous, now);
  const rate = simulation.expectedRate(STEP_SECONDS, learners - previous);
  const serverBefore = servers.map((server) => cpuTicks(server.child.pid!));
  const machineBefore = machineTicks();
  const generatorBefore = process.cpuUsage();
  const started = performance.now();
  await driveStep(simulation, servers, STEP_SECONDS, Math.ceil(rate), (done) => {
    // A count every 5 s: in place on a terminal, one line each in a log file.
    const text = `[load:class] ${learners} learners: ${Math.round((performance.now() - started) / 1000)}/${STEP_SECONDS} s, ${done} requests`;
    process.stderr.write(process.stderr.isTTY ? `\r${text}   ` : `${text}\n`);
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  const elapsed = (performance.now() - started) / 1000;
  const serverTicks = servers.reduce((sum, server, i) => sum + cpuTicks(server.child.pid!) - serverBefore[i]!, 0);
  const machineAfter = machineTicks();
  const generator = process.cpuUsage(generatorBefore);
  const stats = simulation.stats;
  const routes = Object.fromEntries(
    ROUTES.map((route) => {
      const { latencies, statuses } = stats.routes[route];
      const errors = Object.entries(statuses)
        .filter(([status]) => status !== '200')
        .reduce((sum, [, count]) => sum + count, 0);
      return [
        route,
        {
          n: latencies.length,
          p50: quantile(latencies, 0.5),
          p95: quantile(latencies, 0.95),
          p99: quantile(latencies, 0.99),
          errors,
        },
      ];
    }),
  ) as Figures['routes'];
  const errors =
    Object.values(routes).reduce((sum, route) => sum + route.errors, 0) + stats.socketErrors + stats.timeouts;
  const machineBusy = (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total);
  const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN);
  return {
    learners,
    seconds: elapsed,
    rate: Object.values(routes).reduce((sum, route) => sum + route.n, 0) / elapsed,
    routes,
    errors,
    latenessP95: quantile(stats.lateness, 0.95),
    idleProbes: stats.idleProbes,
    errorSamples: stats.errorSamples,
    beaconMean: mean(stats.beaconIntervals) / 1000,
    answerMean: mean(stats.answerIntervals) / 1000,
    // Clock ticks are 1/100 s on Linux; as a share of one core.
    serverCpu: serverTicks / 100 / elapsed,
    generatorCpu: (generator.user + generator.system) / 1e6 / elapsed,
    machineBusy,
    otherCpu: Math.max(
      0,
      machineBusy * cpus().length - serverTicks / 100 / elapsed - (generator.user + generator.system) / 1e6 / elapsed,
    ),
  };
}

function holdsSlo(figures: Figures): boolean {
  return (
    figures.routes.answer.p95 < SLO.answerP95 &&
    figures.routes.state.p95 < SLO.stateP95 &&
    figures.errors === 0 &&
    figures.routes.answer.n > 0
  );
}

/** The first port from `start` that nothing listens on (127.0.0.1, where the servers listen). */
async function freePortFrom(start: number): Promise<number> {
  for (let port = start; port < start + 50; port++) {
    try {
      await checkPortFree(port, '127.0.0.1');
      return port;
    } catch {
      console.error(`[load:class] port ${port} is in use: trying ${port + 1}`);
    }
  }
  throw new Error(`no free port in ${start}-${start + 49}: set LOAD_CLASS_PORT`);
}

// ---------------------------------------------------------------------------------------------
// The class, and the database check afterwards

async function createClass(database: ScratchDatabase): Promise<string> {
  const joinCode = `LOAD${randomUUID().slice(0, 4).toUpperCase()}`;
  const id = randomUUID();
  if (database.kind === 'sqlite') {
    const connection = new Database(database.file);
    try {
      connection
        .prepare('INSERT INTO "Cohort" ("id", "name", "joinCode") VALUES (?, ?, ?)')
        .run(id, 'Load test', joinCode);
    } finally {
      connection.close();
    }
  } else {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query('INSERT INTO "Cohort" ("id", "name", "joinCode") VALUES ($1, $2, $3)', [
        id,
        'Load test',
        joinCode,
      ]);
    } finally {
      await client.end();
    }
  }
  return joinCode;
}

async function storedAnswers(database: ScratchDatabase): Promise<Set<string>> {
  const sql =
    'SELECT l."displayName" AS name, r."questionId" AS question, r."attempt" AS attempt FROM "Response" r JOIN "Learner" l ON l."id" = r."learnerId"';
  let rows: { name: string | null; question: string; attempt: number }[];
  if (database.kind === 'sqlite') {
    const connection = new Database(database.file, { readonly: true });
    try {
      rows = connection.prepare(sql).all() as typeof rows;
    } finally {
      connection.close();
    }
  } else {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      rows = (await client.query<(typeof rows)[number]>(sql)).rows;
    } finally {
      await client.end();
    }
  }
  return new Set(rows.map((row) => `${row.name}|${row.question}|${row.attempt}`));
}

// ---------------------------------------------------------------------------------------------

const fmt = (value: number) => (Number.isFinite(value) ? value.toFixed(value < 10 ? 1 : 0) : '-');

function printStep(figures: Figures, ok: boolean): void {
  const line = ROUTES.map((route) => {
    const r = figures.routes[route];
    return `${route} n=${r.n} p50/p95/p99 ${fmt(r.p50)}/${fmt(r.p95)}/${fmt(r.p99)} ms${r.errors ? ` ERR ${r.errors}` : ''}`;
  }).join(' | ');
  for (const [route, sample] of Object.entries(figures.errorSamples)) {
    console.error(`[load:class]   first failed ${route}: ${sample}`);
  }
  console.error(
    `[load:class] ${figures.learners} learners ${ok ? '✔ SLO held' : '✖ SLO missed'}: ${fmt(figures.rate)} req/s, errors ${figures.errors}, idle probes ${figures.idleProbes}, late p95 ${fmt(figures.latenessP95)} ms, beacon every ${fmt(figures.beaconMean)} s, answer every ${fmt(figures.answerMean)} s, CPU (100 % = one core) server ${(figures.serverCpu * 100).toFixed(0)} %, generator ${(figures.generatorCpu * 100).toFixed(0)} %, everything else on the machine ${(figures.otherCpu * 100).toFixed(0)} %\n    ${line}`,
  );
}

async function main(): Promise<void> {
  const adminUrl = (() => {
    if (KIND !== 'postgresql') return undefined;
    const url = process.env.DATABASE_URL;
    if (!url || !/^postgres(ql)?:\/\//.test(url)) {
      throw new Error(
        'LOAD_CLASS_DB=postgresql needs DATABASE_URL=postgresql://… (the server to make a scratch database on)',
      );
    }
    const admin = new URL(url);
    admin.pathname = '/postgres';
    return admin.toString();
  })();
  console.error(
    `[load:class] build ${distDir()}, ${KIND} with ${INSTANCES} app server(s), ${WITH_PAGE ? 'page HTML served by the app' : 'no page requests (LOAD_CLASS_PAGE=0)'}, steps ${STEPS.join(', ')} learners × ${STEP_SECONDS} s, ${CONNECTIONS} connections per server`,
  );
  console.error(
    `[load:class] think times (s): page→state ${THINK.pageToState.join('-')}, state→join ${THINK.stateToJoin.join('-')}, beacon every ${THINK.beacon.join('-')}, first answer ${THINK.firstAnswer.join('-')}, then an answer every ${THINK.answer.join('-')}; ${RETRY_WRONG * 100} % of wrong answers retried`,
  );
  const database = await scratchDatabase(KIND, adminUrl ? { adminUrl, prefix: 'autodidact_loadclass' } : {});
  const servers: AppServer[] = [];
  try {
    let port = FIRST_PORT;
    for (let i = 0; i < INSTANCES; i++) {
      // A port some other server holds would answer the health check in our server's place.
      port = await freePortFrom(port);
      servers.push(
        await startAppServer({
          port: port++,
          databaseUrl: database.url,
          // One loopback address stands for a whole class here: learner rate limits off for the run.
          env: { AUTODIDACT_RATE_LIMIT: 'off', LOG_LEVEL: 'warn', DATABASE_POOL_SIZE: '10' },
        }),
      );
    }
    const joinCode = await createClass(database);
    const simulation = new Simulation(
      servers.map((server) => server.baseUrl),
      joinCode,
    );
    const results: { figures: Figures; ok: boolean }[] = [];
    let previous = 0;
    for (const learners of STEPS) {
      const figures = await runStep(simulation, servers, learners, previous);
      previous = learners;
      const ok = holdsSlo(figures);
      results.push({ figures, ok });
      printStep(figures, ok);
      if (!ok && !KEEP_GOING) break;
    }
    // Let replies still on the wire land, then check every acknowledged answer is in the database.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const stored = await storedAnswers(database);
    const missing = [...simulation.acknowledged].filter((key) => !stored.has(key));
    console.error(
      `[load:class] answers: ${simulation.answersSent} sent, ${simulation.acknowledged.size} acknowledged, ${stored.size} stored, ${missing.length} acknowledged but missing${missing.length ? ` (e.g. ${missing.slice(0, 3).join(', ')})` : ''}`,
    );
    const best = results.filter((result) => result.ok && missing.length === 0).at(-1);
    const table = results.map(({ figures, ok }) => ({
      learners: figures.learners,
      'req/s': Math.round(figures.rate),
      'answer p50/p95/p99 ms': `${fmt(figures.routes.answer.p50)}/${fmt(figures.routes.answer.p95)}/${fmt(figures.routes.answer.p99)}`,
      'state p50/p95/p99 ms': `${fmt(figures.routes.state.p50)}/${fmt(figures.routes.state.p95)}/${fmt(figures.routes.state.p99)}`,
      'beacon p95 ms': fmt(figures.routes.beacon.p95),
      'page p95 ms': fmt(figures.routes.page.p95),
      'join p95 ms': fmt(figures.routes.join.p95),
      errors: figures.errors,
      'late p95 ms': fmt(figures.latenessP95),
      'server CPU %': Math.round(figures.serverCpu * 100),
      'generator CPU %': Math.round(figures.generatorCpu * 100),
      'other CPU %': Math.round(figures.otherCpu * 100),
      SLO: ok ? 'held' : 'missed',
    }));
    console.table(table);
    for (const { figures, ok } of results) {
      console.log(
        JSON.stringify({
          bench: 'load-class',
          database: KIND,
          instances: INSTANCES,
          page: WITH_PAGE,
          slo: ok,
          ...figures,
        }),
      );
    }
    console.log(
      best
        ? `Largest class holding the SLO (${KIND}, ${INSTANCES} app server(s)${WITH_PAGE ? '' : ', no page requests'}): ${best.figures.learners} concurrent learners (answers p95 ${fmt(best.figures.routes.answer.p95)} ms, state p95 ${fmt(best.figures.routes.state.p95)} ms, 0 errors, ${simulation.acknowledged.size} acknowledged answers all stored; think times: beacon ${THINK.beacon.join('-')} s, answer ${THINK.answer.join('-')} s).`
        : `No step held the SLO (${KIND}, ${INSTANCES} app server(s))${missing.length ? `: ${missing.length} acknowledged answers missing` : ''}.`,
    );
    if (missing.length > 0) process.exitCode = 1;
  } finally {
    for (const server of servers) await server.stop();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
