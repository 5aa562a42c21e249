import type { ReactNode } from 'react';

import styles from './widgets.module.css';

/**
 * The box a widget's data table scrolls in when it is wider than the screen (a small phone).
 * It is in the tab order so a keyboard can reach it and scroll with the arrow keys (axe:
 * scrollable-region-focusable). Always, not only while it overflows: the server-rendered first
 * frame of a widget that has not loaded yet must already be reachable, and it cannot measure.
 */
export function TableScroll({ children }: { children: ReactNode }) {
  return (
    <div className={styles.tableScroll} tabIndex={0}>
      {children}
    </div>
  );
}
