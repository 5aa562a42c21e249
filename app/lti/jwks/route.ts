import { publicJwks } from '@/lib/server/lti/keys';
import { ltiRoute } from '@/lib/server/lti/route';

export const dynamic = 'force-dynamic';

export function GET() {
  return ltiRoute(async (db) =>
    Response.json(await publicJwks(db), { headers: { 'Cache-Control': 'public, max-age=300' } }),
  );
}
