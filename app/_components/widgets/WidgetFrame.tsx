'use client';

/**
 * The titled box every lesson widget sits in: `data-widget="<kind>"` (the test contract), the
 * kind's title from lib/widgets/catalog (the instructor's timeline names it the same way), the
 * widget, an optional caption, and Reset / "Copy link to this setup" buttons.
 *
 *   <WidgetFrame kind="forward-pass" id="fp" onReset={reset} shareUrl={shareUrl}
 *     caption="Drag w and watch every node follow.">
 *     ...controls, <GraphView/>, <NodeTable/>
 *   </WidgetFrame>
 *
 * After hydration the figure gets `data-ready="true"`: tests wait for it.
 */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

import { WIDGETS, type KnownWidgetKind } from '@/lib/widgets/catalog';

import styles from './widgets.module.css';

export interface WidgetFrameProps {
  kind: KnownWidgetKind;
  /** Instance id: the URL prefix, also used for the element id `widget-<id>`. */
  id: string;
  caption?: ReactNode;
  onReset: () => void;
  shareUrl: () => string;
  children: ReactNode;
}

export function WidgetFrame({ kind, id, caption, onReset, shareUrl, children }: WidgetFrameProps) {
  const titleId = useId();
  const [status, setStatus] = useState('');
  const [fallbackUrl, setFallbackUrl] = useState<string | null>(null);
  const figure = useRef<HTMLElement>(null);
  // `data-ready` marks a hydrated widget (it has read its URL state and handles input), so
  // browser tests can wait for it instead of sleeping.
  useEffect(() => {
    if (figure.current) figure.current.dataset.ready = 'true';
  }, []);

  const copy = () => {
    const url = shareUrl();
    const done = () => {
      setFallbackUrl(null);
      setStatus('Link copied.');
    };
    const fail = () => {
      setFallbackUrl(url);
      setStatus('Copy the link below.');
    };
    if (navigator.clipboard?.writeText) navigator.clipboard.writeText(url).then(done, fail);
    else fail();
  };

  return (
    <figure ref={figure} className={styles.frame} data-widget={kind} id={`widget-${id}`} aria-labelledby={titleId}>
      <div className={styles.frameHeader}>
        <p className={styles.frameTitle} id={titleId}>
          {WIDGETS[kind].title}
        </p>
        <div className={styles.frameActions}>
          <button
            type="button"
            className={styles.button}
            onClick={() => {
              onReset();
              setStatus('Reset.');
            }}
          >
            Reset
          </button>
          <button type="button" className={styles.button} onClick={copy}>
            Copy link to this setup
          </button>
        </div>
      </div>
      {children}
      {caption ? <figcaption className={styles.caption}>{caption}</figcaption> : null}
      <p className={styles.status} role="status">
        {status}
      </p>
      {fallbackUrl ? (
        <input
          className={styles.linkField}
          readOnly
          value={fallbackUrl}
          aria-label="Link to this setup"
          onFocus={(event) => event.currentTarget.select()}
        />
      ) : null}
    </figure>
  );
}
