import { getDb } from '@/lib/server/db/client';

export const dynamic = 'force-dynamic';

/** Liveness and database reachability, for load balancers and the test harness. */
export async function GET() {
  try {
    const db = await getDb();
    await db.$queryRawUnsafe('SELECT 1');
    return Response.json({ status: 'ok' });
  } catch {
    return Response.json({ status: 'unavailable', reason: 'database unreachable' }, { status: 503 });
  }
}
