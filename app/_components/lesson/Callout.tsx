import type { ReactNode } from 'react';

const LABELS = {
  aha: 'The aha moment',
  note: 'Note',
  tip: 'Try this',
  warning: 'Watch out',
} as const;

export function Callout({
  kind = 'note',
  title,
  children,
}: {
  kind?: keyof typeof LABELS;
  title?: string;
  children: ReactNode;
}) {
  return (
    <aside className={`callout callout-${kind}`} aria-label={title ?? LABELS[kind]}>
      <p className="callout-title">{title ?? LABELS[kind]}</p>
      <div className="callout-body">{children}</div>
    </aside>
  );
}
