import { postProgressHandler } from '@/lib/server/api/handlers';
import { getDb } from '@/lib/server/db/client';
import { handle } from '@/lib/server/http';
import { getResumePointHandler } from '@/lib/server/progress-service';

export const dynamic = 'force-dynamic';

export function POST(request: Request) {
  return handle(async () => postProgressHandler(request, await getDb()));
}

export function GET(request: Request) {
  return handle(async () => getResumePointHandler(request, await getDb()));
}
