import { getLessonStateHandler } from '@/lib/server/api/handlers';
import { getDb } from '@/lib/server/db/client';
import { handle } from '@/lib/server/http';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const started = performance.now();
  const { slug } = await params;
  const response = await handle(async () => getLessonStateHandler(request, await getDb(), slug));
  // The route's own time, for the browser's resource timing (tests/bench/quiz-landing.bench.ts):
  // a learner landing on a question waits for this response (issue 16, item 1).
  response.headers.set('Server-Timing', `app;dur=${(performance.now() - started).toFixed(1)}`);
  return response;
}
