// `npm run privacy:purge [-- --days N]`: deletes anonymous learners (in no class, not from an LMS)
// inactive for N days (default AUTODIDACT_RETENTION_DAYS, 365), now, as the server's daily job
// does (lib/server/privacy/retention.ts; docs/privacy.md). Prints a running count.
import { parseArgs } from 'node:util';

import { serverEnv } from '@/lib/env';
import { getDb } from '@/lib/server/db/client';
import { purgeInactiveLearners } from '@/lib/server/privacy/retention';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { days: { type: 'string' } } });
  const days = values.days === undefined ? serverEnv().AUTODIDACT_RETENTION_DAYS : Number(values.days);
  if (!Number.isInteger(days) || days < 1) {
    console.error('✖ --days must be a whole number of days, 1 or more.');
    return 2;
  }
  console.log(`▸ Deleting anonymous learners inactive for ${days} days…`);
  const result = await purgeInactiveLearners(await getDb(), days, new Date(), (deleted) => {
    process.stdout.write(`\r  ${deleted} deleted`);
  });
  if (result.learners > 0) process.stdout.write('\n');
  console.log(`✔ ${result.learners} learner(s) deleted (last active before ${result.cutoff.toISOString()}).`);
  return 0;
}

process.exit(await main());
