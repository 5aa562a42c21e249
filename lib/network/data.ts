/**
 * The toy data sets the network widget trains on: 64 labelled points in the square [-1, 1]²,
 * each set drawn from its own fixed seed, so every learner, test and shared link sees the same
 * points. Coordinates are rounded to two decimals: they appear in the graph view, and a person
 * reads 0.42 more easily than 0.4213.
 */

export const DATASET_KINDS = ['line', 'xor', 'circles'] as const;
export type DatasetKind = (typeof DATASET_KINDS)[number];

export const POINT_COUNT = 64;

export interface Dataset {
  kind: DatasetKind;
  /** x1, x2 of point n at 2n, 2n + 1. */
  xs: Float64Array;
  /** 0 or 1. */
  ys: Float64Array;
}

/** mulberry32: tiny, seeded and the same on every JavaScript engine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS: Record<DatasetKind, number> = { line: 11, xor: 23, circles: 37 };

const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * Each set keeps a small margin around its boundary, so the classes are cleanly separable by a
 * small network and a learner's eye (and a test) can tell when it has learned them.
 */
function label(kind: DatasetKind, x1: number, x2: number): 0 | 1 | null {
  switch (kind) {
    case 'line': {
      const side = x2 - (0.6 * x1 + 0.1);
      return Math.abs(side) < 0.12 ? null : side > 0 ? 1 : 0;
    }
    case 'xor':
      return Math.abs(x1) < 0.12 || Math.abs(x2) < 0.12 ? null : x1 * x2 > 0 ? 1 : 0;
    case 'circles': {
      const r = Math.hypot(x1, x2);
      return r < 0.45 ? 1 : r > 0.65 && r < 1 ? 0 : null;
    }
  }
}

const cache = new Map<DatasetKind, Dataset>();

export function dataset(kind: DatasetKind): Dataset {
  const known = cache.get(kind);
  if (known) return known;
  const random = seededRandom(SEEDS[kind]);
  const xs = new Float64Array(2 * POINT_COUNT);
  const ys = new Float64Array(POINT_COUNT);
  let n = 0;
  // Alternate the classes so both are equally common (circles would otherwise be mostly ring).
  while (n < POINT_COUNT) {
    const x1 = round2(2 * random() - 1);
    const x2 = round2(2 * random() - 1);
    const y = label(kind, x1, x2);
    if (y === null || y !== n % 2) continue;
    xs[2 * n] = x1;
    xs[2 * n + 1] = x2;
    ys[n] = y;
    n++;
  }
  const made = { kind, xs, ys };
  cache.set(kind, made);
  return made;
}
