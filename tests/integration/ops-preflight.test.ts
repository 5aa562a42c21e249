// The checks behind the plain start-up failures (lib/server/db/preflight.mjs, lib/cli/preflight.mjs):
// a crashed server's lock file, a reused pid, and the shapes of DATABASE_URL.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { parseDatabaseUrl, PreflightError } from '@/lib/cli/preflight.mjs';
import { claimDatabase, serverLockFile, serverUsing } from '@/lib/server/db/preflight.mjs';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'autodidact-preflight-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the server lock file', () => {
  it('is written 0600 with this process, and removed on release', () => {
    const database = path.join(scratch, 'own.db');
    const release = claimDatabase(database, '3000');
    const lock = serverLockFile(database);
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid, port: '3000' });
    release();
    expect(existsSync(lock)).toBe(false);
  });

  it('left by a crashed server (its pid is gone) does not block a new one', () => {
    const database = path.join(scratch, 'crashed.db');
    // Pids near the top of the range are not in use on a test machine.
    writeFileSync(serverLockFile(database), JSON.stringify({ pid: 4_194_000, port: '3000', started: '1' }));
    expect(serverUsing(database)).toBeNull();
    claimDatabase(database, '3001')();
  });

  it('naming a live process that started at another time (a reused pid) does not block either', () => {
    const database = path.join(scratch, 'reused.db');
    // pid 1 is alive, but it did not start at "tick 1" after boot.
    writeFileSync(serverLockFile(database), JSON.stringify({ pid: 1, port: '3000', started: '1' }));
    expect(serverUsing(database)).toBeNull();
  });

  it('garbage in the file counts as no server', () => {
    const database = path.join(scratch, 'garbage.db');
    writeFileSync(serverLockFile(database), '{not json');
    expect(serverUsing(database)).toBeNull();
    claimDatabase(database, null)();
  });
});

describe('DATABASE_URL', () => {
  it('accepts SQLite files and PostgreSQL URLs', () => {
    expect(parseDatabaseUrl('file:./data/autodidact.db')).toEqual({
      kind: 'sqlite',
      file: path.resolve('data/autodidact.db'),
    });
    expect(parseDatabaseUrl('postgresql://user:secret@db:5432/autodidact')).toEqual({ kind: 'postgresql' });
    expect(parseDatabaseUrl('postgres://db/autodidact')).toEqual({ kind: 'postgresql' });
  });

  it('refuses everything else with the right shape in the message', () => {
    for (const [url, phrase] of [
      ['', /DATABASE_URL is empty/],
      ['file:', /does not name a SQLite file/],
      ['file:./data/', /does not name a SQLite file/],
      ['sqlite:./data/app.db', /neither SQLite nor PostgreSQL/],
      ['postgresql://', /must name a host and a database/],
      ['postgresql://db:5432', /must name a host and a database/],
      ['postgresql://us er@db:notaport/x', /not a valid PostgreSQL URL/],
    ] as const) {
      expect(() => parseDatabaseUrl(url), url).toThrow(PreflightError);
      expect(() => parseDatabaseUrl(url), url).toThrow(phrase);
    }
  });
});
