'use client';

// Styles ship with the page, not with the lazy chunk, so the server-rendered frame is styled.
import './network.module.css';
import { lazyWidget } from '../lazyWidget';

import type { NetworkClient } from './NetworkClient';

// The widget's code (the trainer, the engine, the views) loads when it nears the viewport.
export const NetworkLazy = lazyWidget(
  () => import('./NetworkClient').then((m) => m.NetworkClient),
  typeof window === 'undefined'
    ? // Server only (see lazyWidget): compiled out of the browser bundle.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./NetworkClient') as { NetworkClient: typeof NetworkClient }).NetworkClient
    : undefined,
);
