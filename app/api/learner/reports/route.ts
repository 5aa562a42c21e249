import { getDb } from '@/lib/server/db/client';
import { handle } from '@/lib/server/http';
import { postProblemReportHandler } from '@/lib/server/problem-reports';

export const dynamic = 'force-dynamic';

export function POST(request: Request) {
  return handle(async () => postProblemReportHandler(request, await getDb()));
}
