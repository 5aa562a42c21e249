'use client';

// Styles ship with the page, not with the lazy chunk, so the server-rendered frame is styled.
import '../lab.module.css';
import { lazyWidget } from '../lazyWidget';

import type { NudgeTestClient } from './NudgeTestClient';

// The widget's code loads after the page's own scripts; the server still renders its first frame.
export const NudgeTestLazy = lazyWidget(
  () => import('./NudgeTestClient').then((m) => m.NudgeTestClient),
  typeof window === 'undefined'
    ? // Server only (see lazyWidget): compiled out of the browser bundle.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./NudgeTestClient') as { NudgeTestClient: typeof NudgeTestClient }).NudgeTestClient
    : undefined,
);
