import type { ReactNode } from 'react';

import styles from './BeforeAfter.module.css';

/**
 * Two columns side by side (stacked on phones), for "before this lesson / after it"
 * comparisons. MDX has no GFM tables here, and a table would be the wrong shape anyway:
 * the two lists are not rows that line up. Children are Markdown.
 */
export function BeforeAfter({ children }: { children: ReactNode }) {
  return <div className={styles.grid}>{children}</div>;
}

export function Column({
  title,
  tone = 'neutral',
  children,
}: {
  title: string;
  tone?: 'before' | 'after' | 'neutral';
  children: ReactNode;
}) {
  return (
    <section className={`${styles.column} ${styles[tone]}`} aria-label={title}>
      <p className={styles.title}>{title}</p>
      <div className={styles.body}>{children}</div>
    </section>
  );
}
