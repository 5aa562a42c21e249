import 'server-only';

import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's minimum recommended cost (19 MiB, 2 passes, 1 lane): about 30 ms per
 * hash here, cheap for one sign-in and expensive for a guesser. The parameters are stored in
 * the hash string, so raising them later keeps old hashes verifiable.
 */
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword({ hash: stored, password }: { hash: string; password: string }): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    // A malformed stored hash is a failed sign-in, not a server error.
    return false;
  }
}

// --- strength (issue 19: "aaaaaaaaaaaa" was accepted) ---

/** zxcvbn's score: 0 (guessable in under 10^3 tries) to 4 (over 10^10). 3 is OWASP's usual floor. */
export const MIN_PASSWORD_SCORE = 3;

type Checker = { check: (password: string, userInputs?: (string | number)[]) => { score: number } };
let checker: Promise<Checker> | undefined;

/**
 * zxcvbn-ts with its common-password and keyboard-pattern lists (@zxcvbn-ts/language-common,
 * about 2 MB of dictionaries): loaded on first use, in server code only (this module is
 * server-only), so no page bundle carries it.
 */
function passwordChecker(): Promise<Checker> {
  checker ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]).then(
    ([core, common]) =>
      new core.ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs }),
  );
  return checker;
}

/**
 * Why this password is too easy to guess, in words for the person choosing it, or null when it
 * is fine. `related` are words an attacker would try first (the person's name and email).
 */
export async function weakPasswordReason(password: string, related: readonly string[] = []): Promise<string | null> {
  const inputs = related
    .flatMap((text) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u))
    .filter((part) => part.length >= 3);
  const { score } = (await passwordChecker()).check(password, inputs);
  if (score >= MIN_PASSWORD_SCORE) return null;
  return 'is too easy to guess (a common password, a repeated or keyboard pattern, or your name or email): try a few unrelated words';
}
