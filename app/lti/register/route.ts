import { handleRegistration } from '@/lib/server/lti/registration';
import { ltiRoute } from '@/lib/server/lti/route';

export const dynamic = 'force-dynamic';

export function GET(request: Request) {
  return ltiRoute((db) => handleRegistration(db, request));
}
