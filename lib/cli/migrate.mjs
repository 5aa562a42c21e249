// Applies database migrations for DATABASE_URL. SQLite uses `prisma migrate deploy` with the
// offline wasm engine (prisma.config.ts). Usage: node lib/cli/migrate.mjs
//
// Before touching a SQLite file it checks, with plain messages (docs/decisions/018): the URL's
// shape, that the data folder can be written, that the database has no migrations newer than
// this code, and, when there is something to apply, that no running server uses the file. With
// nothing to apply it does not start Prisma at all, so every command that migrates first
// (`npm run demo`, `npm start`) works beside a running server.
import path from 'node:path';

import { MigrationsNewerError, migrationStatus, restrictDatabaseFile, serverUsing } from '../server/db/preflight.mjs';
import { checkDataFolderWritable, parseDatabaseUrl, PreflightError } from './preflight.mjs';
import { DEFAULT_DATABASE_URL, prismaBin, root, run } from './shared.mjs';

export const SQLITE_MIGRATIONS_DIR = path.join(root, 'prisma', 'migrations');

export async function migrate(databaseUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL) {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.kind === 'postgresql') {
    const { migratePostgres } = await import('./migrate-postgres.mjs');
    await migratePostgres(databaseUrl);
    return;
  }
  const { file } = target;
  // `migrate deploy` cannot create the folder that holds the database file; this creates it.
  checkDataFolderWritable(file);
  const status = migrationStatus(file, SQLITE_MIGRATIONS_DIR);
  if (status.unknown.length > 0) throw new MigrationsNewerError(file, status.unknown);
  if (status.pending.length > 0) {
    const holder = serverUsing(file);
    if (holder) {
      throw new PreflightError(
        `${status.pending.length} database migration(s) to apply to ${file}, but an Autodidact server (pid ${holder.pid}) is using it: stop that server, then run this command again`,
      );
    }
    const code = await run(process.execPath, [prismaBin, 'migrate', 'deploy'], {
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    });
    if (code !== 0) throw new Error(`Migrations failed for ${databaseUrl} (prisma migrate deploy exit code ${code}).`);
  }
  restrictDatabaseFile(file);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  migrate().catch((error) => {
    console.error(`✖ ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
