import path from 'node:path';

import { defineConfig } from 'vitest/config';

const root = path.resolve(import.meta.dirname, '..', '..');

// `npm run test:multi-instance`: tests against real production servers (a build is required; see
// tests/multi-instance/app-server.ts). Kept out of the integration project, which runs before the
// build in `npm test`; .ci/run runs it after `npm test`, reusing that build.
export default defineConfig({
  root,
  resolve: { alias: { '@': root } },
  test: {
    name: 'multi-instance',
    include: ['tests/multi-instance/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Fixed ports: one file at a time.
    fileParallelism: false,
  },
});
