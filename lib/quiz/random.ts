import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export type Rng = RandomGenerator;

/**
 * 32-bit FNV-1a of a string. Only turns (learner, question, variant) into a PRNG seed: it needs
 * to be stable across releases and machines, not secret (the learner id itself never leaves
 * the server, and nothing about the key depends on the seed).
 */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The generator for one (learner, question, variant index): the same inputs always give the same stream. */
export function variantRng(learnerId: string, questionId: string, variantIndex: number): Rng {
  // NUL separators: no id can contain one, so ("ab", "c") and ("a", "bc") never collide by construction.
  return xoroshiro128plus(fnv1a32(`${learnerId}\u0000${questionId}\u0000${variantIndex}`) | 0);
}

export function randomInt(rng: Rng, from: number, to: number): number {
  return uniformInt(rng, from, to);
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[uniformInt(rng, 0, items.length - 1)];
  if (item === undefined) throw new RangeError('pick() needs at least one item');
  return item;
}

/** Fisher-Yates on a copy. */
export function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}
