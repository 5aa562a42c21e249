import path from 'node:path';

import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;
const alias = { '@': root };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          // Unit tests sit beside the code; Playwright specs (tests/e2e) are not Vitest's.
          include: ['lib/**/*.test.ts', 'app/**/*.test.ts', 'content/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        resolve: {
          alias: {
            ...alias,
            // `server-only` throws outside a React Server Components bundle. These tests run
            // server modules directly in Node, which is the server, so the guard is swapped
            // for its own empty module (the one the react-server condition picks).
            'server-only': path.join(root, 'node_modules/server-only/empty.js'),
          },
        },
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts', 'tests/security/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
