// Issue 19, item 2: each misconfiguration stops a command with one plain line naming the cause
// and the fix, a non-zero exit, and nothing corrupted. The commands run as real child processes
// on real SQLite files; the full-disk case drives the real answer route against a database whose
// size SQLite itself caps (PRAGMA max_page_count: the same SQLITE_FULL a full disk gives).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { migrate } from '@/lib/cli/migrate.mjs';
import { knowledgeCheck } from '@/content/lessons/chain-rule-computational-graphs/questions';
import { LESSON_SLUGS } from '@/lib/content/catalog';
import { syncRows } from '@/lib/server/content-sync';
import { createDb, type Db } from '@/lib/server/db/client';

import { choiceLetters, newLearner, submit } from './helpers/learner-client';

const root = path.resolve(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'autodidact-ops-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <script>` from the repository root with `env` added; 60 s at most. */
function runNode(script: string, env: Record<string, string>, args: string[] = []): Ran {
  const result = spawnSync(process.execPath, [script, ...args], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The one line a failing command printed: starts with ✖, names cause and fix, no stack trace. */
function expectOnePlainLine(ran: Ran, ...phrases: RegExp[]): void {
  expect(ran.code).toBe(1);
  const lines = ran.stderr.trim().split('\n');
  const line = lines.find((entry) => entry.startsWith('✖ '));
  expect(line, ran.stderr).toBeDefined();
  for (const phrase of phrases) expect(line).toMatch(phrase);
  expect(ran.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

async function migratedDatabase(name: string): Promise<string> {
  const file = path.join(scratch, name, 'app.db');
  await migrate(`file:${file}`);
  return file;
}

/** A process holding the database as a running server does (lib/server/db/preflight.mjs). */
function holdDatabase(file: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(path.join(root, 'lib/server/db/preflight.mjs'))});
       m.claimDatabase(${JSON.stringify(file)}, '3999'); console.log('held'); setInterval(() => {}, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`holder exited (${code})`)));
  });
}

describe('npm start refuses a bad setup before doing anything', () => {
  it('a malformed DATABASE_URL', () => {
    for (const url of ['mysql://localhost/autodidact', 'file:', 'postgresql://']) {
      const ran = runNode('lib/cli/start.mjs', { DATABASE_URL: url, PORT: '3189' });
      expectOnePlainLine(ran, /DATABASE_URL/, /file:\.\/data\/autodidact\.db|postgresql:\/\/user/);
    }
  });

  it('a port already in use', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const ran = runNode('lib/cli/start.mjs', {
        DATABASE_URL: `file:${path.join(scratch, 'port', 'app.db')}`,
        PORT: String(port),
      });
      expectOnePlainLine(ran, new RegExp(`port ${port} is already in use`), new RegExp(`PORT=${port + 1}`));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('a database another server is using: the holder keeps it, nothing changes', async () => {
    const file = await migratedDatabase('held');
    const holder = await holdDatabase(file);
    try {
      const before = sha256(file);
      const ran = runNode('lib/cli/start.mjs', { DATABASE_URL: `file:${file}`, PORT: '3187' });
      expectOnePlainLine(
        ran,
        new RegExp(`database ${file} is in use by another Autodidact server \\(pid ${holder.pid}, port 3999\\)`),
        /stop that server/,
      );
      expect(holder.exitCode).toBeNull();
      expect(sha256(file)).toBe(before);
    } finally {
      holder.kill();
    }
  });

  it('a data folder that cannot be written (a file where the folder should be)', () => {
    const notAFolder = path.join(scratch, 'not-a-folder');
    writeFileSync(notAFolder, '');
    const ran = runNode('lib/cli/start.mjs', { DATABASE_URL: `file:${notAFolder}/app.db`, PORT: '3187' });
    expectOnePlainLine(ran, /data folder .*not-a-folder cannot be used/, /writable folder/);
  });

  it('a data folder without write permission (run as an unprivileged user)', () => {
    // Root writes anywhere, so the command runs as `nobody` (setpriv) against a folder it may not write.
    const folder = path.join(scratch, 'read-only');
    mkdirSync(folder);
    chmodSync(folder, 0o555);
    chmodSync(scratch, 0o755);
    const ran = spawnSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, 'lib/cli/migrate.mjs'],
      { cwd: root, env: { ...process.env, DATABASE_URL: `file:${folder}/app.db` }, encoding: 'utf8', timeout: 60_000 },
    );
    expectOnePlainLine(
      { code: ran.status, stdout: ran.stdout, stderr: ran.stderr },
      /data folder .*read-only cannot be written \(EACCES\)/,
      /write access|writable folder/,
    );
  });
});

