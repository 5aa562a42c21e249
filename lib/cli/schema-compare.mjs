// Checks that a migrations folder really produces its schema file. Prisma's own check
// (`migrate diff --from-migrations ... --exit-code`) cannot run here: for PostgreSQL the wasm
// engine cannot introspect the shadow database, and for SQLite it sends each multi-statement
// migration through a prepared statement, which better-sqlite3 rejects ("External error
// id#0"). So we build two real databases, one from the migrations and one from
// `migrate diff --from-empty --to-schema-datamodel <schema>`, and compare their catalogs:
// tables, columns (type, nullability, default), indexes, constraints and enum types.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import pg from 'pg';

import { prismaBin, root } from './shared.mjs';

let scratchDir;
/**
 * Environment for Prisma CLI commands that need no database (`migrate diff` between schema
 * files): prisma.config.ts still opens its SQLite adapter for them, and they fail with
 * "External error id#0" when that file's folder is missing. Pointing it at a scratch file in
 * the temp folder makes them work in a fresh clone and never touch a developer's database.
 */
export function scratchPrismaEnv() {
  if (!scratchDir) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'autodidact-prisma-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    scratchDir = dir;
  }
  return {
    ...process.env,
    DATABASE_URL: `file:${path.join(scratchDir, 'scratch.db')}`,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  };
}

/** The SQL that creates `schemaFile` from nothing, from Prisma's own differ. */
export function sqlFromEmpty(schemaFile) {
  const result = spawnSync(
    process.execPath,
    [prismaBin, 'migrate', 'diff', '--from-empty', '--to-schema-datamodel', schemaFile, '--script'],
    { cwd: root, encoding: 'utf8', env: scratchPrismaEnv() },
  );
  if (result.status !== 0)
    throw new Error(`prisma migrate diff --from-empty failed for ${schemaFile}:\n${result.stderr}`);
  return result.stdout;
}

