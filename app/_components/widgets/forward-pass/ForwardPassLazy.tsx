'use client';

import { lazyWidget } from '../lazyWidget';

import type { ForwardPassClient } from './ForwardPassClient';

export const ForwardPassLazy = lazyWidget(
  () => import('./ForwardPassClient').then((m) => m.ForwardPassClient),
  typeof window === 'undefined'
    ? // Server only (see lazyWidget): compiled out of the browser bundle.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./ForwardPassClient') as { ForwardPassClient: typeof ForwardPassClient }).ForwardPassClient
    : undefined,
);
