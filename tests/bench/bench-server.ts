/**
 * Shared by the benchmarks: a production server of the existing build on a free port, with a
 * throwaway SQLite database, owned by one PID so it can be stopped cleanly.
 *
 * The build is NEXT_DIST_DIR (default `.next`). A benchmark measures whatever build is there;
 * when there is none it runs `next build` once first (set BENCH_REBUILD=1 to force a new one).
 * Build first when the sources changed: `NEXT_DIST_DIR=.next-bench npx next build`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { migrate } from '../../lib/cli/migrate.mjs';

export const root = path.resolve(import.meta.dirname, '..', '..');
const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
export const distDir = process.env.NEXT_DIST_DIR ?? '.next';
export { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../../lib/cli/chromium.mjs';

export interface BenchServer {
  baseUrl: string;
  stop(): Promise<void>;
}

function runToEnd(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

export async function ensureBuild(build = distDir): Promise<void> {
  const buildId = path.join(root, build, 'BUILD_ID');
  if (existsSync(buildId) && process.env.BENCH_REBUILD !== '1') return;
  console.error(`[bench] no build in ${build}: running next build (a minute or two)…`);
  const code = await runToEnd(process.execPath, [nextBin, 'build'], {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_DIST_DIR: build,
  });
  if (code !== 0) throw new Error(`next build failed (exit ${code})`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(baseUrl: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited early (code ${child.exitCode})`);
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`server at ${baseUrl} not healthy after ${timeoutMs} ms`);
}

/** Serves the build in `build` (a folder like `.next-bench`; default NEXT_DIST_DIR). */
export async function startServer(build = distDir): Promise<BenchServer> {
  await ensureBuild(build);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'autodidact-bench-'));
  const databaseUrl = `file:${path.join(dataDir, 'bench.db')}`;
  await migrate(databaseUrl);
  const port = await freePort();
  const child = spawn(process.execPath, [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_DIST_DIR: build,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(baseUrl, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, stop };
}

export function median(samples: readonly number[]): number {
  return quantile(samples, 0.5);
}

/** Linear-interpolated quantile (q in 0..1) of unsorted samples; NaN for none. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}
