// Applies prisma/postgresql/migrations to a PostgreSQL database. Prisma 6.19's wasm schema
// engine cannot introspect PostgreSQL ("Column type 'name' could not be deserialized"), so
// `prisma migrate deploy` fails there; this small runner replaces it and stays compatible
// with it (see docs/decisions/006-postgresql-and-security-headers.md):
// - it records applied migrations in Prisma's own `_prisma_migrations` table, created with
//   the DDL of prisma-engines' PostgreSQL flavour, so a machine with the native engine can
//   later run `prisma migrate deploy` or `prisma migrate status` on the same database;
// - it takes the same session advisory lock as Prisma Migrate (72707369), so two app
//   instances starting at once, or this runner and a native `migrate deploy`, never migrate
//   concurrently;
// - checksums are Prisma's: sha256 hex of the migration.sql text, line-ending agnostic.
// Unlike Prisma, each migration runs in one transaction together with its bookkeeping row,
// so a failing migration leaves neither half-applied tables nor a "failed" row behind.
// Usage: DATABASE_URL=postgresql://... node lib/cli/migrate.mjs
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import pg from 'pg';

import { root } from './shared.mjs';

export const POSTGRES_MIGRATIONS_DIR = path.join(root, 'prisma', 'postgresql', 'migrations');

/** Prisma Migrate's advisory lock key (prisma-engines, sql-schema-connector flavour/postgres.rs). */
export const PRISMA_ADVISORY_LOCK_KEY = 72707369;

// Verbatim column set and types of prisma-engines' `create_migrations_table` for PostgreSQL.
// IF NOT EXISTS because we create it under the advisory lock only when it is missing.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

const MIGRATION_NAME = /^\d{14}_[a-z0-9_]+$/;

/** Prisma's migration checksum: lowercase sha256 hex of the script text. */
export function migrationChecksum(script) {
  return createHash('sha256').update(script, 'utf8').digest('hex');
}

/**
 * Whether a script matches a recorded checksum. Like prisma-engines' `script_matches_checksum`,
 * LF and CRLF variants of the file count as the same, because git may rewrite line endings on
 * checkout (a Windows clone must not look "edited").
 */
export function scriptMatchesChecksum(script, checksum) {
  return [script, script.replaceAll('\r\n', '\n'), script.replaceAll('\r\n', '\n').replaceAll('\n', '\r\n')].some(
    (variant) => migrationChecksum(variant) === checksum,
  );
}

/** The migrations in a folder, sorted by name (Prisma's order), with their SQL and checksum. */
export function readMigrations(dir = POSTGRES_MIGRATIONS_DIR) {
  if (!existsSync(dir)) throw new Error(`No PostgreSQL migrations folder at ${path.relative(root, dir) || dir}.`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      if (!MIGRATION_NAME.test(name)) {
        throw new Error(
          `Unexpected folder ${path.join(dir, name)}: migration folders are named <14-digit timestamp>_<name>.`,
        );
      }
      const file = path.join(dir, name, 'migration.sql');
      if (!existsSync(file)) throw new Error(`${file} is missing.`);
      const script = readFileSync(file, 'utf8');
      return { name, script, checksum: migrationChecksum(script) };
    });
}

function describe(error) {
  if (!(error instanceof Error)) return String(error);
  // pg errors carry the SQLSTATE and, for syntax errors, a character offset into the script.
  const { code, position, detail } = /** @type {{ code?: string, position?: string, detail?: string }} */ (error);
  return [error.message, code && `SQLSTATE ${code}`, position && `at character ${position}`, detail]
    .filter(Boolean)
    .join('; ');
}

/**
 * Applies every pending migration in `migrationsDir` to the database at `url`, in name order,
 * each in its own transaction. Idempotent. Throws (and applies nothing further) when a
 * recorded migration was edited after it was applied, when Prisma recorded a failed
 * migration, or when a migration fails (that one is rolled back).
 *
 * @param {string} url postgresql:// connection string
 * @param {{ migrationsDir?: string, lockTimeoutMs?: number, log?: (line: string) => void }} [options]
 * @returns {Promise<{ applied: string[], alreadyApplied: string[] }>}
 */
