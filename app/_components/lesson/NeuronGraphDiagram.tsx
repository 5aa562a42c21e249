import { useId } from 'react';

import { arrowBetween, type Shape } from './diagram/geometry';
import styles from './diagram/Diagram.module.css';

/**
 * The computational graph of one sigmoid neuron and its loss,
 *   w, x -> (*) -> (+) <- b -> z -> sigma -> a -> loss(., y) -> L,
 * drawn as a static SVG. `direction="backward"` reverses the arrows and labels each edge with
 * the gradient of L that flows back along it. `values` prints numbers (forward values or
 * gradients, as strings written by the lesson author) next to the quantities.
 *
 * Two layouts are drawn, wide and tall; CSS shows the one that fits the column (a container
 * query), so labels stay legible on a 360px phone instead of shrinking to 8px.
 */

export type GraphQuantity = 'w' | 'x' | 'wx' | 'b' | 'z' | 'a' | 'y' | 'L';
type NodeId = 'w' | 'x' | 'mul' | 'b' | 'add' | 'sigma' | 'loss' | 'y' | 'L';
type Anchor = 'start' | 'middle' | 'end';

interface NodeDef {
  label: string;
  kind: 'param' | 'data' | 'op' | 'output';
  /** The quantity a leaf or output node holds, for printing its value beside it. */
  holds?: GraphQuantity;
  /** Screen-reader name. */
  spoken: string;
}

const NODES: Record<NodeId, NodeDef> = {
  w: { label: 'w', kind: 'param', holds: 'w', spoken: 'weight w' },
  x: { label: 'x', kind: 'data', holds: 'x', spoken: 'input x' },
  b: { label: 'b', kind: 'param', holds: 'b', spoken: 'bias b' },
  y: { label: 'y', kind: 'data', holds: 'y', spoken: 'target y' },
  mul: { label: '×', kind: 'op', spoken: 'multiply node' },
  add: { label: '+', kind: 'op', spoken: 'add node' },
  sigma: { label: 'σ', kind: 'op', spoken: 'sigmoid node' },
  loss: { label: 'loss', kind: 'op', spoken: 'loss node' },
  L: { label: 'L', kind: 'output', holds: 'L', spoken: 'loss value L' },
};

interface EdgeDef {
  carries: GraphQuantity;
  from: NodeId;
  to: NodeId;
  /** Printed name of the quantity on the edge. */
  name: string;
  /** Whether a gradient is drawn flowing back along this edge (y is a fixed label). */
  backward: boolean;
}

const EDGES: EdgeDef[] = [
  { carries: 'w', from: 'w', to: 'mul', name: 'w', backward: true },
  { carries: 'x', from: 'x', to: 'mul', name: 'x', backward: true },
  { carries: 'wx', from: 'mul', to: 'add', name: 'w·x', backward: true },
  { carries: 'b', from: 'b', to: 'add', name: 'b', backward: true },
  { carries: 'z', from: 'add', to: 'sigma', name: 'z', backward: true },
  { carries: 'a', from: 'sigma', to: 'loss', name: 'a', backward: true },
  { carries: 'y', from: 'y', to: 'loss', name: 'y', backward: false },
  { carries: 'L', from: 'loss', to: 'L', name: 'L', backward: true },
];

interface LabelPos {
  x: number;
  y: number;
  anchor: Anchor;
  /** Lines stack downward from y, or upward so that the last line sits on y. */
  stack: 'down' | 'up';
}

interface Layout {
  width: number;
  height: number;
  nodes: Record<NodeId, { x: number; y: number; value?: LabelPos }>;
  labels: Record<GraphQuantity, LabelPos>;
}

const WIDE: Layout = {
  width: 800,
  height: 262,
  nodes: {
    w: { x: 60, y: 55, value: { x: 60, y: 94, anchor: 'middle', stack: 'down' } },
    x: { x: 60, y: 155, value: { x: 60, y: 194, anchor: 'middle', stack: 'down' } },
    mul: { x: 205, y: 105 },
    add: { x: 350, y: 105 },
    b: { x: 350, y: 210, value: { x: 350, y: 249, anchor: 'middle', stack: 'down' } },
    sigma: { x: 490, y: 105 },
    loss: { x: 625, y: 105 },
    y: { x: 625, y: 210, value: { x: 625, y: 249, anchor: 'middle', stack: 'down' } },
    L: { x: 745, y: 105, value: { x: 745, y: 144, anchor: 'middle', stack: 'down' } },
  },
  labels: {
    w: { x: 138, y: 62, anchor: 'middle', stack: 'up' },
    x: { x: 138, y: 156, anchor: 'middle', stack: 'down' },
    wx: { x: 277, y: 94, anchor: 'middle', stack: 'up' },
    b: { x: 362, y: 156, anchor: 'start', stack: 'down' },
    z: { x: 420, y: 94, anchor: 'middle', stack: 'up' },
    a: { x: 557, y: 94, anchor: 'middle', stack: 'up' },
    y: { x: 637, y: 156, anchor: 'start', stack: 'down' },
    L: { x: 689, y: 94, anchor: 'middle', stack: 'up' },
  },
};

