import { useId } from 'react';

import { arrowBetween, type Shape } from './diagram/geometry';
import styles from './diagram/Diagram.module.css';

/**
 * weight -> hidden value -> activation -> loss, with the local derivative on each link and a
 * bracket that gathers them into one total sensitivity, dL/dw. A static SVG with a wide and a
 * tall layout (CSS container query picks one), so it reads on a phone.
 */

const STAGES = [
  { word: 'weight', symbol: 'w', param: true },
  { word: 'hidden value', symbol: 'z', param: false },
  { word: 'activation', symbol: 'a', param: false },
  { word: 'loss', symbol: 'L', param: false },
] as const;

/** The local derivative on each link, in forward order. */
const LINKS = ['∂z/∂w', '∂a/∂z', '∂L/∂a'] as const;
const TOTAL = '∂L/∂w = ∂L/∂a · ∂a/∂z · ∂z/∂w';

function Box({
  shape,
  word,
  symbol,
  param,
}: {
  shape: Extract<Shape, { kind: 'rect' }>;
  word: string;
  symbol: string;
  param: boolean;
}) {
  return (
    <g>
      <rect
        x={shape.x - shape.w / 2}
        y={shape.y - shape.h / 2}
        width={shape.w}
        height={shape.h}
        rx={10}
        className={`${styles.box} ${param ? styles.boxParam : ''}`}
      />
      <text x={shape.x} y={shape.y - 5} textAnchor="middle" className={styles.boxLabel}>
        {word}
      </text>
      <text x={shape.x} y={shape.y + 19} textAnchor="middle" className={styles.boxSub}>
        {symbol}
      </text>
    </g>
  );
}

function Wide({ titleId, title }: { titleId: string; title: string }) {
  const boxes = STAGES.map((_, i) => ({ kind: 'rect' as const, x: 80 + i * 200, y: 62, w: 132, h: 64 }));
  const tickTop = 94;
  const bar = 122;
  const mid = 380;
  return (
    <svg className={`${styles.svg} ${styles.wide}`} viewBox="0 0 760 212" role="img" aria-labelledby={titleId}>
      <title id={titleId}>{title}</title>
      {LINKS.map((label, i) => {
        const arrow = arrowBetween(boxes[i]!, boxes[i + 1]!);
        const cx = (arrow.start.x + arrow.end.x) / 2 + 4;
        return (
          <g key={label} className={styles.forward}>
            <line x1={arrow.start.x} y1={arrow.start.y} x2={arrow.end.x} y2={arrow.end.y} className={styles.shaft} />
            <polygon points={arrow.head} className={styles.head} />
            <text x={cx} y={48} textAnchor="middle" className={styles.edgeLabel}>
              {label}
            </text>
          </g>
        );
      })}
      {STAGES.map((stage, i) => (
        <Box key={stage.word} shape={boxes[i]!} word={stage.word} symbol={stage.symbol} param={stage.param} />
      ))}
      <path
        className={styles.bracket}
        d={
          boxes.map((b) => `M${b.x},${tickTop} V${bar}`).join(' ') +
          ` M${boxes[0]!.x},${bar} H${boxes[3]!.x} M${mid},${bar} V${bar + 34}`
        }
      />
      <polygon
        className={styles.bracketHead}
        points={`${mid},${bar + 46} ${mid - 6},${bar + 33} ${mid + 6},${bar + 33}`}
      />
      <text x={mid + 14} y={bar + 24} className={styles.note}>
        chain of local derivatives, multiplied
      </text>
      <text x={mid} y={bar + 80} textAnchor="middle" className={styles.note}>
        <tspan className={styles.noteStrong}>total sensitivity </tspan>
        <tspan className={styles.mathText}>{TOTAL}</tspan>
      </text>
    </svg>
  );
}

function Tall({ titleId, title }: { titleId: string; title: string }) {
  const boxes = STAGES.map((_, i) => ({ kind: 'rect' as const, x: 115, y: 38 + i * 104, w: 176, h: 60 }));
  const rail = 250;
  const last = boxes[3]!;
  return (
    <svg className={`${styles.svg} ${styles.tall}`} viewBox="0 0 360 500" role="img" aria-labelledby={titleId}>
      <title id={titleId}>{title}</title>
      {LINKS.map((label, i) => {
        const arrow = arrowBetween(boxes[i]!, boxes[i + 1]!);
        return (
          <g key={label} className={styles.forward}>
            <line x1={arrow.start.x} y1={arrow.start.y} x2={arrow.end.x} y2={arrow.end.y} className={styles.shaft} />
            <polygon points={arrow.head} className={styles.head} />
            <text x={130} y={(arrow.start.y + arrow.end.y) / 2 + 8} className={styles.edgeLabel}>
              {label}
            </text>
          </g>
        );
      })}
      {STAGES.map((stage, i) => (
        <Box key={stage.word} shape={boxes[i]!} word={stage.word} symbol={stage.symbol} param={stage.param} />
      ))}
      <path
        className={styles.bracket}
        d={
          boxes.map((b) => `M${b.x + b.w / 2 + 6},${b.y} H${rail}`).join(' ') +
          ` M${rail},${boxes[0]!.y} V${last.y + 56}`
        }
      />
      <polygon
        className={styles.bracketHead}
        points={`${rail},${last.y + 68} ${rail - 6},${last.y + 55} ${rail + 6},${last.y + 55}`}
      />
      <text
        x={rail + 22}
        y={boxes[1]!.y + 52}
        className={styles.note}
        transform={`rotate(90 ${rail + 22} ${boxes[1]!.y + 52})`}
        textAnchor="middle"
      >
        local derivatives, multiplied
      </text>
      <text x={180} y={last.y + 96} textAnchor="middle" className={`${styles.note} ${styles.noteStrong}`}>
        total sensitivity
      </text>
      <text x={180} y={last.y + 122} textAnchor="middle" className={styles.mathText}>
        {TOTAL}
      </text>
    </svg>
  );
}

export function ChainOfInfluence({ caption }: { caption?: string }) {
  const id = useId();
  const descId = `${id}-desc`;
  const title = 'How a weight influences the loss through a chain of local derivatives';
  return (
    <figure className={styles.figure} aria-describedby={descId}>
      <div className={styles.frame}>
        <Wide titleId={`${id}-wide`} title={title} />
        <Tall titleId={`${id}-tall`} title={title} />
      </div>
      <p id={descId} className="visually-hidden">
        Four boxes in a row: the weight w, the hidden value z, the activation a and the loss L, joined by arrows. The
        arrow from w to z is labelled dz/dw, the arrow from z to a is labelled da/dz, and the arrow from a to L is
        labelled dL/da. A bracket gathers all three links into one total sensitivity: dL/dw equals dL/da times da/dz
        times dz/dw.
      </p>
      {caption && <figcaption className={`${styles.caption} ${styles.captionText}`}>{caption}</figcaption>}
    </figure>
  );
}
