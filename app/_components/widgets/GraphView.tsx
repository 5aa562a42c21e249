'use client';

/**
 * SVG drawing of a laid-out computational graph (micrograd's draw_dot, live). Structure comes
 * from `layout` (computed once, on the server, by lib/graph/layout); numbers come from `trace`,
 * a run of the same program, joined by node id. Nothing is laid out again when values change.
 *
 *   <GraphView layout={layout} trace={run.trace} label="The neuron's graph"
 *     highlightEdges={new Set([edgeKey(step.edge)])} edgeLabels={{ [key]: '∂z/∂p = 1' }} />
 *
 * Test contract: each node is `<g data-node="z" data-value="0.5" data-grad="-0.177...">`, with
 * String(number) at full precision; each edge is `<g data-edge="2>4:0">` (lib/graph edgeKey),
 * with `data-active` when highlighted. Nodes are in Tab order (left to right) and carry an
 * accessible name such as "z = 0.5, dL/dz = −0.1774". Values are drawn in --forward, gradients
 * in --backward. The SVG scales with the column but never below `minScale` of its natural
 * size: narrower screens scroll it sideways, so labels stay readable on a 360px phone.
 *
 * Per slider input only numbers change: nodes and edges are memoised components on their own
 * numbers, flags and label text, the static parts of a node are memoised or constant elements,
 * and edge paths are computed once per layout (docs/decisions/004, update 2).
 */
import { memo, type CSSProperties } from 'react';

import type { Trace } from '@/lib/autodiff/trace';
import type { GraphLayout, LayoutEdge, LayoutNode, Point } from '@/lib/graph/types';

import { dataNumber, formatNumber } from './format';
import styles from './widgets.module.css';

export interface GraphViewProps {
  layout: GraphLayout;
  trace: Trace;
  /** Accessible name of the drawing. */
  label: string;
  /** Name of the output in gradient labels: dL/dz. */
  output?: string;
  highlightEdges?: ReadonlySet<string>;
  highlightNodes?: ReadonlySet<number>;
  /** Fade edges that are not highlighted (paths view). */
  dimOthers?: boolean;
  /** Text drawn on edges, by edge key (a local derivative). Needs a layout made with edgeLabels. */
  edgeLabels?: Readonly<Record<string, string>>;
  /** Node ids whose gradient is drawn as "?" (not yet computed, or not yet revealed). */
  hiddenGrads?: ReadonlySet<number>;
  /** Draw gradients at all (default true). data-grad is always present. */
  showGrads?: boolean;
  onEdgeHover?: (key: string | null) => void;
  onNodeFocus?: (id: number | null) => void;
  /** Smallest on-screen scale before the drawing scrolls sideways. */
  minScale?: number;
}

const ARROW_LENGTH = 9;
const ARROW_HALF_WIDTH = 4.5;

function edgePath(points: readonly Point[]): { d: string; head: string } {
  if (points.length < 2) return { d: '', head: '' };
  const tip = points[points.length - 1]!;
  const before = points[points.length - 2]!;
  const dx = tip.x - before.x;
  const dy = tip.y - before.y;
  const length = Math.hypot(dx, dy) || 1;
  const ux = dx / length;
  const uy = dy / length;
  const base = { x: tip.x - ux * ARROW_LENGTH, y: tip.y - uy * ARROW_LENGTH };
  const r = (n: number) => Math.round(n * 10) / 10;
  const head = [
    `${r(tip.x)},${r(tip.y)}`,
    `${r(base.x - uy * ARROW_HALF_WIDTH)},${r(base.y + ux * ARROW_HALF_WIDTH)}`,
    `${r(base.x + uy * ARROW_HALF_WIDTH)},${r(base.y - ux * ARROW_HALF_WIDTH)}`,
  ].join(' ');
  // A smooth curve through dagre's bend points: straight to the first midpoint, then quadratic
  // segments with each inner point as control, ending at the arrow's base.
  const pts = [...points.slice(0, -1), base];
  let d = `M${r(pts[0]!.x)},${r(pts[0]!.y)}`;
  if (pts.length === 2) d += ` L${r(base.x)},${r(base.y)}`;
  else {
    for (let i = 1; i < pts.length - 1; i++) {
      const control = pts[i]!;
      const next = pts[i + 1]!;
      const end = i === pts.length - 2 ? next : { x: (control.x + next.x) / 2, y: (control.y + next.y) / 2 };
      d += ` Q${r(control.x)},${r(control.y)} ${r(end.x)},${r(end.y)}`;
    }
  }
  return { d, head };
}

function spokenName(node: LayoutNode): string {
  return node.kind === 'op' && node.label === node.opLabel ? `${node.op} node` : node.name;
}

/** Edge paths depend on the layout alone: computed once per layout, not per render. */
const pathCache = new WeakMap<LayoutEdge, { d: string; head: string }>();

function cachedEdgePath(edge: LayoutEdge): { d: string; head: string } {
  let path = pathCache.get(edge);
  if (!path) {
    path = edgePath(edge.points);
    pathCache.set(edge, path);
  }
  return path;
}

interface GraphEdgeProps {
  edge: LayoutEdge;
  active: boolean;
  dim: boolean;
  text: string | undefined;
  onEdgeHover: ((key: string | null) => void) | undefined;
}

/**
 * One edge. Memoised on its own props (the layout object, flags and label text), so a slider
 * input re-renders only the edges whose label or highlight changed.
 */
