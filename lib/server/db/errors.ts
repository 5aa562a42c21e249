import 'server-only';

/**
 * Prisma's code for a unique-constraint violation. Checked by shape rather than `instanceof`, so
 * the same check works for the SQLite and the PostgreSQL generated clients.
 */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
