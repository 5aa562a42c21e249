// Checks the commands run before they start work, so a misconfiguration is one plain line with
// its cause and fix and a non-zero exit, never a stack trace from deep inside Prisma or Next
// (issue 19, docs/decisions/018). Each check throws a PreflightError; `exitOnPreflight` prints
// it as `✖ <message>` and exits 1.
import { accessSync, constants, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { MigrationsNewerError, DatabaseInUseError } from '../server/db/preflight.mjs';

export class PreflightError extends Error {}

/**
 * The database DATABASE_URL names: `{ kind: 'sqlite', file }` or `{ kind: 'postgresql' }`.
 * A URL of neither shape, a `file:` without a path, or a PostgreSQL URL that does not parse is
 * refused with an example of the right shape.
 */
export function parseDatabaseUrl(url) {
  const example =
    'use file:./data/autodidact.db (SQLite) or postgresql://user:password@host:5432/autodidact (PostgreSQL)';
  if (typeof url !== 'string' || url.trim() === '') throw new PreflightError(`DATABASE_URL is empty: ${example}`);
  if (url.startsWith('file:')) {
    const file = url.slice('file:'.length);
    if (file.trim() === '' || file.includes('?') || file.endsWith('/')) {
      throw new PreflightError(`DATABASE_URL "${url}" does not name a SQLite file: ${example}`);
    }
    return { kind: 'sqlite', file: path.resolve(file) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    let parsed;
    try {
      parsed = new URL(url);
    } catch {
      throw new PreflightError(
        `DATABASE_URL is not a valid PostgreSQL URL (special characters in the password must be percent-encoded): ${example}`,
      );
    }
    if (!parsed.hostname || parsed.pathname.replace(/^\//, '') === '') {
      throw new PreflightError(`DATABASE_URL must name a host and a database, like ${example.split(' or ')[1]}`);
    }
    return { kind: 'postgresql' };
  }
  const shown = url.length > 40 ? `${url.slice(0, 40)}…` : url;
  throw new PreflightError(`DATABASE_URL "${shown}" is neither SQLite nor PostgreSQL: ${example}`);
}

/**
 * The folder holding the SQLite file (and the session secret, the setup token) must be
 * writable: SQLite needs to create its -wal and -shm files beside the database.
 */
export function checkDataFolderWritable(databaseFile) {
  const folder = path.dirname(databaseFile);
  const fix = `give the account running Autodidact write access (e.g. chown -R $(whoami) ${folder}), or set DATABASE_URL to a file in a writable folder`;
  try {
    mkdirSync(folder, { recursive: true });
    const probe = path.join(folder, `.autodidact-write-test-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
    if (existsSync(databaseFile)) accessSync(databaseFile, constants.R_OK | constants.W_OK);
  } catch (error) {
    const code = error && typeof error === 'object' && 'code' in error ? error.code : 'error';
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new PreflightError(`the data folder ${folder} cannot be written (${code}): ${fix}`);
    }
    if (code === 'ENOSPC') {
      throw new PreflightError(`the disk holding ${folder} is full (ENOSPC): free some space, then start again`);
    }
    throw new PreflightError(`the data folder ${folder} cannot be used (${code}): ${fix}`);
  }
}

/** Resolves when `port` can be listened on (on `host`, or every interface), else a PreflightError. */
export function checkPortFree(port, host) {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', (error) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new PreflightError(
            `port ${port} is already in use (another Autodidact or other server is listening there): stop it, or choose another port, e.g. PORT=${Number(port) + 1} npm start`,
          ),
        );
      } else if (error.code === 'EACCES') {
        reject(new PreflightError(`port ${port} needs administrator rights: choose a port above 1023, e.g. PORT=3000`));
      } else {
        reject(
          new PreflightError(
            `cannot listen on port ${port}${host ? ` of ${host}` : ''} (${error.code}): check PORT and HOSTNAME`,
          ),
        );
      }
    });
    probe.listen({ port: Number(port), host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** Prints a preflight failure as one line and exits 1; anything else is rethrown. */
export function exitOnPreflight(error) {
  if (error instanceof PreflightError || error instanceof DatabaseInUseError || error instanceof MigrationsNewerError) {
    console.error(`✖ ${error.message}`);
    process.exit(1);
  }
  throw error;
}
