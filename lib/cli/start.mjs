// `npm start`: everything a newcomer needs after `npm install`. Builds the app when no
// production build exists (or the sources are newer than it), creates and migrates the
// database, then serves on PORT (default 3000), on every interface or on HOSTNAME only
// (HOSTNAME=127.0.0.1 serves this machine alone). The server loads the course content itself
// at startup (instrumentation.ts). First, before any slow step, the checks of
// lib/cli/preflight.mjs: a bad DATABASE_URL, a port in use, a database another server holds or
// a data folder that cannot be written each stop it with one line naming the cause and the fix.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

import { DatabaseInUseError, migrationStatus, MigrationsNewerError, serverUsing } from '../server/db/preflight.mjs';
import { migrate, SQLITE_MIGRATIONS_DIR } from './migrate.mjs';
import { checkDataFolderWritable, checkPortFree, exitOnPreflight, parseDatabaseUrl } from './preflight.mjs';
import { DEFAULT_DATABASE_URL, newestMtime, nextBin, root, run, runOrExit, SERVER_NODE_ARGS } from './shared.mjs';

const port = process.env.PORT ?? '3000';
const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const hostname = process.env.HOSTNAME?.trim() || undefined;
const distDir = process.env.NEXT_DIST_DIR ?? '.next';

try {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.kind === 'sqlite') {
    const holder = serverUsing(target.file);
    if (holder) throw new DatabaseInUseError(target.file, holder);
    checkDataFolderWritable(target.file);
    const { unknown } = migrationStatus(target.file, SQLITE_MIGRATIONS_DIR);
    if (unknown.length > 0) throw new MigrationsNewerError(target.file, unknown);
  }
  await checkPortFree(port, hostname);
} catch (error) {
  exitOnPreflight(error);
}
const buildId = path.join(root, distDir, 'BUILD_ID');

const sources = [
  'app',
  'content',
  'lib',
  'public',
  'mdx-components.tsx',
  'instrumentation.ts',
  'next.config.mjs',
  'package.json',
];
const buildIsCurrent = existsSync(buildId) && statSync(buildId).mtimeMs >= newestMtime(sources);
if (!buildIsCurrent) {
  console.log(
    existsSync(buildId)
      ? '▸ Sources changed since the last build: rebuilding…'
      : '▸ No production build yet: building (about a minute)…',
  );
  await runOrExit('next build', process.execPath, [nextBin, 'build'], {
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

console.log('▸ Preparing the database…');
try {
  await migrate(databaseUrl);
} catch (error) {
  console.error(`✖ ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

console.log(
  hostname
    ? `▸ Serving on http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${port}`
    : `▸ Serving on http://localhost:${port} (every network interface; HOSTNAME=127.0.0.1 serves this machine only)`,
);
process.exit(
  await run(
    process.execPath,
    [...SERVER_NODE_ARGS, nextBin, 'start', '-p', port, ...(hostname ? ['-H', hostname] : [])],
    {
      env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: databaseUrl, PORT: port },
    },
  ),
);
