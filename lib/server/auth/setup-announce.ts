import 'server-only';

import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { serverEnv } from '@/lib/env';

import { getDb } from '../db/client';
import { issueSetupTokenIfNeeded } from './accounts';

/**
 * The setup token's file beside a SQLite database (`data/autodidact.db` → `data/autodidact.db.setup-token`),
 * like Jupyter's runtime file: readable only by the account that runs the server, which can read
 * the database and the session secret in the same folder anyway. Browser tests read it. With
 * PostgreSQL there is no file, only the log line.
 */
export function setupTokenFile(databaseUrl: string): string | null {
  return databaseUrl.startsWith('file:') ? `${path.resolve(databaseUrl.replace(/^file:/, ''))}.setup-token` : null;
}

/**
 * Deletes the setup token's file once an instructor exists (issue 19: it outlived the setup).
 * The token itself is spent in the database already; this removes the last copy on disk.
 */
export function removeSetupTokenFile(databaseUrl = serverEnv().DATABASE_URL): void {
  const file = setupTokenFile(databaseUrl);
  if (file) rmSync(file, { force: true });
}

/** At server start: when no instructor exists, print the one-time setup link (and write the file). */
export async function announceSetupToken(): Promise<void> {
  const env = serverEnv();
  const file = setupTokenFile(env.DATABASE_URL);
  const issued = await issueSetupTokenIfNeeded(await getDb());
  if (!issued) {
    if (file) rmSync(file, { force: true });
    return;
  }
  const base = env.AUTODIDACT_BASE_URL ?? `http://localhost:${process.env.PORT ?? env.PORT}`;
  const url = `${base}/instructor/setup?token=${issued.token}`;
  if (file) writeFileSync(file, `${issued.token}\n`, { mode: 0o600 });
  console.log(
    [
      '[autodidact] No instructor account exists yet. Create the first one at:',
      `[autodidact]   ${url}`,
      `[autodidact] The token works once and expires ${issued.expiresAt.toISOString()}; or run \`npm run instructor:create\`.`,
    ].join('\n'),
  );
}
