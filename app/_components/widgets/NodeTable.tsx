'use client';

/**
 * The text alternative of a drawn graph: a real table of every node's value and gradient,
 * folded in a <details> ("Show as a table") so it costs no space until asked for.
 *
 *   <NodeTable layout={layout} trace={run.trace} caption="Forward pass: values and gradients" />
 *
 * `hiddenGrads` (node ids) prints "not yet computed" instead of a gradient (the step-by-step
 * widget), with the same wording as GraphView's node labels.
 *
 * The rows follow the numbers one render late (useDeferredValue): a slider's frame updates the
 * drawing first, and React fills in the table (up to ~50 rows) in a background render right
 * after, instead of inside the input's frame. While the table is folded away (the usual case)
 * the rows keep the numbers they were first rendered with (the server's, so the table is
 * there without JavaScript) and are not re-rendered on every input; opening it brings them up
 * to date in the same render that shows them.
 */
import { memo, useDeferredValue, useState } from 'react';

import type { Trace } from '@/lib/autodiff/trace';
import type { GraphLayout } from '@/lib/graph/types';

import { formatNumber } from './format';
import { TableScroll } from './TableScroll';
import styles from './widgets.module.css';

export interface NodeTableProps {
  layout: GraphLayout;
  trace: Trace;
  caption: string;
  /** Name of the output in headers, `L`. */
  output?: string;
  hiddenGrads?: ReadonlySet<number>;
  open?: boolean;
}

export function NodeTable({ layout, trace, caption, output = 'L', hiddenGrads, open }: NodeTableProps) {
  const [expanded, setExpanded] = useState(open ?? false);
  const [first] = useState(() => ({ trace, hiddenGrads }));
  const shownTrace = useDeferredValue(expanded ? trace : first.trace);
  const shownHidden = useDeferredValue(expanded ? hiddenGrads : first.hiddenGrads);
  return (
    <details className={styles.tableDetails} open={open} onToggle={(event) => setExpanded(event.currentTarget.open)}>
      <summary>Show as a table</summary>
      <TableScroll>
        <table className={styles.table}>
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Node</th>
              <th scope="col">Operation</th>
              <th scope="col">Value</th>
              <th scope="col">Gradient ∂{output}/∂node</th>
            </tr>
          </thead>
          <NodeRows layout={layout} trace={shownTrace} hiddenGrads={shownHidden} />
        </table>
      </TableScroll>
    </details>
  );
}

const NodeRows = memo(function NodeRows({
  layout,
  trace,
  hiddenGrads,
}: Pick<NodeTableProps, 'layout' | 'trace' | 'hiddenGrads'>) {
  const byId = new Map(trace.nodes.map((node) => [node.id, node]));
  return (
    <tbody>
      {layout.nodes.map((node) => {
        const data = byId.get(node.id);
        const value = data?.value ?? Number.NaN;
        const grad = data?.grad ?? Number.NaN;
        return (
          <tr key={node.id} data-row={node.name}>
            <th scope="row">{node.label}</th>
            <td>{node.kind === 'op' ? node.op : node.kind}</td>
            <td>{formatNumber(value)}</td>
            <td>{hiddenGrads?.has(node.id) ? 'not yet computed' : formatNumber(grad)}</td>
          </tr>
        );
      })}
    </tbody>
  );
});