/** Catalog of a SQLite database as plain sorted data, ignoring Prisma's bookkeeping table. */
export function describeSqlite(db) {
  const tables = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '_prisma_migrations' ORDER BY name",
    )
    .all()
    .map(({ name }) => name);
  return tables.map((table) => ({
    table,
    // Column order is left out on purpose: a column added later sits last in the migrated
    // table but where the model declares it in a fresh one, and order does not matter to Prisma.
    columns: db
      .prepare(`PRAGMA table_xinfo("${table}")`)
      .all()
      .map(({ cid: _cid, ...column }) => column)
      .sort((a, b) => a.name.localeCompare(b.name)),
    indexes: db
      .prepare(`PRAGMA index_list("${table}")`)
      .all()
      .map(({ name, unique, origin, partial }) => ({
        name,
        unique,
        origin,
        partial,
        // cid is the column's position in its table, which differs for the same reason.
        columns: db
          .prepare(`PRAGMA index_xinfo("${name}")`)
          .all()
          .map(({ cid: _cid, ...column }) => column),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    foreignKeys: db
      .prepare(`PRAGMA foreign_key_list("${table}")`)
      .all()
      .map(({ id: _id, seq: _seq, ...rest }) => rest)
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  }));
}

/** Catalog of a PostgreSQL database's public schema as plain sorted data (column order ignored, as above). */
export async function describePostgres(client) {
  const query = async (sql) => (await client.query(sql)).rows;
  return {
    columns: await query(`
      SELECT table_name, column_name, data_type, udt_name, character_maximum_length,
             numeric_precision, numeric_scale, datetime_precision, is_nullable, column_default
      FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
      ORDER BY table_name, column_name`),
    indexes: await query(`
      SELECT tablename, indexname, indexdef FROM pg_indexes
      WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
      ORDER BY tablename, indexname`),
    constraints: await query(`
      SELECT rel.relname AS table_name, con.conname, con.contype, pg_get_constraintdef(con.oid) AS definition
      FROM pg_constraint con
      JOIN pg_class rel ON rel.oid = con.conrelid
      JOIN pg_namespace ns ON ns.oid = rel.relnamespace
      WHERE ns.nspname = 'public' AND rel.relname <> '_prisma_migrations'
      ORDER BY rel.relname, con.conname`),
    enums: await query(`
      SELECT t.typname, e.enumlabel, e.enumsortorder
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
      JOIN pg_namespace ns ON ns.oid = t.typnamespace
      WHERE ns.nspname = 'public'
      ORDER BY t.typname, e.enumsortorder`),
  };
}

/**
 * The migration.sql texts of a migrations folder, in Prisma's (name) order.
 * @param {string} dir
 * @param {string[]} names
 * @returns {string[]}
 */
export function migrationScripts(dir, names) {
  return names.map((name) => readFileSync(path.join(dir, name, 'migration.sql'), 'utf8'));
}

/**
 * Compares the SQLite database the given migrations build with the one `schemaFile` describes.
 * Returns null when they match, or a short description of the first difference.
 * @param {string} schemaFile
 * @param {string[]} scripts
 * @returns {string | null}
 */
export function compareSqliteMigrations(schemaFile, scripts) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'autodidact-schema-'));
  try {
    const fromMigrations = new Database(path.join(dir, 'migrations.db'));
    const fromSchema = new Database(path.join(dir, 'schema.db'));
    try {
      for (const script of scripts) fromMigrations.exec(script);
      fromSchema.exec(sqlFromEmpty(schemaFile));
      return firstDifference(describeSqlite(fromMigrations), describeSqlite(fromSchema));
    } finally {
      fromMigrations.close();
      fromSchema.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Same comparison for PostgreSQL, on two scratch databases of the server at `adminUrl`
 * (created and dropped here). `applyMigrations(url)` migrates the first one.
 * @param {string} adminUrl
 * @param {string} schemaFile
 * @param {(url: string) => Promise<unknown>} applyMigrations
 * @returns {Promise<string | null>}
 */
export async function comparePostgresMigrations(adminUrl, schemaFile, applyMigrations) {
  const suffix = `${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const names = [`autodidact_cmp_migrations_${suffix}`, `autodidact_cmp_schema_${suffix}`];
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const name of names) await admin.query(`CREATE DATABASE "${name}"`);
    const urls = names.map((name) => withDatabase(adminUrl, name));
    await applyMigrations(urls[0]);
    const other = new pg.Client({ connectionString: urls[1] });
    await other.connect();
    try {
      await other.query(sqlFromEmpty(schemaFile));
    } finally {
      await other.end();
    }
    const described = [];
    for (const url of urls) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        described.push(await describePostgres(client));
      } finally {
        await client.end();
      }
    }
    return firstDifference(described[0], described[1]);
  } finally {
    for (const name of names) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
}

/** `url` with its database name replaced. */
export function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * null when equal, else "<path>: <from migrations> vs <from schema>" for the first difference.
 * @param {unknown} fromMigrations
 * @param {unknown} fromSchema
 * @param {string} [where]
 * @returns {string | null}
 */
export function firstDifference(fromMigrations, fromSchema, where = '') {
  if (JSON.stringify(fromMigrations) === JSON.stringify(fromSchema)) return null;
  if (Array.isArray(fromMigrations) && Array.isArray(fromSchema)) {
    for (let i = 0; i < Math.max(fromMigrations.length, fromSchema.length); i += 1) {
      const found = firstDifference(fromMigrations[i], fromSchema[i], `${where}[${i}]`);
      if (found) return found;
    }
  } else if (fromMigrations && fromSchema && typeof fromMigrations === 'object' && typeof fromSchema === 'object') {
    for (const key of new Set([...Object.keys(fromMigrations), ...Object.keys(fromSchema)])) {
      const found = firstDifference(fromMigrations[key], fromSchema[key], `${where}.${key}`);
      if (found) return found;
    }
  }
  return `${where || '(root)'}: migrations give ${JSON.stringify(fromMigrations)}, the schema gives ${JSON.stringify(fromSchema)}`;
}
