import { handle, HttpError, json, readJson } from '@/lib/server/http';

export const dynamic = 'force-dynamic';

/**
 * The load benchmark's ceiling (tests/bench/load.bench.ts, docs/decisions/009): the same route
 * handler plumbing as the real endpoints (handle, the capped JSON body reader, json) with no
 * session, no database and no work. It exists only when the server runs with AUTODIDACT_BENCH=1;
 * otherwise it answers 404 like any unknown path, so production deployments do not expose it.
 */
function enabled(): boolean {
  return process.env.AUTODIDACT_BENCH === '1';
}

const notFound = () => new HttpError(404, 'not-found', 'Not found.');

export function GET() {
  return handle(() => {
    if (!enabled()) throw notFound();
    return Promise.resolve(json({ ok: true }));
  });
}

export function POST(request: Request) {
  return handle(async () => {
    if (!enabled()) throw notFound();
    // Read the body as the real endpoints do, so the ceiling includes the same request parsing.
    await readJson(request, 8 * 1024);
    return json({ ok: true });
  });
}
