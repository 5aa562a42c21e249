'use client';

import { lazyWidget } from '../lazyWidget';

export const ForwardPassLazy = lazyWidget(() => import('./ForwardPassClient').then((m) => m.ForwardPassClient));