const TALL: Layout = {
  width: 360,
  height: 560,
  nodes: {
    w: { x: 80, y: 36, value: { x: 52, y: 41, anchor: 'end', stack: 'down' } },
    x: { x: 220, y: 36, value: { x: 248, y: 41, anchor: 'start', stack: 'down' } },
    mul: { x: 150, y: 130 },
    add: { x: 150, y: 232 },
    b: { x: 290, y: 232, value: { x: 290, y: 271, anchor: 'middle', stack: 'down' } },
    sigma: { x: 150, y: 334 },
    loss: { x: 150, y: 434 },
    y: { x: 290, y: 434, value: { x: 290, y: 473, anchor: 'middle', stack: 'down' } },
    L: { x: 150, y: 528, value: { x: 178, y: 533, anchor: 'start', stack: 'down' } },
  },
  labels: {
    w: { x: 104, y: 92, anchor: 'end', stack: 'down' },
    x: { x: 198, y: 92, anchor: 'start', stack: 'down' },
    wx: { x: 136, y: 178, anchor: 'end', stack: 'down' },
    b: { x: 222, y: 220, anchor: 'middle', stack: 'up' },
    z: { x: 136, y: 280, anchor: 'end', stack: 'down' },
    a: { x: 136, y: 380, anchor: 'end', stack: 'down' },
    y: { x: 222, y: 422, anchor: 'middle', stack: 'up' },
    L: { x: 136, y: 478, anchor: 'end', stack: 'down' },
  },
};

const OP_RADIUS = 25;
const LOSS_RADIUS = 30;
const BOX = { w: 46, h: 40 };
const LINE = 19;

function shapeOf(id: NodeId, layout: Layout): Shape {
  const { x, y } = layout.nodes[id];
  const node = NODES[id];
  if (node.kind === 'op') return { kind: 'circle', x, y, r: id === 'loss' ? LOSS_RADIUS : OP_RADIUS };
  return { kind: 'rect', x, y, w: BOX.w, h: BOX.h };
}

function gradName(edge: EdgeDef): string {
  return edge.carries === 'wx' ? '∂L/∂(w·x)' : `∂L/∂${edge.name}`;
}

function Lines({
  pos,
  lines,
  className,
}: {
  pos: LabelPos;
  lines: { text: string; className?: string }[];
  className?: string;
}) {
  const first = pos.stack === 'down' ? pos.y : pos.y - LINE * (lines.length - 1);
  return (
    <text className={className} x={pos.x} y={first} textAnchor={pos.anchor}>
      {lines.map((line, index) => (
        <tspan key={index} x={pos.x} dy={index === 0 ? 0 : LINE} className={line.className}>
          {line.text}
        </tspan>
      ))}
    </text>
  );
}

function GraphSvg({
  layout,
  direction,
  values,
  titleId,
  title,
  className,
}: {
  layout: Layout;
  direction: 'forward' | 'backward';
  values: Partial<Record<GraphQuantity, string>>;
  titleId: string;
  title: string;
  className?: string;
}) {
  const backward = direction === 'backward';
  return (
    <svg
      className={`${styles.svg} ${className ?? ''}`}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      role="img"
      aria-labelledby={titleId}
      preserveAspectRatio="xMidYMid meet"
    >
      <title id={titleId}>{title}</title>
      {EDGES.map((edge) => {
        const from = shapeOf(edge.from, layout);
        const to = shapeOf(edge.to, layout);
        const structural = backward && !edge.backward;
        const arrow = backward && edge.backward ? arrowBetween(to, from) : arrowBetween(from, to);
        const tone = structural ? styles.structure : backward ? styles.backward : styles.forward;
        const value = values[edge.carries];
        const isLeaf = NODES[edge.from].holds === edge.carries;
        let lines: { text: string; className?: string }[] = [];
        if (backward && edge.backward) {
          lines = [{ text: gradName(edge) }];
          const shown = value ?? (edge.carries === 'L' ? '1' : undefined);
          if (shown) lines.push({ text: `= ${shown}`, className: styles.num });
        } else if (!backward && !isLeaf && edge.carries !== 'L') {
          lines = [{ text: edge.name }];
          if (value) lines.push({ text: `= ${value}`, className: styles.num });
        }
        return (
          <g key={edge.carries} className={tone}>
            <line x1={arrow.start.x} y1={arrow.start.y} x2={arrow.end.x} y2={arrow.end.y} className={styles.shaft} />
            {!structural && <polygon points={arrow.head} className={styles.head} />}
            {lines.length > 0 && <Lines pos={layout.labels[edge.carries]} lines={lines} className={styles.edgeLabel} />}
          </g>
        );
      })}
      {(Object.keys(NODES) as NodeId[]).map((id) => {
        const node = NODES[id];
        const shape = shapeOf(id, layout);
        const place = layout.nodes[id];
        const value = !backward && node.holds ? values[node.holds] : undefined;
        return (
          <g key={id} className={styles[node.kind]}>
            {shape.kind === 'circle' ? (
              <circle cx={shape.x} cy={shape.y} r={shape.r} className={styles.nodeShape} />
            ) : (
              <rect
                x={shape.x - shape.w / 2}
                y={shape.y - shape.h / 2}
                width={shape.w}
                height={shape.h}
                rx={8}
                className={styles.nodeShape}
              />
            )}
            <text
              x={place.x}
              y={place.y}
              dy="0.35em"
              textAnchor="middle"
              className={node.kind === 'op' ? (id === 'loss' ? styles.opWord : styles.opSymbol) : styles.variable}
            >
              {node.label}
            </text>
            {value && place.value && (
              <Lines
                pos={place.value}
                lines={[{ text: `= ${value}`, className: styles.num }]}
                className={styles.nodeValue}
              />
            )}
          </g>
        );
      })}
    </svg>
  );
}

