'use client';

/**
 * Keeps a widget's code out of the page's first-load JS while the server still renders its
 * full first frame. The server renders the widget as usual; in the browser the component is
 * a React.lazy import, so hydration suspends at this boundary, React keeps the server HTML in
 * place (no layout jump, nothing blank), fetches the widget's chunk after the page's own
 * scripts, and hydrates the widget when it arrives.
 *
 *   // forward-pass/ForwardPassLazy.tsx
 *   'use client';
 *   export const ForwardPassLazy = lazyWidget(() => import('./ForwardPassClient').then((m) => m.ForwardPassClient));
 *   // forward-pass/ForwardPassWidget.tsx (server): <ForwardPassLazy id="fp" layouts={...} />
 *
 * The import() must be written in the widget's own 'use client' file (a function cannot be
 * passed from a server component). Props must be serialisable, as for any client component.
 */
import { lazy, Suspense, type ComponentType } from 'react';

export function lazyWidget<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const Impl = lazy(async () => ({ default: await load() }));
  function LazyWidget(props: P) {
    return (
      <Suspense fallback={null}>
        <Impl {...props} />
      </Suspense>
    );
  }
  return LazyWidget;
}
