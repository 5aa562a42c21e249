/**
 * Production app servers for the multi-instance test, the load benchmark and the fault scripts:
 * `next start` of an existing build, one PID per server (so it can be stopped or killed -9), on a
 * fixed port (engineer R's range is 3161-3169), against a SQLite file or a PostgreSQL database.
 *
 * No server-only imports here: this runs under plain tsx as well as under Vitest.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import pg from 'pg';

import { migratePostgres } from '../../lib/cli/migrate-postgres.mjs';
import { migrate } from '../../lib/cli/migrate.mjs';
import { SERVER_NODE_ARGS } from '../../lib/cli/shared.mjs';

export const root = path.resolve(import.meta.dirname, '..', '..');
const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');

/** Same secrets for every instance, as a multi-instance deployment must have. */
export const SHARED_SECRETS = {
  SESSION_SECRET: 'multi-instance-tests-session-secret-0123456789',
  // 32 random bytes, base64 (what `openssl rand -base64 32` prints).
  NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: 'q9tJ3n0b7m1Yx0n1Zc2d3e4f5g6h7i8j9k0l1m2n3o4=',
};

/** The build to serve: NEXT_DIST_DIR, else `.next` (the one `npm test` builds). */
export function distDir(): string {
  return process.env.NEXT_DIST_DIR ?? '.next';
}

export function assertBuilt(dir = distDir()): void {
  if (!existsSync(path.join(root, dir, 'BUILD_ID'))) {
    throw new Error(
      `No production build in ${dir}: run \`npm run build\` (or \`NEXT_DIST_DIR=${dir} npx next build\`) first.`,
    );
  }
}

export interface ScratchDatabase {
  kind: 'sqlite' | 'postgresql';
  url: string;
  /** The SQLite file, for direct checks (undefined for PostgreSQL). */
  file?: string;
  drop: () => Promise<void>;
}

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://root@127.0.0.1:5432/postgres';

async function admin(sql: string, adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh migrated database: a temp SQLite file, or a new PostgreSQL database named `<prefix>_<random>`. */
export async function scratchDatabase(
  kind: 'sqlite' | 'postgresql',
  { prefix = 'autodidact_r', adminUrl = POSTGRES_ADMIN_URL }: { prefix?: string; adminUrl?: string } = {},
): Promise<ScratchDatabase> {
  if (kind === 'postgresql') {
    const name = `${prefix}_${randomBytes(5).toString('hex')}`;
    await admin(`CREATE DATABASE "${name}"`, adminUrl);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const drop = () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`, adminUrl);
    try {
      await migratePostgres(url.toString(), { log: () => {} });
    } catch (error) {
      await drop();
      throw error;
    }
    return { kind, url: url.toString(), drop };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'autodidact-r-'));
  const file = path.join(dir, 'app.db');
  const url = `file:${file}`;
  await migrate(url);
  return { kind, url, file, drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) };
}

export interface AppServer {
  port: number;
  baseUrl: string;
  child: ChildProcess;
  /** Everything the server printed (bounded to the last 200 kB). */
  output: () => string;
  /** SIGTERM, then SIGKILL after 5 s. */
  stop: () => Promise<void>;
  /** SIGKILL at once (a crash), and wait for the exit. */
  kill9: () => Promise<void>;
}

export interface StartOptions {
  port: number;
  databaseUrl: string;
  env?: Record<string, string>;
  dist?: string;
  healthTimeoutMs?: number;
}

export async function startAppServer({
  port,
  databaseUrl,
  env = {},
  dist = distDir(),
  healthTimeoutMs = 60_000,
}: StartOptions): Promise<AppServer> {
  assertBuilt(dist);
  // APP_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the server (Node refuses --cpu-prof in NODE_OPTIONS).
  const nodeArgs = process.env.APP_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(
    process.execPath,
    [...SERVER_NODE_ARGS, ...nodeArgs, nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_DIST_DIR: dist,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        NEXT_TELEMETRY_DISABLED: '1',
        // The load, fault and multi-instance scripts send thousands of requests from one address and
        // a few sessions: the learner rate limits (decision 019) would turn them into 429s. A test of
        // the limits themselves passes AUTODIDACT_RATE_LIMIT in `env`.
        AUTODIDACT_RATE_LIMIT: 'off',
        ...SHARED_SECRETS,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-200_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const server: AppServer = {
    port,
    baseUrl,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
    kill9: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
  const deadline = Date.now() + healthTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`next start on port ${port} exited early (code ${child.exitCode}):\n${output.slice(-3000)}`);
    }
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) return server;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`server on port ${port} not healthy after ${healthTimeoutMs} ms:\n${output.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The cookie pair (`name=value`) from a response's Set-Cookie, or null. */
export function cookieOf(response: Response): string | null {
  const setCookie = response.headers.get('set-cookie');
  return setCookie ? setCookie.split(';')[0]! : null;
}

/** A new learner session through POST /api/session on `baseUrl`; returns the cookie. */
export async function newSession(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/session`, { method: 'POST' });
  const cookie = cookieOf(response);
  if (response.status !== 200 || !cookie) throw new Error(`POST /api/session returned ${response.status}`);
  return cookie;
}
