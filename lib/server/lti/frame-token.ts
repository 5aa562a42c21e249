// No 'server-only' import on purpose: proxy.ts (compiled outside the React Server Components
// graph) imports this module to check a framed lesson URL. It uses only node:crypto, node:fs and
// environment variables, and nothing imports it from client code.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Framed lesson pages (/lti/lessons/<slug>?frame=<origins>&sig=<mac>) may be framed by exactly the
 * registered origins of the platform the launch came from (space-separated). The launch signs them
 * with a key derived from the session secret; the proxy checks the signature and sets
 * frame-ancestors to them, or to 'none'.
 */

let cachedKey: Buffer | null = null;

/** The session secret as lib/server/secret.ts resolves it (SESSION_SECRET, else the file beside SQLite). */
function frameKey(): Buffer | null {
  if (cachedKey) return cachedKey;
  let secret = process.env.SESSION_SECRET;
  if (!secret) {
    const url = process.env.DATABASE_URL ?? 'file:./data/autodidact.db';
    if (!url.startsWith('file:')) return null;
    try {
      secret = readFileSync(
        path.join(path.dirname(path.resolve(url.replace(/^file:/, ''))), 'session-secret'),
        'utf8',
      ).trim();
    } catch {
      return null;
    }
  }
  cachedKey = createHmac('sha256', secret).update('autodidact lti frame v1').digest();
  return cachedKey;
}

function mac(key: Buffer, origin: string, slug: string): string {
  return createHmac('sha256', key).update(`${origin}\n${slug}`).digest('base64url');
}

const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d+)?$/;

/** The signature for framing `slug` in `origins` (space-separated); null when no secret is available yet. */
export function signFrame(origins: string, slug: string): string | null {
  const key = frameKey();
  return key ? mac(key, origins, slug) : null;
}

/** The origins allowed to frame this lesson URL, or [] (then the page stays unframeable). */
export function verifiedFrameOrigins(slug: string, origins: string | null, signature: string | null): string[] {
  if (!origins || !signature || origins.length > 1000 || signature.length > 100) return [];
  const list = origins.split(' ');
  if (!list.every((origin) => ORIGIN.test(origin))) return [];
  const key = frameKey();
  if (!key) return [];
  const expected = Buffer.from(mac(key, origins, slug));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? list : [];
}
