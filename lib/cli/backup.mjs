// `npm run db:backup [-- --out FILE]`: a consistent copy of the SQLite database, taken while the
// server keeps serving (SQLite's online backup through better-sqlite3; docs/decisions/018).
// Default FILE: data/backups/autodidact-<UTC time>.db beside the database. The copy is checked
// with PRAGMA integrity_check and written 0600. PostgreSQL: use pg_dump (README, Backups).
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import Database from 'better-sqlite3';

import { sqliteFile } from '../server/db/preflight.mjs';
import { parseDatabaseUrl, PreflightError } from './preflight.mjs';
import { progressBar } from './progress.mjs';
import { DEFAULT_DATABASE_URL } from './shared.mjs';

function stamp(date = new Date()) {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** Rows in the tables people ask about after a restore, for the summary line. */
export function countRows(connection) {
  const count = (table) => {
    try {
      return connection.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get().n;
    } catch {
      return 0;
    }
  };
  return { learners: count('Learner'), answers: count('Response'), events: count('ProgressEvent') };
}

/** PRAGMA integrity_check of `file`: 'ok', or the first problems SQLite reports. */
export function integrityCheck(file) {
  const connection = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = connection.pragma('integrity_check', { simple: false });
    // One line each: SQLite's reports span lines ("*** in database main ***\nPage 12: …").
    const messages = rows.map((row) => String(row.integrity_check).replace(/\s+/g, ' ').trim());
    return { ok: messages.length === 1 && messages[0] === 'ok', messages, rows: countRows(connection) };
  } finally {
    connection.close();
  }
}

/**
 * Copies `source` to `out` with the online backup API. Writers on other connections keep
 * going; if one changes the database between steps, SQLite restarts the copy, so after a
 * restart the rest is copied in one step (a read snapshot in WAL mode, which blocks no writer).
 * Writes to `out.partial` first and renames, so a failed backup never leaves a half file at `out`.
 */
export async function backupSqlite(source, out, { onProgress = () => {} } = {}) {
  if (!existsSync(source)) throw new PreflightError(`there is no database at ${source} to back up: check DATABASE_URL`);
  mkdirSync(path.dirname(out), { recursive: true });
  const partial = `${out}.partial`;
  rmSync(partial, { force: true });
  const connection = new Database(source, { readonly: true, fileMustExist: true, timeout: 10_000 });
  let lastRemaining = Infinity;
  let restarted = false;
  let lastTotal = 0;
  try {
    await connection.backup(partial, {
      progress({ totalPages, remainingPages }) {
        if (remainingPages > lastRemaining) restarted = true;
        lastRemaining = remainingPages;
        lastTotal = totalPages;
        onProgress(totalPages - remainingPages, totalPages);
        return restarted ? totalPages : Math.max(64, Math.ceil(totalPages / 50));
      },
    });
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    connection.close();
  }
  if (Number.isFinite(lastRemaining)) onProgress(Math.max(0, lastTotal), lastTotal);
  chmodSync(partial, 0o600);
  const check = integrityCheck(partial);
  if (!check.ok) {
    rmSync(partial, { force: true });
    throw new Error(
      `the backup failed its integrity check (${check.messages.slice(0, 3).join('; ')}); nothing written`,
    );
  }
  renameSync(partial, out);
  return { file: out, bytes: statSync(out).size, rows: check.rows };
}

async function main() {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const target = parseDatabaseUrl(databaseUrl);
  if (target.kind === 'postgresql') {
    throw new PreflightError(
      'DATABASE_URL is PostgreSQL: back it up with pg_dump, e.g. pg_dump --format=custom --file=autodidact.dump "$DATABASE_URL" (README, Backups)',
    );
  }
  const source = sqliteFile(databaseUrl);
  const out = path.resolve(values.out ?? path.join(path.dirname(source), 'backups', `autodidact-${stamp()}.db`));
  if (existsSync(out)) throw new PreflightError(`${out} already exists: choose another --out, or move that file first`);
  const bar = progressBar('Backing up', 'pages');
  const result = await backupSqlite(source, out, { onProgress: bar.update });
  bar.done();
  const megabytes = (result.bytes / 1024 / 1024).toFixed(1);
  console.log(
    `✔ Backup written to ${result.file} (${megabytes} MB; ${result.rows.learners} learners, ${result.rows.answers} answers, ${result.rows.events} events; integrity check ok)`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(`✖ ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
