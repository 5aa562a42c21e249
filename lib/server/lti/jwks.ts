import 'server-only';

import { createRemoteJWKSet } from 'jose';

/**
 * One remote key set per platform JWKS URL (jose's createRemoteJWKSet): keys are cached, and a
 * token whose kid is not in the cache makes jose fetch the set again (at most once per cooldown),
 * so a platform that rotates its keys keeps working without a restart.
 */

type RemoteSet = ReturnType<typeof createRemoteJWKSet>;
const sets = new Map<string, RemoteSet>();

/** Cooldown between refetches; short in tests through AUTODIDACT_LTI_JWKS_COOLDOWN_MS. */
function cooldownMs(): number {
  const value = Number(process.env.AUTODIDACT_LTI_JWKS_COOLDOWN_MS);
  return Number.isFinite(value) && value >= 0 ? value : 30_000;
}

export function remoteKeySet(jwksUrl: string): RemoteSet {
  let set = sets.get(jwksUrl);
  if (!set) {
    set = createRemoteJWKSet(new URL(jwksUrl), {
      cooldownDuration: cooldownMs(),
      cacheMaxAge: 10 * 60_000,
      timeoutDuration: 5_000,
    });
    sets.set(jwksUrl, set);
  }
  return set;
}

/** Forgets cached key sets (tests that start a new platform double on a reused URL). */
export function forgetKeySets(): void {
  sets.clear();
}
