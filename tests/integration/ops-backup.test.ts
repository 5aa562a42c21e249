// Issue 19, item 3: `npm run db:backup` copies the SQLite database while answers keep arriving,
// and `npm run db:restore` puts a copy in place: every answer acknowledged before the backup
// began is in it, PRAGMA integrity_check is ok, the replaced file is kept, and a damaged backup
// or a running server stops the restore before it changes anything.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { knowledgeCheck } from '@/content/lessons/chain-rule-computational-graphs/questions';
import { backupSqlite } from '@/lib/cli/backup.mjs';
import { migrate } from '@/lib/cli/migrate.mjs';
import { LESSON_SLUGS } from '@/lib/content/catalog';
import { syncRows } from '@/lib/server/content-sync';
import { createDb, type Db } from '@/lib/server/db/client';

import { choiceLetters, newLearner, submit } from './helpers/learner-client';

const root = path.resolve(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'autodidact-backup-'));
const source = path.join(scratch, 'live', 'app.db');
let db: Db;

process.env.SESSION_SECRET ??= 'integration-tests-secret-0123456789abcdef';

beforeAll(async () => {
  await migrate(`file:${source}`);
  db = await createDb(`file:${source}`);
  await syncRows(
    db,
    LESSON_SLUGS.map((slug, index) => ({ slug, title: slug, order: index + 1 })),
  );
});
afterAll(async () => {
  await db.$disconnect();
  rmSync(scratch, { recursive: true, force: true });
});

/** One learner answering each choice question once (a wrong letter, so attempts stay open). */
async function learnerAnswers(acknowledged: Set<string>): Promise<void> {
  const learner = await newLearner(db);
  for (const question of knowledgeCheck) {
    const response = await submit(db, learner.cookie, {
      questionId: question.id,
      attempt: 1,
      answer: { choice: choiceLetters(learner.learnerId, question.id).wrong },
    });
    if (response.status !== 200) throw new Error(`answer refused: ${response.status} ${await response.text()}`);
    acknowledged.add(`${learner.learnerId}|${question.id}`);
  }
}

function answersIn(file: string): Set<string> {
  const connection = new Database(file, { readonly: true });
  try {
    const rows = connection.prepare('SELECT learnerId, questionId FROM Response').all() as {
      learnerId: string;
      questionId: string;
    }[];
    return new Set(rows.map((row) => `${row.learnerId}|${row.questionId}`));
  } finally {
    connection.close();
  }
}

function integrity(file: string): string {
  const connection = new Database(file, { readonly: true });
  try {
    return connection.pragma('integrity_check', { simple: true }) as string;
  } finally {
    connection.close();
  }
}

function runRestore(target: string, backup: string) {
  const result = spawnSync(process.execPath, ['lib/cli/restore.mjs', backup], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: `file:${target}` },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('backup under load, then restore', () => {
  const backup = path.join(scratch, 'backups', 'under-load.db');
  const before = new Set<string>();

  it('copies a consistent database while answers keep being written', async () => {
    for (let i = 0; i < 20; i++) await learnerAnswers(before);
    // Writers keep going for the whole backup; what they add may or may not be in the copy.
    let writing = true;
    const during = new Set<string>();
    const writers = Array.from({ length: 3 }, async () => {
      for (let round = 0; writing && round < 200; round++) await learnerAnswers(during);
    });
    const result = await backupSqlite(source, backup);
    writing = false;
    await Promise.all(writers);
    expect(during.size).toBeGreaterThan(0);
    expect(result.file).toBe(backup);
    expect(integrity(backup)).toBe('ok');
    const copied = answersIn(backup);
    for (const key of before) expect(copied.has(key), key).toBe(true);
  }, 120_000);

  it('restores into a new file: every answer acknowledged before the backup began is there', () => {
    const target = path.join(scratch, 'restored', 'app.db');
    const ran = runRestore(target, backup);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/^✔ Restored .*integrity check ok/m);
    expect(integrity(target)).toBe('ok');
    const restored = answersIn(target);
    for (const key of before) expect(restored.has(key), key).toBe(true);
  });

  it('keeps the database it replaces, whole, beside the restored one', () => {
    const target = path.join(scratch, 'replace', 'app.db');
    const other = path.join(scratch, 'replace', 'other.db');
    const first = runRestore(target, backup);
    expect(first.code, first.stderr).toBe(0);
    // Change the live copy so the replaced one can be told apart.
    const connection = new Database(target);
    connection.prepare('DELETE FROM Response').run();
    connection.close();
    copyFileSync(target, other);
    const second = runRestore(target, backup);
    expect(second.code, second.stderr).toBe(0);
    const kept = readdirSync(path.dirname(target)).find((name) => name.startsWith('app.db.replaced-'));
    expect(kept, second.stdout).toBeDefined();
    expect(second.stdout).toContain(kept!);
    expect(answersIn(path.join(path.dirname(target), kept!)).size).toBe(0);
    expect(integrity(path.join(path.dirname(target), kept!))).toBe('ok');
    expect(answersIn(target).size).toBeGreaterThanOrEqual(before.size);
  });

  it('refuses a damaged backup and changes nothing', () => {
    const target = path.join(scratch, 'damaged-target', 'app.db');
    expect(runRestore(target, backup).code).toBe(0);
    const unchanged = sha256(target);
    const damaged = path.join(scratch, 'damaged.db');
    const bytes = readFileSync(backup);
    // Overwrite pages in the middle of the file (past the header): a torn or bit-rotted copy.
    bytes.fill(0x5a, Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 8192);
    writeFileSync(damaged, bytes);
    const ran = runRestore(target, damaged);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(
      /^✖ .*(fails its integrity check|is not a readable SQLite database).*nothing was changed/m,
    );
    expect(sha256(target)).toBe(unchanged);
    expect(readdirSync(path.dirname(target)).some((name) => name.includes('replaced'))).toBe(false);
  });

  it('refuses while a server uses the database', async () => {
    const target = path.join(scratch, 'held', 'app.db');
    expect(runRestore(target, backup).code).toBe(0);
    const unchanged = sha256(target);
    const holder: ChildProcess = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(path.join(root, 'lib/server/db/preflight.mjs'))});
         m.claimDatabase(${JSON.stringify(target)}, '3999'); console.log('held'); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise((resolve) => holder.stdout!.once('data', resolve));
    try {
      const ran = runRestore(target, backup);
      expect(ran.code).toBe(1);
      expect(ran.stderr).toMatch(
        new RegExp(`^✖ database .* is in use by an Autodidact server \\(pid ${holder.pid}\\): stop`, 'm'),
      );
      expect(sha256(target)).toBe(unchanged);
    } finally {
      holder.kill();
    }
  });

  it('db:backup refuses to overwrite a file and says where it wrote', () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, ['lib/cli/backup.mjs', ...args], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: `file:${source}` },
        encoding: 'utf8',
        timeout: 60_000,
      });
    const out = path.join(scratch, 'cli-backup.db');
    const first = run(['--out', out]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`✔ Backup written to ${out} .*integrity check ok`));
    expect(existsSync(out)).toBe(true);
    const again = run(['--out', out]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already exists: choose another --out/);
  });
});
