'use client';

// Styles ship with the page, not with the lazy chunk, so the server-rendered frame is styled.
import '../lab.module.css';
import { lazyWidget } from '../lazyWidget';

import type { GradientStepClient } from './GradientStepClient';

// The widget's code loads after the page's own scripts; the server still renders its first frame.
export const GradientStepLazy = lazyWidget(
  () => import('./GradientStepClient').then((m) => m.GradientStepClient),
  typeof window === 'undefined'
    ? // Server only (see lazyWidget): compiled out of the browser bundle.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./GradientStepClient') as { GradientStepClient: typeof GradientStepClient }).GradientStepClient
    : undefined,
);
