// Helpers shared by the command-line entry points in lib/cli. Plain ESM JavaScript so they
// run with `node` alone, before any build or TypeScript tooling exists.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '..', '..');
export const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
export const prismaBin = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');
export const DEFAULT_DATABASE_URL = 'file:./data/autodidact.db';

/**
 * Node flags for the app server (`npm start`, and the load and multi-instance scripts that stand
 * for it). A larger young generation: a request allocates a few hundred kilobytes of short-lived
 * objects (the framework's request and stream wrappers, JSON, promises), and with Node's default
 * semi-space (16 MB) the scavenger ran often enough to take 11 % of the event loop at 4,000
 * learners; with 64 MB it took 7 % (docs/decisions/018, ninth session). Costs up to ~100 MB more
 * memory. Left out when the operator's NODE_OPTIONS set the young generation themselves (a
 * command-line flag would override theirs).
 */
export const SERVER_NODE_ARGS = /semi-space/.test(process.env.NODE_OPTIONS ?? '') ? [] : ['--max-semi-space-size=64'];

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
