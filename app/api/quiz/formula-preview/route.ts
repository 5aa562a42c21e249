import { getFormulaPreviewHandler } from '@/lib/server/api/practice-handlers';
import { getDb } from '@/lib/server/db/client';
import { handle } from '@/lib/server/http';

export const dynamic = 'force-dynamic';

export function GET(request: Request) {
  return handle(async () => getFormulaPreviewHandler(request, await getDb()));
}
