'use client';

/** The training pictures: the decision boundary over the data, the loss curve, and the blame per layer. */
import { memo, useEffect, useRef } from 'react';

import type { Dataset } from '@/lib/network/data';
import { forwardLogit, type NetworkSpec } from '@/lib/network/model';
import type { LayerBlame, Snapshot } from '@/lib/network/session';

import { formatNumber } from '../format';

import { prettyName } from './names';
import styles from './network.module.css';

/** Shading resolution: 40 x 40 cells, scaled up smoothly by the browser. */
const GRID = 40;
/** The square drawn: the data's [-1, 1]² plus a margin. */
const EXTENT = 1.15;

const toScreen = (v: number) => ((v + EXTENT) / (2 * EXTENT)) * 100;

interface BoundaryProps {
  spec: NetworkSpec;
  params: Float64Array;
  data: Dataset;
  point: number;
  onPoint: (point: number) => void;
}

/**
 * The network's answer everywhere: blue where it says 1, orange where it says 0, paler near
 * 0.5 (the boundary). Points keep their own shapes (circle 1, square 0), so colour is not the
 * only cue. The shading is plain forward arithmetic (model.forwardLogit), redrawn per step.
 */
/** The shading's colours, light and dark; the scheme is read from one MediaQueryList. */
const ONE = { light: [31, 95, 209], dark: [122, 167, 255] } as const;
const ZERO = { light: [217, 115, 26], dark: [242, 166, 90] } as const;
let darkQuery: MediaQueryList | null = null;

/** The cell centres along one axis, the same for every redraw. */
const CENTRES = Array.from({ length: GRID }, (_, i) => -EXTENT + ((i + 0.5) / GRID) * 2 * EXTENT);

function BoundaryImpl({ spec, params, data, point, onPoint }: BoundaryProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  // One image and one scratch buffer for every redraw (a Step redraws all 1,600 cells).
  const buffers = useRef<{ image: ImageData; scratch: Float64Array } | null>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    buffers.current ??= { image: context.createImageData(GRID, GRID), scratch: new Float64Array(6) };
    const { image, scratch } = buffers.current;
    const pixels = image.data;
    darkQuery ??= window.matchMedia('(prefers-color-scheme: dark)');
    const scheme = darkQuery.matches ? 'dark' : 'light';
    const one = ONE[scheme];
    const zero = ZERO[scheme];
    for (let row = 0; row < GRID; row++) {
      const x2 = -CENTRES[row]!;
      for (let col = 0; col < GRID; col++) {
        const logit = forwardLogit(spec, params, CENTRES[col]!, x2, scratch);
        const p = logit >= 0 ? 1 / (1 + Math.exp(-logit)) : Math.exp(logit) / (1 + Math.exp(logit));
        const colour = p >= 0.5 ? one : zero;
        const i = 4 * (row * GRID + col);
        pixels[i] = colour[0];
        pixels[i + 1] = colour[1];
        pixels[i + 2] = colour[2];
        pixels[i + 3] = Number.isFinite(p) ? Math.round(30 + 150 * Math.abs(p - 0.5) * 2) : 0;
      }
    }
    context.putImageData(image, 0, 0);
  }, [spec, params]);

  return (
    <div className={styles.boundary}>
      <canvas ref={canvas} className={styles.boundaryCanvas} width={GRID} height={GRID} aria-hidden="true" />
      <Points data={data} point={point} onPoint={onPoint} />
    </div>
  );
}

const Points = memo(function Points({
  data,
  point,
  onPoint,
}: {
  data: Dataset;
  point: number;
  onPoint: (point: number) => void;
}) {
  const { xs, ys } = data;
  return (
    <svg className={styles.boundaryPoints} viewBox="0 0 100 100" aria-hidden="true">
      {Array.from(ys, (y, n) => {
        const cx = toScreen(xs[2 * n]!);
        const cy = 100 - toScreen(xs[2 * n + 1]!);
        return (
          <g key={n} onClick={() => onPoint(n)}>
            {y === 1 ? (
              <circle className={styles.pointOne} cx={cx} cy={cy} r={2} />
            ) : (
              <rect className={styles.pointZero} x={cx - 1.8} y={cy - 1.8} width={3.6} height={3.6} />
            )}
            <circle className={styles.pointHit} cx={cx} cy={cy} r={3.5} />
          </g>
        );
      })}
      <circle
        className={styles.pointPicked}
        cx={toScreen(xs[2 * point]!)}
        cy={100 - toScreen(xs[2 * point + 1]!)}
        r={4}
      />
    </svg>
  );
});

