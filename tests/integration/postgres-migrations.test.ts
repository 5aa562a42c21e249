// The PostgreSQL migration path against the real local server (docs/decisions/006): the
// runner that replaces `prisma migrate deploy`, the migrations it applies, and the script that
// writes them. These need the PostgreSQL server in every mode (`.ci/run` starts it).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

import {
  migratePostgres,
  migrationChecksum,
  POSTGRES_MIGRATIONS_DIR,
  PRISMA_ADVISORY_LOCK_KEY,
} from '@/lib/cli/migrate-postgres.mjs';
import { migrationNames, SNAPSHOT_FILE } from '@/lib/cli/new-migration.mjs';
import { POSTGRES_SCHEMA, SQLITE_SCHEMA } from '@/lib/cli/postgres-schema.mjs';
import { compareSqliteMigrations, comparePostgresMigrations, migrationScripts } from '@/lib/cli/schema-compare.mjs';

import { createEmptyPostgresDatabase, TEST_POSTGRES_ADMIN_URL } from './helpers/test-database';

const root = path.resolve(import.meta.dirname, '..', '..');
const SQLITE_MIGRATIONS_DIR = path.join(root, 'prisma', 'migrations');
const quiet = { log: () => {} };

const drops: (() => Promise<void>)[] = [];
const tempDirs: string[] = [];
afterAll(async () => {
  for (const drop of drops) await drop();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

async function freshDatabase(): Promise<string> {
  const database = await createEmptyPostgresDatabase();
  drops.push(database.drop);
  return database.url;
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

interface MigrationRow {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
  logs: string | null;
}

const rowsOf = (url: string) =>
  withClient(
    url,
    async (client) =>
      (await client.query<MigrationRow>('SELECT * FROM _prisma_migrations ORDER BY migration_name')).rows,
  );

/** A scratch migrations folder: a copy of the real one, or empty, to add test migrations to. */
function scratchMigrations({ copyReal }: { copyReal: boolean }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'autodidact-pg-migrations-'));
  tempDirs.push(dir);
  if (copyReal) cpSync(POSTGRES_MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

function addMigration(dir: string, name: string, sql: string): void {
  mkdirSync(path.join(dir, name), { recursive: true });
  writeFileSync(path.join(dir, name, 'migration.sql'), sql);
}

const realMigrations = migrationNames(POSTGRES_MIGRATIONS_DIR);

describe('the committed PostgreSQL migrations', () => {
  it('mirror the SQLite migrations one to one, each with its schema snapshot', () => {
    expect(realMigrations.length).toBeGreaterThan(0);
    expect(realMigrations, 'run `npm run db:migration -- --sync-postgres`').toEqual(
      migrationNames(SQLITE_MIGRATIONS_DIR),
    );
    for (const name of realMigrations) {
      expect(() => readFileSync(path.join(POSTGRES_MIGRATIONS_DIR, name, SNAPSHOT_FILE), 'utf8')).not.toThrow();
    }
  });

  it('build exactly the database prisma/postgresql/schema.prisma describes', async () => {
    const difference = await comparePostgresMigrations(TEST_POSTGRES_ADMIN_URL, POSTGRES_SCHEMA, (url: string) =>
      migratePostgres(url, quiet).then(() => undefined),
    );
    expect(difference, 'a schema change without a migration? run `npm run db:migration -- <name>`').toBeNull();
  });

  it('the SQLite migrations build exactly the database prisma/schema.prisma describes', () => {
    const scripts = migrationScripts(SQLITE_MIGRATIONS_DIR, migrationNames(SQLITE_MIGRATIONS_DIR));
    expect(compareSqliteMigrations(SQLITE_SCHEMA, scripts)).toBeNull();
  });

  it('the comparison notices a missing migration (it can fail)', async () => {
    const dir = scratchMigrations({ copyReal: true });
    rmSync(path.join(dir, realMigrations.at(-1)!), { recursive: true });
    const difference = await comparePostgresMigrations(TEST_POSTGRES_ADMIN_URL, POSTGRES_SCHEMA, (url: string) =>
      migratePostgres(url, { ...quiet, migrationsDir: dir }).then(() => undefined),
    );
    expect(difference).toMatch(/migrations give/);
    const sqliteScripts = migrationScripts(SQLITE_MIGRATIONS_DIR, migrationNames(SQLITE_MIGRATIONS_DIR).slice(0, -1));
    expect(compareSqliteMigrations(SQLITE_SCHEMA, sqliteScripts)).toMatch(/migrations give/);
  }, 60_000);
});

describe('migratePostgres', () => {
  it('applies every migration to a fresh database and records them as Prisma does', async () => {
    const url = await freshDatabase();
    const started = Date.now();
    const result = await migratePostgres(url, quiet);
    const elapsed = Date.now() - started;
    expect(result).toEqual({ applied: realMigrations, alreadyApplied: [] });
    // Figure for docs/decisions/006; never asserted (shared machines are noisy).
    console.log(`[measure] migrate fresh PostgreSQL database: ${elapsed} ms for ${realMigrations.length} migration(s)`);

    const rows = await rowsOf(url);
    expect(rows.map((row) => row.migration_name)).toEqual(realMigrations);
    for (const row of rows) {
      const script = readFileSync(path.join(POSTGRES_MIGRATIONS_DIR, row.migration_name, 'migration.sql'), 'utf8');
      expect(row.checksum).toBe(migrationChecksum(script));
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    // The table has the exact column types of prisma-engines' PostgreSQL DDL.
    const columns = await withClient(
      url,
      async (client) =>
        (
          await client.query<{
            column_name: string;
            data_type: string;
            character_maximum_length: number | null;
            is_nullable: string;
          }>(
            `SELECT column_name, data_type, character_maximum_length, is_nullable FROM information_schema.columns
             WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
          )
        ).rows,
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'character varying', character_maximum_length: 36, is_nullable: 'NO' },
      { column_name: 'checksum', data_type: 'character varying', character_maximum_length: 64, is_nullable: 'NO' },
      {
        column_name: 'finished_at',
        data_type: 'timestamp with time zone',
        character_maximum_length: null,
        is_nullable: 'YES',
      },
      {
        column_name: 'migration_name',
        data_type: 'character varying',
        character_maximum_length: 255,
        is_nullable: 'NO',
      },
      { column_name: 'logs', data_type: 'text', character_maximum_length: null, is_nullable: 'YES' },
      {
        column_name: 'rolled_back_at',
        data_type: 'timestamp with time zone',
        character_maximum_length: null,
        is_nullable: 'YES',
      },
      {
        column_name: 'started_at',
        data_type: 'timestamp with time zone',
        character_maximum_length: null,
        is_nullable: 'NO',
      },
      { column_name: 'applied_steps_count', data_type: 'integer', character_maximum_length: null, is_nullable: 'NO' },
    ]);
  });

  it("writes a history Prisma's own `migrate status` reads as its own", async () => {
    const url = await freshDatabase();
    await migratePostgres(url, quiet);
    // `migrate status` works with the wasm engine and a pg adapter (unlike deploy): it reads
    // _prisma_migrations and the migrations folder. The config must sit where it can import
    // @prisma/adapter-pg, so it goes in node_modules/.cache, outside the source tree.
    const cache = path.join(root, 'node_modules', '.cache', 'autodidact');
    mkdirSync(cache, { recursive: true });
    const config = path.join(cache, `status-${process.pid}-${Date.now()}.config.ts`);
    writeFileSync(
      config,
      [
        "import { PrismaPg } from '@prisma/adapter-pg';",
        "import { defineConfig } from 'prisma/config';",
        'export default defineConfig({',
        "  experimental: { adapter: true }, engine: 'js',",
        `  schema: ${JSON.stringify(POSTGRES_SCHEMA)},`,
        `  migrations: { path: ${JSON.stringify(POSTGRES_MIGRATIONS_DIR)} },`,
        `  adapter: () => Promise.resolve(new PrismaPg({ connectionString: ${JSON.stringify(url)} })),`,
        '});',
      ].join('\n'),
    );
    const status = () =>
      spawnSync(
        process.execPath,
        [path.join(root, 'node_modules/prisma/build/index.js'), 'migrate', 'status', '--config', config],
        {
          cwd: root,
          encoding: 'utf8',
          env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
        },
      );
    try {
      const upToDate = status();
      expect(upToDate.stdout + upToDate.stderr).toContain('Database schema is up to date!');
      expect(upToDate.status).toBe(0);
      // And it is really reading our rows: remove one and Prisma reports that migration as pending.
      const last = realMigrations.at(-1)!;
      await withClient(url, (client) =>
        client.query('DELETE FROM _prisma_migrations WHERE migration_name = $1', [last]),
      );
      const behind = status();
      expect(behind.status).toBe(1);
      expect(behind.stdout + behind.stderr).toMatch(new RegExp(`not yet been applied:\\s+${last}`));
    } finally {
      rmSync(config, { force: true });
    }
  }, 90_000);

  it('is a no-op when run again', async () => {
    const url = await freshDatabase();
    await migratePostgres(url, quiet);
    const before = await rowsOf(url);
    const again = await migratePostgres(url, quiet);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied.sort()).toEqual(realMigrations);
    expect(await rowsOf(url)).toEqual(before);
  });

  it('applies each migration once when several instances start at the same moment', async () => {
    const url = await freshDatabase();
    const dir = scratchMigrations({ copyReal: true });
    // A slow last migration widens the window in which an unlocked runner would apply twice.
    addMigration(
      dir,
      '99990101000000_slow',
      'SELECT pg_sleep(0.5);\nCREATE TABLE "SlowMarker" ("id" INTEGER NOT NULL);\n',
    );
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => migratePostgres(url, { ...quiet, migrationsDir: dir })),
    );
    const everyApplied = runs.flatMap((run) => run.applied);
    expect(everyApplied.sort()).toEqual([...realMigrations, '99990101000000_slow']);
    expect(runs.filter((run) => run.applied.length > 0)).toHaveLength(1);
    const rows = await rowsOf(url);
    expect(rows.map((row) => row.migration_name)).toEqual([...realMigrations, '99990101000000_slow']);
  });

  it('refuses a migration edited after it was applied, and applies nothing after it', async () => {
    const url = await freshDatabase();
    const dir = scratchMigrations({ copyReal: true });
    await migratePostgres(url, { ...quiet, migrationsDir: dir });
    const first = realMigrations[0]!;
    const file = path.join(dir, first, 'migration.sql');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n-- an edit after the fact\n`);
    addMigration(dir, '99990101000000_later', 'CREATE TABLE "Later" ("id" INTEGER NOT NULL);\n');
    await expect(migratePostgres(url, { ...quiet, migrationsDir: dir })).rejects.toThrow(
      new RegExp(`${first}/migration.sql was edited after it was applied`),
    );
    expect((await rowsOf(url)).map((row) => row.migration_name)).toEqual(realMigrations);
  });

  it('accepts the same migration with CRLF line endings (a Windows checkout), as Prisma does', async () => {
    const url = await freshDatabase();
    const dir = scratchMigrations({ copyReal: true });
    await migratePostgres(url, { ...quiet, migrationsDir: dir });
    for (const name of realMigrations) {
      const file = path.join(dir, name, 'migration.sql');
      writeFileSync(file, readFileSync(file, 'utf8').replaceAll('\n', '\r\n'));
    }
    await expect(migratePostgres(url, { ...quiet, migrationsDir: dir })).resolves.toMatchObject({ applied: [] });
  });

  it('rolls a failing migration back whole, reports it, and applies it once fixed', async () => {
    const url = await freshDatabase();
    const dir = scratchMigrations({ copyReal: false });
    addMigration(dir, '20000101000000_good', 'CREATE TABLE "Good" ("id" INTEGER NOT NULL);\n');
    // The first statement succeeds, the second fails: the table must not survive.
    addMigration(
      dir,
      '20000102000000_bad',
      'CREATE TABLE "Half" ("id" INTEGER NOT NULL);\nALTER TABLE "Missing" ADD COLUMN "x" INTEGER;\n',
    );
    addMigration(dir, '20000103000000_after', 'CREATE TABLE "After" ("id" INTEGER NOT NULL);\n');
    await expect(migratePostgres(url, { ...quiet, migrationsDir: dir })).rejects.toThrow(
      /Migration 20000102000000_bad failed and was rolled back: relation "Missing" does not exist; SQLSTATE 42P01/,
    );
    const tables = () =>
      withClient(url, async (client) =>
        (
          await client.query<{ table_name: string }>(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
          )
        ).rows.map((row) => row.table_name),
      );
    expect(await tables()).toEqual(['Good', '_prisma_migrations']);
    expect((await rowsOf(url)).map((row) => row.migration_name)).toEqual(['20000101000000_good']);

    addMigration(dir, '20000102000000_bad', 'CREATE TABLE "Half" ("id" INTEGER NOT NULL);\n');
    const fixed = await migratePostgres(url, { ...quiet, migrationsDir: dir });
    expect(fixed.applied).toEqual(['20000102000000_bad', '20000103000000_after']);
    expect(await tables()).toEqual(['After', 'Good', 'Half', '_prisma_migrations']);
  });

  it('refuses to run over a failed migration that a native `prisma migrate deploy` recorded', async () => {
    const url = await freshDatabase();
    await migratePostgres(url, quiet);
    await withClient(url, (client) =>
      client.query(
        "INSERT INTO _prisma_migrations (id, checksum, migration_name, logs) VALUES ('00000000-0000-4000-8000-000000000000', $1, '99990101000000_broken', 'boom')",
        ['0'.repeat(64)],
      ),
    );
    await expect(migratePostgres(url, quiet)).rejects.toThrow(/99990101000000_broken failed earlier/);
  });

  it('waits for the advisory lock Prisma Migrate uses, and gives up with a clear message', async () => {
    const url = await freshDatabase();
    await withClient(url, async (holder) => {
      await holder.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
      await expect(migratePostgres(url, { ...quiet, lockTimeoutMs: 300 })).rejects.toThrow(
        /Another process has been migrating this database for over 300 ms/,
      );
    });
    // Once the holder is gone, it proceeds.
    await expect(migratePostgres(url, quiet)).resolves.toMatchObject({ applied: realMigrations });
  });

  it('names the unreachable server instead of hanging', async () => {
    await expect(migratePostgres('postgresql://root@127.0.0.1:1/none', quiet)).rejects.toThrow(
      /Cannot connect to PostgreSQL for migrations/,
    );
  });
});

describe('npm run db:migration', () => {
  it('writes a SQLite and a PostgreSQL migration under one name, each matching its schema', async () => {
    // A private copy of the tooling and prisma/ folder: the real schema is someone else's.
    const copy = mkdtempSync(path.join(os.tmpdir(), 'autodidact-repo-'));
    tempDirs.push(copy);
    cpSync(path.join(root, 'lib', 'cli'), path.join(copy, 'lib', 'cli'), { recursive: true });
    cpSync(path.join(root, 'prisma'), path.join(copy, 'prisma'), { recursive: true });
    for (const file of ['prisma.config.ts', 'package.json']) cpSync(path.join(root, file), path.join(copy, file));
    symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(copy, 'lib/cli/new-migration.mjs'), ...args], {
        cwd: copy,
        encoding: 'utf8',
      });

    const unchanged = run('nothing_to_do');
    expect(unchanged.stdout).toContain('already match');
    expect(unchanged.status).toBe(0);

    const schemaFile = path.join(copy, 'prisma', 'schema.prisma');
    writeFileSync(
      schemaFile,
      `${readFileSync(schemaFile, 'utf8')}\nenum TestColour {\n  RED\n  BLUE\n}\n\nmodel TestWidget {\n  id     Int        @id @default(autoincrement())\n  colour TestColour @default(RED)\n  label  String     @unique\n  at     DateTime   @default(now())\n}\n`,
    );
    const made = run('add_test_widget');
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    const sqliteNames = migrationNames(path.join(copy, 'prisma', 'migrations'));
    const postgresNames = migrationNames(path.join(copy, 'prisma', 'postgresql', 'migrations'));
    expect(postgresNames).toEqual(sqliteNames);
    expect(sqliteNames.at(-1)).toMatch(/^\d{14}_add_test_widget$/);
    const postgresSql = readFileSync(
      path.join(copy, 'prisma/postgresql/migrations', sqliteNames.at(-1)!, 'migration.sql'),
      'utf8',
    );
    expect(postgresSql).toContain('CREATE TYPE "TestColour" AS ENUM');

    const sqliteScripts = migrationScripts(path.join(copy, 'prisma', 'migrations'), sqliteNames);
    expect(compareSqliteMigrations(schemaFile, sqliteScripts)).toBeNull();
    const difference = await comparePostgresMigrations(
      TEST_POSTGRES_ADMIN_URL,
      path.join(copy, 'prisma', 'postgresql', 'schema.prisma'),
      (url: string) =>
        migratePostgres(url, { ...quiet, migrationsDir: path.join(copy, 'prisma', 'postgresql', 'migrations') }).then(
          () => undefined,
        ),
    );
    expect(difference).toBeNull();
    expect(run('again').stdout).toContain('already match');
  }, 120_000);
});
