import { NextResponse, type NextRequest } from 'next/server';

import { verifiedFrameOrigins } from '@/lib/server/lti/frame-token';
import { contentSecurityPolicy } from '@/lib/security-headers.mjs';

/**
 * Runs only for the framed lesson pages (/lti/lessons/*, see `config.matcher`). Every other
 * response gets its headers from next.config.mjs, where everything but /lti/* is unframeable.
 * A framed lesson URL carries the launching platform's origins signed by the launch
 * (lib/server/lti/frame-token.ts); frame-ancestors names exactly those, or 'none' when the
 * signature is missing or wrong (decision 017).
 */
export function proxy(request: NextRequest) {
  const slug = request.nextUrl.pathname.split('/')[3] ?? '';
  const origins = verifiedFrameOrigins(
    slug,
    request.nextUrl.searchParams.get('frame'),
    request.nextUrl.searchParams.get('sig'),
  );
  const response = NextResponse.next();
  response.headers.set(
    'Content-Security-Policy',
    contentSecurityPolicy({
      dev: process.env.NODE_ENV === 'development',
      frameAncestors: origins.length > 0 ? origins : ["'none'"],
    }),
  );
  if (origins.length === 0) response.headers.set('X-Frame-Options', 'DENY');
  return response;
}

export const config = { matcher: ['/lti/lessons/:path*'] };
