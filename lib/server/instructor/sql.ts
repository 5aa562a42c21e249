import 'server-only';

import { Prisma } from '../db/generated/sqlite/client';

/**
 * The few places where SQLite and PostgreSQL SQL differ, for the dashboards' aggregate queries.
 * Everything else in those queries is standard SQL with quoted Prisma identifiers.
 */
export type Provider = 'sqlite' | 'postgresql';

/**
 * A time as a query parameter. Prisma stores SQLite DateTimes as ISO text with "+00:00"; a
 * parameter in the same format compares correctly as text. PostgreSQL takes a Date.
 */
export function timeParam(provider: Provider, date: Date): string | Date {
  return provider === 'sqlite' ? date.toISOString().replace('Z', '+00:00') : date;
}

/** Milliseconds from `earlier` to `later` (two timestamp column expressions). */
export function msBetween(provider: Provider, later: Prisma.Sql, earlier: Prisma.Sql): Prisma.Sql {
  return provider === 'sqlite'
    ? Prisma.sql`((julianday(${later}) - julianday(${earlier})) * 86400000.0)`
    : Prisma.sql`(EXTRACT(EPOCH FROM (${later} - ${earlier})) * 1000.0)`;
}

/** A raw-query time value (ISO text from SQLite, Date from PostgreSQL) as epoch ms. */
export function epochMs(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  }
  if (typeof value === 'number') return value;
  return null;
}

/** A raw-query number (number, bigint from COUNT, or a Decimal-like from PostgreSQL). */
export function num(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  // PostgreSQL NUMERIC results arrive as Decimal objects, whose toString() is the exact number.
  if (typeof value === 'object' && value !== null && 'toString' in value)
    return Number((value as { toString(): string }).toString());
  if (typeof value === 'string') return Number(value);
  return 0;
}

export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}
