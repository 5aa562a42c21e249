import 'server-only';

import http from 'node:http';

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

import { log, requestIdFrom, withRequestId } from './log';

/**
 * Prometheus metrics (prom-client) and the per-request hook that feeds them and the logs
 * (docs/decisions/018). Served by /api/metrics only when AUTODIDACT_METRICS_TOKEN is set.
 *
 * The hook sits on Node's HTTP server, not in each route: one place times every request, page
 * or API, from the first byte Next sees to the last byte it writes, gives each a request id
 * (X-Request-Id) and runs its handling inside that id's log context. Route labels come from a
 * fixed table, so a crawler cannot grow the series without bound.
 */

export interface Metrics {
  registry: Registry;
  requests: Counter<'route' | 'method' | 'status'>;
  duration: Histogram<'route' | 'method'>;
  databaseErrors: Counter<'code'>;
  /** LTI grade deliveries waiting; set by /api/metrics at each scrape (lib/server/lti/outbox). */
  outboxDepth: Gauge;
}

/** Path patterns -> route label. Anything else is `page` (HTML) or `other`. */
const ROUTES: [RegExp, string][] = [
  [/^\/api\/quiz\/answers$/, '/api/quiz/answers'],
  [/^\/api\/lessons\/[^/]+\/state$/, '/api/lessons/:slug/state'],
  [/^\/api\/progress$/, '/api/progress'],
  [/^\/api\/session$/, '/api/session'],
  [/^\/api\/learner$/, '/api/learner'],
  [/^\/api\/health$/, '/api/health'],
  [/^\/api\/metrics$/, '/api/metrics'],
  [/^\/api\/noop$/, '/api/noop'],
  [/^\/api\/instructor\//, '/api/instructor/*'],
  [/^\/api\/lti\//, '/api/lti/*'],
  [/^\/api\//, '/api/other'],
  [/^\/lessons\/[^/]+$/, '/lessons/:slug'],
  [/^\/instructor(\/|$)/, '/instructor/*'],
  [/^\/_next\/static\//, 'static'],
  [/^\/$/, '/'],
];

export function routeLabel(url: string | undefined): string {
  const pathname = (url ?? '/').split('?', 1)[0] ?? '/';
  for (const [pattern, label] of ROUTES) if (pattern.test(pathname)) return label;
  return 'other';
}

const shared = globalThis as typeof globalThis & { __autodidactMetrics?: Metrics };

/** The process's metrics, created once (Next may evaluate this module in several bundles). */
export function metrics(): Metrics {
  if (shared.__autodidactMetrics) return shared.__autodidactMetrics;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'autodidact_' });
  shared.__autodidactMetrics = {
    registry,
    requests: new Counter({
      name: 'autodidact_http_requests_total',
      help: 'HTTP requests served, by route label, method and status code.',
      labelNames: ['route', 'method', 'status'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'autodidact_http_request_duration_seconds',
      help: 'Time from request to the last byte of the response, by route label and method.',
      labelNames: ['route', 'method'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    databaseErrors: new Counter({
      name: 'autodidact_database_errors_total',
      help: 'Requests answered 503 because the database was busy, full or unreachable, by cause.',
      labelNames: ['code'],
      registers: [registry],
    }),
    outboxDepth: new Gauge({
      name: 'autodidact_lti_outbox_depth',
      help: 'LTI grade deliveries waiting to be sent.',
      registers: [registry],
    }),
  };
  return shared.__autodidactMetrics;
}

/** Counts a database failure that became a 503 (called from lib/server/http.ts). */
export function countDatabaseError(code: string): void {
  metrics().databaseErrors.inc({ code });
}

const INSTALLED = Symbol.for('autodidact.requestObserver');

/**
 * Wraps every HTTP server's 'request' event in this process: id, log context, timing, counts.
 * Installed once from instrumentation.ts; a no-op the second time.
 */
export function installRequestObserver(): void {
  const proto = http.Server.prototype as http.Server & { [INSTALLED]?: true };
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;
  const { requests, duration } = metrics();
  type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  const emit = Reflect.get(proto, 'emit') as Emit;
  const observedEmit: Emit = function (event, ...args) {
    if (event !== 'request') return emit.apply(this, [event, ...args]);
    const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
    const incoming = req.headers['x-request-id'];
    const reqId = requestIdFrom(Array.isArray(incoming) ? incoming[0] : incoming);
    // Handlers and proxies downstream see the same id the response carries.
    req.headers['x-request-id'] = reqId;
    res.setHeader('X-Request-Id', reqId);
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeLabel(req.url);
      const method = req.method ?? 'GET';
      const status = res.writableFinished ? res.statusCode : 499; // 499: client went away first
      requests.inc({ route, method, status: String(status) });
      duration.observe({ route, method }, seconds);
      if (status >= 500) {
        withRequestId(reqId, () =>
          log.error({ route, method, status, ms: Math.round(seconds * 1000) }, 'request failed'),
        );
      } else if (log.isLevelEnabled('debug')) {
        withRequestId(reqId, () => log.debug({ route, method, status, ms: Math.round(seconds * 1000) }, 'request'));
      }
    });
    return withRequestId(reqId, () => emit.apply(this, [event, ...args]));
  };
  Reflect.set(proto, 'emit', observedEmit);
}
