import { getDb } from '@/lib/server/db/client';
import { handle } from '@/lib/server/http';
import { downloadResponse, xapiExport } from '@/lib/server/instructor/exports';

export const dynamic = 'force-dynamic';

/** Streams the download; xapiExport checks the instructor and the class before the first byte. */
export function GET(request: Request, { params }: { params: Promise<{ cohortId: string }> }) {
  return handle(async () => {
    const { cohortId } = await params;
    return downloadResponse(await xapiExport(await getDb(), request.headers, cohortId, new URL(request.url).origin));
  });
}
