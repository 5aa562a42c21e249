// The server Playwright starts: a fresh, migrated database of its own, then the production
// build (which lib/cli/test.mjs made just before) on E2E_PORT.
import { rmSync } from 'node:fs';
import path from 'node:path';

import { migrate } from './migrate.mjs';
import { nextBin, root, run } from './shared.mjs';

const databaseUrl = process.env.DATABASE_URL ?? 'file:./data/e2e.db';
const file = path.resolve(root, databaseUrl.replace(/^file:/, ''));
for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
await migrate(databaseUrl);
process.exit(
  await run(process.execPath, [nextBin, 'start', '-p', process.env.PORT ?? '3100'], {
    env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: databaseUrl },
  }),
);
