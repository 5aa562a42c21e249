/**
 * Database rows arrive with `Date` objects (Prisma) while tests and the simulator find epoch
 * milliseconds easier to write by hand, so every analytics input accepts either.
 */
export type Instant = Date | number;

export function toEpochMs(instant: Instant): number {
  return typeof instant === 'number' ? instant : instant.getTime();
}

export const MS_PER_DAY = 24 * 60 * 60 * 1000;
