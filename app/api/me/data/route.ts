import { getMyDataHandler } from '@/lib/server/api/my-data';
import { getDb } from '@/lib/server/db/client';
import { handle } from '@/lib/server/http';

export const dynamic = 'force-dynamic';

export function GET(request: Request) {
  return handle(async () => getMyDataHandler(request, await getDb()));
}
