/**
 * `npm run faults [-- kill9 | pg-restart]`: the fault scripts (docs/decisions/009). Each is
 * bounded in count and time, prints what it saw, and exits 1 when a check fails. They start
 * production servers of the build in NEXT_DIST_DIR (default .next) on ports 3164-3165.
 * pg-restart stops and restarts the shared PostgreSQL server for a few seconds: run it alone.
 */
import { assertBuilt } from '../multi-instance/app-server';
import { kill9 } from './kill9.fault';
import { pgRestart } from './pg-restart.fault';

const faults: Record<string, () => Promise<boolean>> = { kill9, 'pg-restart': pgRestart };

async function main(): Promise<void> {
  assertBuilt();
  const chosen = process.argv.slice(2);
  const names = chosen.length > 0 ? chosen : Object.keys(faults);
  let ok = true;
  for (const name of names) {
    const run = faults[name];
    if (!run) throw new Error(`unknown fault "${name}"; choose from ${Object.keys(faults).join(', ')}`);
    console.log(`\n▸ fault: ${name}`);
    ok = (await run()) && ok;
  }
  process.exit(ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
