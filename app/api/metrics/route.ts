import { timingSafeEqual } from 'node:crypto';

import { serverEnv } from '@/lib/env';
import { ltiOutboxDepth } from '@/lib/server/lti/outbox';
import { log } from '@/lib/server/log';
import { metrics } from '@/lib/server/metrics';

export const dynamic = 'force-dynamic';

const NO_STORE = { 'Cache-Control': 'no-store' };

function tokenMatches(header: string | null, token: string): boolean {
  const sent = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const expected = Buffer.from(token);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}

/**
 * Prometheus metrics (docs/decisions/018). Off unless AUTODIDACT_METRICS_TOKEN is set; the
 * scraper then sends `Authorization: Bearer <token>`. Request counts and latencies are not
 * learner data, but they tell an outsider how busy a school is, so they are not public.
 */
export async function GET(request: Request) {
  const token = serverEnv().AUTODIDACT_METRICS_TOKEN;
  if (!token) {
    return Response.json(
      { error: { code: 'metrics-off', message: 'Metrics are off: set AUTODIDACT_METRICS_TOKEN to turn them on.' } },
      { status: 404, headers: NO_STORE },
    );
  }
  if (!tokenMatches(request.headers.get('authorization'), token)) {
    return Response.json(
      { error: { code: 'unauthorized', message: 'Send the metrics token as `Authorization: Bearer <token>`.' } },
      { status: 401, headers: { ...NO_STORE, 'WWW-Authenticate': 'Bearer' } },
    );
  }
  const { registry, outboxDepth } = metrics();
  try {
    // Read at scrape time: one COUNT over the pending rows, not a query per request.
    outboxDepth.set(await ltiOutboxDepth());
  } catch (error) {
    // A scrape still answers with everything else; the gauge keeps its last value.
    log.warn({ err: error }, 'metrics: LTI outbox depth unavailable');
  }
  return new Response(await registry.metrics(), {
    headers: { ...NO_STORE, 'Content-Type': registry.contentType },
  });
}
