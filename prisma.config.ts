import path from 'node:path';

import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { defineConfig } from 'prisma/config';

// Prisma 6.19's JavaScript schema engine (WebAssembly) works offline; the native engine that
// Prisma 7 needs would be downloaded at install time, which these machines cannot do.
// See docs/decisions/001-stack-and-offline-prisma.md. PostgreSQL migrations use
// lib/cli/migrate-postgres.mjs instead, because this engine cannot introspect PostgreSQL.
// Prisma skips .env when a config file exists, so the default mirrors lib/env.ts.
const url = process.env.DATABASE_URL?.startsWith('file:') ? process.env.DATABASE_URL : 'file:./data/autodidact.db';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  adapter: () => Promise.resolve(new PrismaBetterSQLite3({ url })),
});