function describe(direction: 'forward' | 'backward', values: Partial<Record<GraphQuantity, string>>): string {
  const v = (q: GraphQuantity) => (values[q] ? ` (${values[q]})` : '');
  if (direction === 'forward') {
    return (
      `Forward pass. The weight w${v('w')} and the input x${v('x')} feed a multiply node, giving w times x${v('wx')}. ` +
      `That product and the bias b${v('b')} feed an add node, whose output is z${v('z')}. ` +
      `z goes into a sigmoid node, whose output is the activation a${v('a')}. ` +
      `a and the target y${v('y')} feed the loss node, whose output is the loss L${v('L')}. ` +
      'All arrows point from inputs toward L. The weight and the bias are outlined as the parameters that training adjusts.'
    );
  }
  return (
    'Backward pass. Arrows point from L back toward the inputs, each labelled with the gradient of L that flows along it. ' +
    `The pass starts at L with dL/dL = 1${values.L ? ` (${values.L})` : ''}. ` +
    `The loss node sends dL/da${v('a')} to the sigmoid node. ` +
    `The sigmoid node sends dL/dz${v('z')} to the add node. ` +
    `The add node sends dL/db${v('b')} to the bias and dL/d(w times x)${v('wx')} to the multiply node. ` +
    `The multiply node sends dL/dw${v('w')} to the weight and dL/dx${v('x')} to the input. ` +
    'The target y receives no gradient: it is a fixed label, not something training changes.'
  );
}

export function NeuronGraphDiagram({
  direction = 'forward',
  values = {},
  caption,
}: {
  direction?: 'forward' | 'backward';
  values?: Partial<Record<GraphQuantity, string>>;
  caption?: string;
}) {
  const id = useId();
  const descId = `${id}-desc`;
  const title =
    direction === 'forward'
      ? 'Computational graph of one sigmoid neuron and its loss, values flowing forward'
      : 'The same computational graph with gradients flowing backward from the loss';
  return (
    <figure className={styles.figure} aria-describedby={descId}>
      <div className={styles.frame}>
        <GraphSvg
          layout={WIDE}
          direction={direction}
          values={values}
          titleId={`${id}-wide`}
          title={title}
          className={styles.wide}
        />
        <GraphSvg
          layout={TALL}
          direction={direction}
          values={values}
          titleId={`${id}-tall`}
          title={title}
          className={styles.tall}
        />
      </div>
      <p id={descId} className="visually-hidden">
        {describe(direction, values)}
      </p>
      <figcaption className={styles.caption}>
        {caption && <span className={styles.captionText}>{caption}</span>}
        <span className={styles.legend} aria-hidden="true">
          {direction === 'forward' ? (
            <span className={styles.legendItem}>
              <span className={`${styles.swatch} ${styles.swatchForward}`} /> values flow forward
            </span>
          ) : (
            <span className={styles.legendItem}>
              <span className={`${styles.swatch} ${styles.swatchBackward}`} /> gradients flow backward
            </span>
          )}
          <span className={styles.legendItem}>
            <span className={`${styles.swatch} ${styles.swatchParam}`} /> parameter (trained)
          </span>
          <span className={styles.legendItem}>
            <span className={`${styles.swatch} ${styles.swatchData}`} /> data (fixed)
          </span>
        </span>
      </figcaption>
    </figure>
  );
}
