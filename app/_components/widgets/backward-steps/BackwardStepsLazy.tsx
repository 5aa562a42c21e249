'use client';

import { lazyWidget } from '../lazyWidget';

import type { BackwardStepsClient } from './BackwardStepsClient';

export const BackwardStepsLazy = lazyWidget(
  () => import('./BackwardStepsClient').then((m) => m.BackwardStepsClient),
  typeof window === 'undefined'
    ? // Server only (see lazyWidget): compiled out of the browser bundle.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./BackwardStepsClient') as { BackwardStepsClient: typeof BackwardStepsClient }).BackwardStepsClient
    : undefined,
);
