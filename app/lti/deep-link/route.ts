import { handleDeepLinkChoice } from '@/lib/server/lti/deep-linking';
import { ltiRoute } from '@/lib/server/lti/route';

export const dynamic = 'force-dynamic';

export function POST(request: Request) {
  return ltiRoute((db) => handleDeepLinkChoice(db, request));
}