describe('migrations', () => {
  it('a database migrated by a newer version is refused, and left as it was', async () => {
    const file = await migratedDatabase('newer');
    const connection = new Database(file);
    connection
      .prepare(
        "INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ('future', 'x', 1, '29991231000000_from_a_newer_version', 1)",
      )
      .run();
    connection.close();
    const before = sha256(file);
    for (const script of ['lib/cli/migrate.mjs', 'lib/cli/start.mjs']) {
      const ran = runNode(script, { DATABASE_URL: `file:${file}`, PORT: '3186' });
      expectOnePlainLine(
        ran,
        /migrated by a newer version of Autodidact/,
        /29991231000000_from_a_newer_version/,
        /db:restore/,
      );
    }
    expect(sha256(file)).toBe(before);
  });

  it('pending migrations are not applied under a running server', async () => {
    const file = await migratedDatabase('pending');
    const connection = new Database(file);
    const last = connection
      .prepare('SELECT migration_name AS name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1')
      .get() as { name: string };
    connection.prepare('DELETE FROM _prisma_migrations WHERE migration_name = ?').run(last.name);
    connection.close();
    const holder = await holdDatabase(file);
    try {
      const ran = runNode('lib/cli/migrate.mjs', { DATABASE_URL: `file:${file}` });
      expectOnePlainLine(
        ran,
        /1 database migration\(s\) to apply/,
        new RegExp(`server \\(pid ${holder.pid}\\)`),
        /stop that server/,
      );
    } finally {
      holder.kill();
    }
  });

  it('with nothing to apply, migrate works beside a running server (so npm run demo does)', async () => {
    const file = await migratedDatabase('beside');
    const holder = await holdDatabase(file);
    try {
      const ran = runNode('lib/cli/migrate.mjs', { DATABASE_URL: `file:${file}` });
      expect(ran.code, ran.stderr).toBe(0);
      const demo = spawnSync('npm', ['run', '--silent', 'demo', '--', '--learners', '3'], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: `file:${file}` },
        encoding: 'utf8',
        timeout: 240_000,
      });
      expect(demo.status, demo.stderr).toBe(0);
      expect(demo.stdout).toMatch(/Demo class with 3 learners/);
      expect(holder.exitCode).toBeNull();
    } finally {
      holder.kill();
    }
  }, 300_000);

  it('the database file is readable by its owner only (0600)', async () => {
    const file = await migratedDatabase('mode');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    chmodSync(file, 0o644);
    await migrate(`file:${file}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('the disk fills during a write', () => {
  let db: Db;
  let file: string;

  beforeAll(async () => {
    file = await migratedDatabase('full');
    db = await createDb(`file:${file}`);
    process.env.SESSION_SECRET ??= 'integration-tests-secret-0123456789abcdef';
    await syncRows(
      db,
      LESSON_SLUGS.map((slug, index) => ({ slug, title: slug, order: index + 1 })),
    );
  });
  afterAll(async () => {
    await db.$disconnect();
  });

  it('answers 503 with a message, keeps every earlier answer, and recovers when space returns', async () => {
    const learner = await newLearner(db);
    const acknowledged: string[] = [];
    for (const question of knowledgeCheck) {
      const { wrong } = choiceLetters(learner.learnerId, question.id);
      const response = await submit(db, learner.cookie, {
        questionId: question.id,
        attempt: 1,
        answer: { choice: wrong },
      });
      expect(response.status).toBe(200);
      acknowledged.push(question.id);
    }
    // Cap the file at its current size: every new page the next writes need is "disk full".
    const [size] = await db.$queryRawUnsafe<{ page_count: number }[]>('PRAGMA page_count');
    await db.$queryRawUnsafe(`PRAGMA max_page_count = ${Number(size?.page_count)}`);
    let refused: Response | null = null;
    // Bounded: free pages inside the file absorb a few writes before it is really full.
    for (let i = 0; i < 400 && !refused; i++) {
      const other = await newLearner(db).catch(() => null);
      if (!other) continue;
      const response = await submit(db, other.cookie, {
        questionId: knowledgeCheck[0]!.id,
        attempt: 1,
        answer: { choice: choiceLetters(other.learnerId, knowledgeCheck[0]!.id).wrong },
      });
      if (response.status !== 200) refused = response;
    }
    expect(refused?.status).toBe(503);
    expect(refused?.headers.get('retry-after')).toBe('60');
    const body = (await refused!.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('database-full');
    expect(body.error.message).toMatch(/out of disk space.*earlier work is safe/);

    // Space comes back: the same connection writes again (no transaction left open by the failure).
    await db.$queryRawUnsafe('PRAGMA max_page_count = 1073741823');
    const after = await newLearner(db);
    const response = await submit(db, after.cookie, {
      questionId: knowledgeCheck[0]!.id,
      attempt: 1,
      answer: { choice: choiceLetters(after.learnerId, knowledgeCheck[0]!.id).wrong },
    });
    expect(response.status).toBe(200);

    const stored = await db.response.findMany({
      where: { learnerId: learner.learnerId },
      select: { questionId: true },
    });
    expect(stored.map((row) => row.questionId).sort()).toEqual([...acknowledged].sort());
    const check = new Database(file, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
  });
});
