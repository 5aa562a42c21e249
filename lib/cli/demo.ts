// `npm run demo`: fills the database (DATABASE_URL, default ./data/autodidact.db) with a demo
// class of simulated learners owned by a demo instructor, and prints how to sign in. Run it
// after `npm start` has created the database, or on its own: it applies migrations first.
// Options: --learners <n> (default 200), --seed <n>.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { migrate } from '@/lib/cli/migrate.mjs';
import { LESSON_SLUGS } from '@/lib/content/catalog';
import { serverEnv } from '@/lib/env';
import { syncRows } from '@/lib/server/content-sync';
import { getDb } from '@/lib/server/db/client';
import { seedDemo } from '@/lib/server/instructor/demo';

const { values } = parseArgs({ options: { learners: { type: 'string' }, seed: { type: 'string' } } });
const learnerCount = Number(values.learners ?? 200);
const seed = Number(values.seed ?? 2026);
if (!Number.isInteger(learnerCount) || learnerCount < 1 || learnerCount > 20_000 || !Number.isInteger(seed)) {
  console.error('Usage: npm run demo -- [--learners 1..20000] [--seed <integer>]');
  process.exit(2);
}

const { DATABASE_URL } = serverEnv();
await migrate(DATABASE_URL);
const db = await getDb();
// The server syncs lessons from compiled MDX at start; a script cannot compile MDX, so it reads
// each title from the frontmatter text (the server's next start overwrites it with the real one).
await syncRows(
  db,
  LESSON_SLUGS.map((slug, index) => {
    const source = readFileSync(`content/lessons/${slug}/lesson.mdx`, 'utf8');
    const title = /^title:\s*['"]?(.+?)['"]?\s*$/m.exec(source)?.[1] ?? slug;
    return { slug, title, order: index + 1 };
  }),
);
const result = await seedDemo(db, { learnerCount, seed });
console.log(
  `✔ Demo class with ${result.learners} learners, ${result.events} events, ${result.responses} answers and ${result.practice} practice attempts.`,
);
console.log(`  Sign in at http://localhost:${serverEnv().PORT}/instructor/login`);
console.log(`  Email:    ${result.email}`);
console.log(
  result.password
    ? `  Password: ${result.password}   (shown once; run the demo again on a fresh database for a new one)`
    : '  Password: unchanged from the first `npm run demo` on this database',
);
console.log(`  Class join code: ${result.joinCode}`);
await db.$disconnect();
