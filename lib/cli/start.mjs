// `npm start`: everything a newcomer needs after `npm install`. Builds the app when no
// production build exists (or the sources are newer than it), creates and migrates the
// database, then serves on PORT (default 3000). The server loads the course content itself
// at startup (instrumentation.ts).
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

import { migrate } from './migrate.mjs';
import { DEFAULT_DATABASE_URL, newestMtime, nextBin, root, run, runOrExit } from './shared.mjs';

const port = process.env.PORT ?? '3000';
const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const distDir = process.env.NEXT_DIST_DIR ?? '.next';
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

console.log(`▸ Serving on http://localhost:${port}`);
process.exit(
  await run(process.execPath, [nextBin, 'start', '-p', port], {
    env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: databaseUrl, PORT: port },
  }),
);
