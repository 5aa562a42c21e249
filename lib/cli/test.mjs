// `npm test`: the one command that checks everything, in the order that fails fastest:
// formatting, lint (typed rules), types, unit tests, integration tests on real SQLite files,
// then a production build and the browser tests against it.
import { existsSync } from 'node:fs';

import { CHROMIUM_PATH as chromium } from './chromium.mjs';
import { nextBin, runOrExit } from './shared.mjs';

if (!existsSync(chromium)) {
  console.error(
    `✖ Browser tests need Chromium at ${chromium}: install it with "sudo apt-get install -y chromium" (Debian/Ubuntu) or set CHROMIUM_PATH to an existing Chromium binary.`,
  );
  process.exit(1);
}

const npx = (args) => ['npx', ['--no-install', ...args]];
const steps = [
  ['format check (prettier)', ...npx(['prettier', '--check', '--log-level', 'warn', '.'])],
  ['lint (eslint)', ...npx(['eslint', '--max-warnings', '0', '.'])],
  ['typecheck (tsc)', ...npx(['tsc', '--noEmit'])],
  ['unit tests (vitest)', ...npx(['vitest', 'run', '--project', 'unit'])],
  ['integration tests (vitest, SQLite)', ...npx(['vitest', 'run', '--project', 'integration'])],
  ['production build (next build)', process.execPath, [nextBin, 'build']],
  ['browser tests (playwright)', ...npx(['playwright', 'test'])],
];

for (const [label, command, args] of steps) {
  console.log(`\n▸ ${label}`);
  await runOrExit(label, command, args);
}
console.log('\n✔ All checks passed.');
