// Helpers shared by the command-line entry points in lib/cli. Plain ESM JavaScript so they
// run with `node` alone, before any build or TypeScript tooling exists.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '..', '..');
export const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
export const prismaBin = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');
export const DEFAULT_DATABASE_URL = 'file:./data/autodidact.db';

/** Runs a command, streaming its output; resolves with its exit code. */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', cwd: root, ...options });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Runs a command and exits the process with a message when it fails. */
export async function runOrExit(label, command, args, options) {
  const code = await run(command, args, options);
  if (code !== 0) {
    console.error(`\n✖ ${label} failed (exit code ${code}).`);
    process.exit(code);
  }
}

/** Newest modification time of any file below the given paths (node_modules excluded). */
export function newestMtime(paths) {
  let newest = 0;
  const visit = (target) => {
    if (!existsSync(target)) return;
    const stats = statSync(target);
    if (stats.isDirectory()) {
      for (const entry of readdirSync(target)) {
        if (entry === 'node_modules' || entry.startsWith('.next') || entry === 'generated') continue;
        visit(path.join(target, entry));
      }
    } else {
      newest = Math.max(newest, stats.mtimeMs);
    }
  };
  for (const target of paths) visit(path.join(root, target));
  return newest;
}

export function databaseKind(url) {
  if (url.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  throw new Error(`DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL); got "${url}"`);
}
