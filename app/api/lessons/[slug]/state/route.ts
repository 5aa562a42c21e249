import { getLessonStateHandler } from '@/lib/server/api/handlers';
import { getDb } from '@/lib/server/db/client';
import { handle } from '@/lib/server/http';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return handle(async () => getLessonStateHandler(request, await getDb(), slug));
}
