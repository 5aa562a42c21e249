// `npm run db:restore -- FILE`: puts a backup made by `npm run db:backup` in place of the SQLite
// database DATABASE_URL names (docs/decisions/018). It refuses while a server uses the
// database, checks the backup's integrity (and that this code knows its migrations) before
// touching anything, and keeps the replaced database beside it as
// `<database>.replaced-<UTC time>`. PostgreSQL: use pg_restore (README, Backups).
import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import Database from 'better-sqlite3';

import {
  claimDatabase,
  DatabaseInUseError,
  migrationStatus,
  MigrationsNewerError,
  restrictDatabaseFile,
  serverUsing,
  sqliteFile,
} from '../server/db/preflight.mjs';
import { backupSqlite, integrityCheck } from './backup.mjs';
import { SQLITE_MIGRATIONS_DIR } from './migrate.mjs';
import { checkDataFolderWritable, parseDatabaseUrl, PreflightError } from './preflight.mjs';
import { progressBar } from './progress.mjs';
import { DEFAULT_DATABASE_URL } from './shared.mjs';

function stamp(date = new Date()) {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/**
 * Restores `backup` into `target`. Returns where the replaced database went (null when there was
 * none) and the restored row counts.
 */
export async function restoreSqlite(backup, target, { onProgress = () => {} } = {}) {
  if (!existsSync(backup)) throw new PreflightError(`there is no backup at ${backup}: check the path`);
  const holder = serverUsing(target);
  if (holder) {
    throw new PreflightError(
      `database ${target} is in use by an Autodidact server (pid ${holder.pid}): stop that server, then restore (the running server would keep writing to the old file)`,
    );
  }
  let check;
  try {
    check = integrityCheck(backup);
  } catch (error) {
    throw new PreflightError(
      `${backup} is not a readable SQLite database (${error instanceof Error ? error.message : String(error)}): nothing was changed`,
    );
  }
  if (!check.ok) {
    throw new PreflightError(
      `${backup} fails its integrity check (${check.messages.slice(0, 3).join('; ')}): nothing was changed; try an older backup`,
    );
  }
  const migrations = migrationStatus(backup, SQLITE_MIGRATIONS_DIR);
  if (migrations.unknown.length > 0) throw new MigrationsNewerError(backup, migrations.unknown);
  checkDataFolderWritable(target);

  // Hold the database like a server would, so no server starts on it halfway through.
  const release = claimDatabase(target, null);
  try {
    let replaced = null;
    if (existsSync(target)) {
      // Fold the write-ahead log into the file first, so the kept copy is whole on its own.
      const current = new Database(target, { fileMustExist: true, timeout: 10_000 });
      try {
        current.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        current.close();
      }
      replaced = `${target}.replaced-${stamp()}`;
      renameSync(target, replaced);
      for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
    }
    const restored = await backupSqlite(backup, target, { onProgress });
    restrictDatabaseFile(target);
    return { replaced, rows: restored.rows, pending: migrations.pending.length };
  } finally {
    release();
  }
}

async function main() {
  const { positionals } = parseArgs({ allowPositionals: true, options: {} });
  if (positionals.length !== 1) {
    throw new PreflightError('name the backup to restore: npm run db:restore -- data/backups/autodidact-<time>.db');
  }
  const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  if (parseDatabaseUrl(databaseUrl).kind === 'postgresql') {
    throw new PreflightError(
      'DATABASE_URL is PostgreSQL: restore with pg_restore, e.g. pg_restore --clean --if-exists --dbname "$DATABASE_URL" autodidact.dump (README, Backups)',
    );
  }
  const target = sqliteFile(databaseUrl);
  const backup = path.resolve(positionals[0]);
  const bar = progressBar('Restoring', 'pages');
  const result = await restoreSqlite(backup, target, { onProgress: bar.update });
  bar.done();
  console.log(
    `✔ Restored ${target} from ${backup} (${result.rows.learners} learners, ${result.rows.answers} answers, ${result.rows.events} events; integrity check ok).`,
  );
  if (result.replaced) console.log(`  The database it replaced is kept at ${result.replaced}.`);
  if (result.pending > 0)
    console.log(`  The backup is ${result.pending} migration(s) behind this code: npm start applies them.`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    const message =
      error instanceof PreflightError || error instanceof DatabaseInUseError || error instanceof MigrationsNewerError
        ? error.message
        : `restore failed: ${error instanceof Error ? error.message : String(error)}`;
    console.error(`✖ ${message}`);
    process.exit(1);
  });
}
