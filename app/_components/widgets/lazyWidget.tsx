'use client';

/**
 * Keeps a widget's code out of the page's first-load JS while the server still renders the
 * whole widget inline, as its static first frame.
 *
 *   // forward-pass/ForwardPassLazy.tsx
 *   'use client';
 *   import type { ForwardPassClient } from './ForwardPassClient';
 *   export const ForwardPassLazy = lazyWidget(
 *     () => import('./ForwardPassClient').then((m) => m.ForwardPassClient),
 *     typeof window === 'undefined'
 *       ? (require('./ForwardPassClient') as { ForwardPassClient: typeof ForwardPassClient }).ForwardPassClient
 *       : undefined,
 *   );
 *   // forward-pass/ForwardPassWidget.tsx (server): <ForwardPassLazy id="fp" layouts={...} />
 *
 * - Server: the second argument is the widget itself (Next compiles the `typeof window` branch
 *   out of the browser bundle), rendered in place: the HTML holds the full widget, readable
 *   without JavaScript.
 * - Hydration: the wrapper claims that HTML without hydrating it (an empty
 *   dangerouslySetInnerHTML, which React leaves alone), so the page hydrates without the
 *   widget's code and nothing moves.
 * - After hydration: the widget's chunk is imported and rendered in the same place with the
 *   same markup, then reads its URL state. `data-ready` on WidgetFrame marks this moment.
 *
 * No Suspense boundary on purpose: React outlines a large boundary's server HTML to the end
 * of the document (a hidden <div> moved in by a script), which would make the frame jump in
 * late and vanish without JavaScript. Props must be serialisable, as for any client component.
 * A widget's own CSS module must also be imported by its *Lazy.tsx file (see below).
 */
import { useEffect, useState, type ComponentType } from 'react';

// Imported here, in the page's own bundle, so the server-rendered frame is styled before the
// widget's chunk arrives (CSS imported only by the lazy chunk would load with it: a flash of
// unstyled widget). A widget with its own CSS module imports it in its *Lazy.tsx file too.
import styles from './widgets.module.css';

export function lazyWidget<P extends object>(
  load: () => Promise<ComponentType<P>>,
  onServer?: ComponentType<P>,
): ComponentType<P> {
  function LazyWidget(props: P) {
    const [Loaded, setLoaded] = useState<ComponentType<P> | null>(null);
    useEffect(() => {
      let live = true;
      void load().then((component) => {
        if (live) setLoaded(() => component);
      });
      return () => {
        live = false;
      };
    }, []);
    const Widget = onServer ?? Loaded;
    if (Widget) {
      return (
        <div className={styles.deferred}>
          <Widget {...props} />
        </div>
      );
    }
    return <div className={styles.deferred} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: '' }} />;
  }
  return LazyWidget;
}