export async function migratePostgres(url, options = {}) {
  const { migrationsDir = POSTGRES_MIGRATIONS_DIR, lockTimeoutMs = 60_000, log = console.log } = options;
  const migrations = readMigrations(migrationsDir);
  const client = new pg.Client({ connectionString: url, application_name: 'autodidact-migrate' });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`Cannot connect to PostgreSQL for migrations: ${describe(error)}`, { cause: error });
  }
  // Answers and errors arriving after a failure must not crash the process as unhandled.
  client.on('error', () => {});
  try {
    // A long migration in another instance may hold the lock; wait for it, but not forever.
    await client.query(`SET lock_timeout = ${Number(lockTimeoutMs)}`);
    try {
      await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
    } catch (error) {
      throw new Error(
        `Another process has been migrating this database for over ${lockTimeoutMs} ms (advisory lock ${PRISMA_ADVISORY_LOCK_KEY}); ${describe(error)}`,
        { cause: error },
      );
    }
    await client.query('RESET lock_timeout');
    // Everything below runs while holding the lock, so reading the table and applying the
    // pending migrations cannot interleave with another runner.
    await client.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await client.query(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at',
    );

    const failed = rows.filter((row) => row.finished_at === null && row.rolled_back_at === null);
    if (failed.length > 0) {
      // Only a native `prisma migrate deploy` leaves such rows (ours roll back whole).
      throw new Error(
        `Migration ${failed.map((row) => row.migration_name).join(', ')} failed earlier and is marked unfinished in _prisma_migrations. ` +
          'Fix the database by hand, then mark it with `prisma migrate resolve --applied|--rolled-back <name>` (or delete that row).',
      );
    }
    const applied = new Map(
      rows
        .filter((row) => row.finished_at !== null && row.rolled_back_at === null)
        .map((row) => [row.migration_name, row]),
    );
    for (const migration of migrations) {
      const row = applied.get(migration.name);
      if (row && !scriptMatchesChecksum(migration.script, row.checksum)) {
        throw new Error(
          `prisma/postgresql/migrations/${migration.name}/migration.sql was edited after it was applied to this database ` +
            `(recorded checksum ${row.checksum}, file ${migration.checksum}). Restore the file and add a new migration instead.`,
        );
      }
    }
    const known = new Set(migrations.map((migration) => migration.name));
    const unknown = [...applied.keys()].filter((name) => !known.has(name));
    if (unknown.length > 0) {
      // The database is ahead of this code (a newer release migrated it). Prisma's deploy
      // carries on in this case too; say so, because the code may not match the schema.
      log(`⚠ The database has migrations this code does not know: ${unknown.join(', ')}`);
    }

    const pending = migrations.filter((migration) => !applied.has(migration.name));
    for (const migration of pending) {
      const id = randomUUID();
      await client.query('BEGIN');
      try {
        await client.query(
          'INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, clock_timestamp(), 0)',
          [id, migration.checksum, migration.name],
        );
        // No parameters: pg then uses the simple query protocol, which accepts a script of
        // several statements, as Prisma's own apply step does.
        await client.query(migration.script);
        await client.query(
          'UPDATE _prisma_migrations SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1',
          [id],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw new Error(`Migration ${migration.name} failed and was rolled back: ${describe(error)}`, { cause: error });
      }
      log(`Applied PostgreSQL migration ${migration.name}`);
    }
    if (pending.length === 0) log('PostgreSQL database is up to date: no pending migrations.');
    return { applied: pending.map((migration) => migration.name), alreadyApplied: [...applied.keys()] };
  } finally {
    // Ending the session releases the advisory lock too; unlock explicitly anyway so a pooled
    // or long-lived connection could never keep it.
    await client.query('SELECT pg_advisory_unlock_all()').catch(() => {});
    await client.end().catch(() => {});
  }
}