export const Boundary = memo(BoundaryImpl);

const CURVE = { width: 320, height: 120, left: 38, right: 8, top: 8, bottom: 22 };

function LossCurveImpl({ snapshot }: { snapshot: Snapshot }) {
  const { curve, peakLoss, steps, divergedAt } = snapshot;
  const span = Math.max(50, steps);
  const top = Math.max(peakLoss, 1e-9);
  const w = CURVE.width - CURVE.left - CURVE.right;
  const h = CURVE.height - CURVE.top - CURVE.bottom;
  const px = (s: number) => CURVE.left + (s / span) * w;
  const py = (loss: number) => CURVE.top + h - (Math.min(loss, top) / top) * h;
  const points = curve.map(([s, loss]) => `${px(s).toFixed(1)},${py(loss).toFixed(1)}`).join(' ');
  const label =
    steps === 0
      ? `Loss curve: ${formatNumber(snapshot.loss)} before training.`
      : `Loss curve over ${steps} steps: from ${formatNumber(snapshot.startLoss)} to ${formatNumber(snapshot.loss)}, highest ${formatNumber(peakLoss)}.`;
  return (
    <svg className={styles.curve} viewBox={`0 0 ${CURVE.width} ${CURVE.height}`} role="img" aria-label={label}>
      <line className={styles.curveAxis} x1={CURVE.left} y1={CURVE.top} x2={CURVE.left} y2={CURVE.top + h} />
      <line
        className={styles.curveAxis}
        x1={CURVE.left}
        y1={CURVE.top + h}
        x2={CURVE.width - CURVE.right}
        y2={CURVE.top + h}
      />
      <text className={styles.curveTick} x={CURVE.left - 4} y={CURVE.top + 8} textAnchor="end">
        {formatNumber(top, 3)}
      </text>
      <text className={styles.curveTick} x={CURVE.left - 4} y={CURVE.top + h} textAnchor="end">
        0
      </text>
      <text className={styles.curveTick} x={CURVE.left} y={CURVE.height - 6}>
        step 0
      </text>
      <text className={styles.curveTick} x={CURVE.width - CURVE.right} y={CURVE.height - 6} textAnchor="end">
        {span}
      </text>
      <polyline className={styles.curveLine} points={points} />
      <circle className={styles.curveDot} cx={px(steps)} cy={py(snapshot.loss)} r={3.5} />
      {divergedAt !== null ? (
        <g className={styles.curveStop}>
          <line x1={px(steps) - 5} y1={CURVE.top} x2={px(steps) + 5} y2={CURVE.top + 10} />
          <line x1={px(steps) + 5} y1={CURVE.top} x2={px(steps) - 5} y2={CURVE.top + 10} />
        </g>
      ) : null}
    </svg>
  );
}

export const LossCurve = memo(LossCurveImpl);

/** Bars on a log scale from 1e-6 to 1: a layer 100x starved of blame is visibly shorter. */
function barShare(value: number): number {
  if (!(value > 0)) return 0;
  return Math.max(0, Math.min(1, (Math.log10(value) + 6) / 6));
}

function GradientSizesImpl({ layers, depth }: { layers: readonly LayerBlame[]; depth: number }) {
  return (
    <div className={styles.sizes} data-layer-sizes>
      {layers.map((layer) => (
        <div
          key={layer.layer}
          style={{ display: 'contents' }}
          data-layer={layer.layer}
          data-blame={String(layer.blame)}
        >
          <span>
            Layer {layer.layer}
            {layer.layer === 1 ? ' (first)' : layer.layer === depth ? ' (output)' : ''}
          </span>
          <span className={styles.sizeTrack} aria-hidden="true">
            <span className={styles.sizeBar} style={{ display: 'block', width: `${barShare(layer.blame) * 100}%` }} />
          </span>
          <span>
            {formatNumber(layer.blame, 3)}
            <span className={styles.small}>
              {' '}
              · largest ∂J/∂w: {prettyName(layer.largest.name)} {formatNumber(layer.largest.grad, 3)}
            </span>
          </span>
        </div>
      ))}
    </div>
  );
}

export const GradientSizes = memo(GradientSizesImpl);
