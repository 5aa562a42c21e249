import { handleLogin } from '@/lib/server/lti/login';
import { ltiRoute } from '@/lib/server/lti/route';

export const dynamic = 'force-dynamic';

// OIDC third-party initiated login: platforms use GET or POST.
export function GET(request: Request) {
  return ltiRoute((db) => handleLogin(db, request));
}

export function POST(request: Request) {
  return ltiRoute((db) => handleLogin(db, request));
}
