'use client';

// Styles ship with the page, not with the lazy chunk, so the server-rendered frame is styled.
import '../lab.module.css';
import { lazyWidget } from '../lazyWidget';

import type { GraphPlaygroundClient } from './GraphPlaygroundClient';

// The widget's code loads after the page's own scripts; the server still renders its first frame.
export const GraphPlaygroundLazy = lazyWidget(
  () => import('./GraphPlaygroundClient').then((m) => m.GraphPlaygroundClient),
  typeof window === 'undefined'
    ? // Server only (see lazyWidget): compiled out of the browser bundle.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./GraphPlaygroundClient') as { GraphPlaygroundClient: typeof GraphPlaygroundClient })
        .GraphPlaygroundClient
    : undefined,
);
