import { checkHealth } from '@/lib/server/health';

export const dynamic = 'force-dynamic';

/** Liveness and database health, for load balancers, monitoring and the test harness. */
export async function GET() {
  const report = await checkHealth();
  return Response.json(report, {
    status: report.status === 'ok' ? 200 : 503,
    headers: { 'Cache-Control': 'no-store' },
  });
}
