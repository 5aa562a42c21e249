'use client';

import { lazyWidget } from '../lazyWidget';

import type { BlamePathsClient } from './BlamePathsClient';

export const BlamePathsLazy = lazyWidget(
  () => import('./BlamePathsClient').then((m) => m.BlamePathsClient),
  typeof window === 'undefined'
    ? // Server only (see lazyWidget): compiled out of the browser bundle.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./BlamePathsClient') as { BlamePathsClient: typeof BlamePathsClient }).BlamePathsClient
    : undefined,
);
