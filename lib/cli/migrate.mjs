// Applies database migrations for DATABASE_URL. SQLite uses `prisma migrate deploy` with the
// offline wasm engine (prisma.config.ts). Usage: node lib/cli/migrate.mjs
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { DEFAULT_DATABASE_URL, databaseKind, prismaBin, root, run } from './shared.mjs';

export async function migrate(databaseUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL) {
  const kind = databaseKind(databaseUrl);
  if (kind === 'postgresql') {
    const { migratePostgres } = await import('./migrate-postgres.mjs');
    await migratePostgres(databaseUrl);
    return;
  }
  // `migrate deploy` cannot create the folder that holds the database file.
  const file = path.resolve(root, databaseUrl.replace(/^file:/, ''));
  mkdirSync(path.dirname(file), { recursive: true });
  const code = await run(process.execPath, [prismaBin, 'migrate', 'deploy'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
  if (code !== 0) throw new Error(`Migrations failed for ${databaseUrl} (prisma migrate deploy exit code ${code}).`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  migrate().catch((error) => {
    console.error(`✖ ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
