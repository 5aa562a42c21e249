import { refusalPage } from '@/lib/server/lti/html';
import { handleLaunch } from '@/lib/server/lti/launch';
import { ltiRoute } from '@/lib/server/lti/route';

export const dynamic = 'force-dynamic';

// The platform's cross-site form post (id_token, state). Deliberately exempt from the same-origin
// check of the JSON API: the state, its cookie and the signed token are the protection (decision 017).
export function POST(request: Request) {
  return ltiRoute((db) => handleLaunch(db, request));
}

export function GET() {
  return refusalPage(
    405,
    'Open this from your LMS',
    'This address receives launches from an LMS; open the activity from your course instead.',
    {
      headers: { Allow: 'POST' },
    },
  );
}