const GraphEdge = memo(function GraphEdge({ edge, active, dim, text, onEdgeHover }: GraphEdgeProps) {
  const { d, head } = cachedEdgePath(edge);
  const className = [styles.edge, active ? styles.edgeActive : '', dim ? styles.edgeDim : ''].filter(Boolean).join(' ');
  return (
    <g
      className={className}
      data-edge={edge.key}
      data-active={active ? 'true' : undefined}
      onMouseEnter={onEdgeHover ? () => onEdgeHover(edge.key) : undefined}
      onMouseLeave={onEdgeHover ? () => onEdgeHover(null) : undefined}
    >
      {onEdgeHover ? <path className={styles.edgeHit} d={d} /> : null}
      <path className={styles.edgeLine} d={d} />
      <polygon className={styles.edgeHead} points={head} />
      {text ? (
        <text className={styles.edgeLabel} x={edge.label.x} y={edge.label.y - 5} textAnchor="middle">
          {text}
        </text>
      ) : null}
    </g>
  );
});

/** The parts of a node box that never change with values: memoised on the layout node. */
const NodeHead = memo(function NodeHead({ node }: { node: LayoutNode }) {
  return (
    <>
      <rect className={styles.nodeBox} width={node.width} height={node.height} rx={8} />
      <text className={styles.nodeTitle} x={node.width / 2} y={17} textAnchor="middle">
        {node.label}
        {node.opLabel ? <tspan className={styles.nodeOp}>{`  ${node.opLabel}`}</tspan> : null}
      </text>
    </>
  );
});

// Constant elements: React skips an element that is the same object as in the last render.
const VALUE_KEY = (
  <text className={styles.nodeKey} x={7} y={36}>
    val
  </text>
);
const GRAD_KEY = (
  <text className={styles.nodeKey} x={7} y={53}>
    grad
  </text>
);

interface GraphNodeProps {
  node: LayoutNode;
  value: number;
  grad: number;
  gradHidden: boolean;
  showGrads: boolean;
  output: string;
  isOutput: boolean;
  active: boolean;
  onNodeFocus: ((id: number | null) => void) | undefined;
}

/** One node. Memoised on its numbers and flags: a node whose value and gradient did not change skips. */
const GraphNode = memo(function GraphNode({
  node,
  value,
  grad,
  gradHidden,
  showGrads,
  output,
  isOutput,
  active,
  onNodeFocus,
}: GraphNodeProps) {
  const name = spokenName(node);
  const spoken = `${name} = ${formatNumber(value)}${
    showGrads ? `, d${output}/d${name} ${gradHidden ? 'not yet known' : `= ${formatNumber(grad)}`}` : ''
  }`;
  const left = node.x - node.width / 2;
  const top = node.y - node.height / 2;
  const className = [
    styles.node,
    styles[`node_${node.kind}`],
    isOutput ? styles.nodeOutput : '',
    active ? styles.nodeActive : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <g
      className={className}
      data-node={node.name}
      data-value={dataNumber(value)}
      data-grad={dataNumber(grad)}
      transform={`translate(${left} ${top})`}
      tabIndex={0}
      role="img"
      aria-label={spoken}
      onFocus={onNodeFocus ? () => onNodeFocus(node.id) : undefined}
      onBlur={onNodeFocus ? () => onNodeFocus(null) : undefined}
    >
      <NodeHead node={node} />
      {VALUE_KEY}
      <text className={styles.nodeValue} x={node.width - 7} y={36} textAnchor="end">
        {formatNumber(value)}
      </text>
      {showGrads ? (
        <>
          {GRAD_KEY}
          <text className={styles.nodeGrad} x={node.width - 7} y={53} textAnchor="end">
            {gradHidden ? '?' : formatNumber(grad)}
          </text>
        </>
      ) : null}
    </g>
  );
});

function GraphViewImpl({
  layout,
  trace,
  label,
  output = 'L',
  highlightEdges,
  highlightNodes,
  dimOthers = false,
  edgeLabels,
  hiddenGrads,
  showGrads = true,
  onEdgeHover,
  onNodeFocus,
  minScale = 0.9,
}: GraphViewProps) {
  const byId = new Map(trace.nodes.map((node) => [node.id, node]));
  const anyHighlight = (highlightEdges?.size ?? 0) > 0;
  const svgStyle: CSSProperties = { minWidth: Math.round(layout.width * minScale), maxWidth: layout.width * 1.15 };

  return (
    <div
      className={styles.graphScroll}
      // Skipped while far from the viewport (content-visibility in the CSS); until first drawn it
      // counts as this tall: the drawing's natural height plus the padding.
      style={{ containIntrinsicHeight: `auto ${Math.round(layout.height) + 8}px` }}
    >
      <svg
        className={styles.graph}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        width="100%"
        style={svgStyle}
        role="group"
        aria-label={label}
      >
        <g aria-hidden="true">
          {layout.edges.map((edge) => {
            const active = highlightEdges?.has(edge.key) ?? false;
            return (
              <GraphEdge
                key={edge.key}
                edge={edge}
                active={active}
                dim={dimOthers && anyHighlight && !active}
                text={edgeLabels?.[edge.key]}
                onEdgeHover={onEdgeHover}
              />
            );
          })}
        </g>
        {layout.nodes.map((node) => {
          const data = byId.get(node.id);
          return (
            <GraphNode
              key={node.id}
              node={node}
              value={data?.value ?? Number.NaN}
              grad={data?.grad ?? Number.NaN}
              gradHidden={hiddenGrads?.has(node.id) ?? false}
              showGrads={showGrads}
              output={output}
              isOutput={node.id === layout.output}
              active={highlightNodes?.has(node.id) ?? false}
              onNodeFocus={onNodeFocus}
            />
          );
        })}
      </svg>
      <p className={styles.scrollHint} aria-hidden="true">
        Swipe sideways to see the whole graph →
      </p>
    </div>
  );
}

export const GraphView = memo(GraphViewImpl);
