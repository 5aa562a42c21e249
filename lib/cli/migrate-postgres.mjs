// PostgreSQL migrations are not available yet: they arrive with the scale-out work
// (PostgreSQL variant of the schema and a migration runner compatible with Prisma's
// _prisma_migrations table). Until then the app refuses PostgreSQL URLs with this message.
export async function migratePostgres() {
  throw new Error(
    'PostgreSQL is not supported by this version yet. Unset DATABASE_URL to use the embedded SQLite database.',
  );
}
