import { getDb } from '@/lib/server/db/client';
import { handle } from '@/lib/server/http';
import { postResumeHandler } from '@/lib/server/resume-codes';

export const dynamic = 'force-dynamic';

export function POST(request: Request) {
  return handle(async () => postResumeHandler(request, await getDb()));
}
