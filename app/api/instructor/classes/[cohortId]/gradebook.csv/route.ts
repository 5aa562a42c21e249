import { getDb } from '@/lib/server/db/client';
import { handle } from '@/lib/server/http';
import { downloadResponse, gradebookCsv } from '@/lib/server/instructor/exports';

export const dynamic = 'force-dynamic';

/** Streams the gradebook; gradebookCsv checks the instructor and the class before the first byte. */
export function GET(request: Request, { params }: { params: Promise<{ cohortId: string }> }) {
  return handle(async () => {
    const { cohortId } = await params;
    return downloadResponse(await gradebookCsv(await getDb(), request.headers, cohortId));
  });
}
