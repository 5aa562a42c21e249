// Writes a new SQLite migration from the difference between the existing migrations and
// prisma/schema.prisma. `prisma migrate dev` cannot run with Prisma 6.19's wasm engine, so
// this is its substitute (see docs/decisions/001-stack-and-offline-prisma.md).
// Usage: npm run db:migration -- <name>
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('Usage: npm run db:migration -- <name>   (lowercase letters, digits and _ only)');
  process.exit(2);
}
const dir = path.join('prisma', 'migrations');
const hasMigrations = existsSync(dir) && readdirSync(dir).some((entry) => /^\d{14}_/.test(entry));
const from = hasMigrations ? ['--from-migrations', dir] : ['--from-empty'];
const sql = execFileSync(
  'npx',
  ['prisma', 'migrate', 'diff', ...from, '--to-schema-datamodel', 'prisma/schema.prisma', '--script'],
  { encoding: 'utf8' },
);
if (!/\b(CREATE|ALTER|DROP)\b/.test(sql)) {
  console.log('Schema and migrations already match: no migration written.');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const target = path.join(dir, `${stamp}_${name}`);
mkdirSync(target, { recursive: true });
writeFileSync(path.join(target, 'migration.sql'), sql);
if (!existsSync(path.join(dir, 'migration_lock.toml'))) {
  writeFileSync(path.join(dir, 'migration_lock.toml'), 'provider = "sqlite"\n');
}
console.log(`Wrote ${path.join(target, 'migration.sql')}`);
