'use client';

import { lazyWidget } from '../lazyWidget';

export const BlamePathsLazy = lazyWidget(() => import('./BlamePathsClient').then((m) => m.BlamePathsClient));
