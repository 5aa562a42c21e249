import 'server-only';

import path from 'node:path';

import { serverEnv } from '@/lib/env';

import {
  claimDatabase,
  DatabaseInUseError,
  migrationStatus,
  MigrationsNewerError,
  restrictDatabaseFile,
  sqliteFile,
} from './preflight.mjs';

/**
 * At server start, before the first query (instrumentation.ts): a SQLite database must be this
 * server's alone, migrated, and no newer than the code. Otherwise the server prints one line
 * with the cause and the fix and exits 1 without having written anything, and a server already
 * using the file keeps serving (docs/decisions/018). PostgreSQL is shared by design.
 */
export function claimSqliteDatabase(): void {
  const { DATABASE_URL, PORT } = serverEnv();
  if (!DATABASE_URL.startsWith('file:')) return;
  const file = sqliteFile(DATABASE_URL);
  try {
    const status = migrationStatus(file, path.join(process.cwd(), 'prisma', 'migrations'));
    if (status.unknown.length > 0) throw new MigrationsNewerError(file, status.unknown);
    if (status.pending.length > 0) {
      stop(
        status.exists
          ? `database ${file} needs ${status.pending.length} migration(s) first: run \`npm run db:migrate\` (npm start does it for you)`
          : `database ${file} does not exist yet: run \`npm run db:migrate\` to create it (npm start does it for you)`,
      );
    }
    claimDatabase(file, process.env.PORT ?? String(PORT));
    restrictDatabaseFile(file);
  } catch (error) {
    if (error instanceof DatabaseInUseError || error instanceof MigrationsNewerError) stop(error.message);
    throw error;
  }
}

function stop(message: string): never {
  // A plain line on stderr rather than a JSON log: this is read by a person at a terminal.
  console.error(`✖ ${message}`);
  process.exit(1);
}
