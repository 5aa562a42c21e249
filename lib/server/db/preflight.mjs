// Checks before anything touches a SQLite database (docs/decisions/018): one Autodidact server
// per file, and migrations no newer than the code. Plain ESM JavaScript: the server
// (instrumentation.ts) and the scripts in lib/cli (run by `node` alone) share it. The
// `turbopackIgnore` comments keep Next's file tracing from treating these run-time paths as
// build inputs (it would otherwise copy the whole project into the server output).
//
// The server writes `<database>-server.json` ({ pid, port, started }) when it starts and removes
// it when it exits. A file left by a crash (kill -9, power cut) names a process that is gone, or
// one that started at another time (its pid reused): both count as free.
import {
  chmodSync,
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';

/** The SQLite file a `file:` URL names, resolved like the adapter does (against the working directory). */
export function sqliteFile(databaseUrl) {
  return path.resolve(databaseUrl.replace(/^file:/, ''));
}

export function serverLockFile(databaseFile) {
  return `${databaseFile}-server.json`;
}

/** Linux: the process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), or null. */
function processStartTime(pid) {
  try {
    const stat = readFileSync(/* turbopackIgnore: true */ `/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * The server that holds `databaseFile`, or null when none does (no file, or a stale one).
 * @returns {{ pid: number, port: string | null, started: string | null } | null}
 */
export function serverUsing(databaseFile) {
  let holder;
  try {
    holder = JSON.parse(readFileSync(/* turbopackIgnore: true */ serverLockFile(databaseFile), 'utf8'));
  } catch {
    return null;
  }
  if (!holder || !Number.isInteger(holder.pid) || holder.pid === process.pid || !alive(holder.pid)) return null;
  const started = processStartTime(holder.pid);
  if (holder.started && started && holder.started !== started) return null;
  return { pid: holder.pid, port: holder.port ?? null, started: holder.started ?? null };
}

export class DatabaseInUseError extends Error {
  constructor(databaseFile, holder) {
    super(
      `database ${databaseFile} is in use by another Autodidact server (pid ${holder.pid}${holder.port ? `, port ${holder.port}` : ''}): stop that server first, or give this one its own DATABASE_URL`,
    );
    this.holder = holder;
  }
}

/**
 * Claims `databaseFile` for this server process; throws DatabaseInUseError when a live server
 * holds it. Removes the claim when the process exits.
 */
export function claimDatabase(databaseFile, port) {
  const lockFile = serverLockFile(databaseFile);
  const record = JSON.stringify({ pid: process.pid, port: port ?? null, started: processStartTime(process.pid) });
  // The exclusive create decides between two servers starting at the same instant; a file left by
  // a server that is gone is removed and the create tried once more.
  let fd;
  for (let attempt = 0; fd === undefined; attempt++) {
    try {
      fd = openSync(/* turbopackIgnore: true */ lockFile, 'wx', 0o600);
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const holder = serverUsing(databaseFile);
      if (holder) throw new DatabaseInUseError(databaseFile, holder);
      if (attempt > 0) throw error;
      rmSync(/* turbopackIgnore: true */ lockFile, { force: true });
    }
  }
  writeSync(fd, record);
  closeSync(fd);
  const release = () => {
    try {
      if (JSON.parse(readFileSync(/* turbopackIgnore: true */ lockFile, 'utf8')).pid === process.pid)
        rmSync(/* turbopackIgnore: true */ lockFile, { force: true });
    } catch {
      // Already gone.
    }
  };
  process.once('exit', release);
  return release;
}

/** 0600 for the database file: it holds learners' answers and the instructors' password hashes. */
export function restrictDatabaseFile(databaseFile) {
  for (const file of [databaseFile, `${databaseFile}-wal`, `${databaseFile}-shm`]) {
    try {
      if ((statSync(/* turbopackIgnore: true */ file).mode & 0o077) !== 0)
        chmodSync(/* turbopackIgnore: true */ file, 0o600);
    } catch {
      // Not there (yet): SQLite creates -wal and -shm with the database file's own mode.
    }
  }
}

/** Migration folder names in `migrationsDir` (each holds a migration.sql), oldest first. */
export function knownMigrations(migrationsDir) {
  return readdirSync(/* turbopackIgnore: true */ migrationsDir, { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isDirectory() &&
        existsSync(/* turbopackIgnore: true */ path.join(migrationsDir, entry.name, 'migration.sql')),
    )
    .map((entry) => entry.name)
    .sort();
}

/**
 * What `prisma migrate deploy` would find, read without writing: migrations to apply (`pending`)
 * and migrations the database has that this code does not know (`unknown`: a newer version of
 * Autodidact migrated it). A missing file has everything pending.
 * @returns {{ exists: boolean, pending: string[], unknown: string[] }}
 */
export function migrationStatus(databaseFile, migrationsDir) {
  const known = knownMigrations(migrationsDir);
  if (!existsSync(/* turbopackIgnore: true */ databaseFile)) return { exists: false, pending: known, unknown: [] };
  const connection = new Database(/* turbopackIgnore: true */ databaseFile, {
    readonly: true,
    fileMustExist: true,
    timeout: 5_000,
  });
  try {
    const table = connection
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'")
      .get();
    const applied = table
      ? connection
          .prepare(
            'SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
          )
          .all()
          .map((row) => row.name)
      : [];
    const appliedSet = new Set(applied);
    const knownSet = new Set(known);
    return {
      exists: true,
      pending: known.filter((name) => !appliedSet.has(name)),
      unknown: applied.filter((name) => !knownSet.has(name)).sort(),
    };
  } finally {
    connection.close();
  }
}

export class MigrationsNewerError extends Error {
  constructor(databaseFile, unknown) {
    super(
      `database ${databaseFile} was migrated by a newer version of Autodidact (${unknown.length} migration${unknown.length === 1 ? '' : 's'} this code does not know, newest ${unknown.at(-1)}): run that newer version, or restore a backup made with this one (npm run db:restore)`,
    );
    this.unknown = unknown;
  }
}
