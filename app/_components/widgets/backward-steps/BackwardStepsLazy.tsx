'use client';

import { lazyWidget } from '../lazyWidget';

export const BackwardStepsLazy = lazyWidget(() => import('./BackwardStepsClient').then((m) => m.BackwardStepsClient));
