/**
 * The key to GraphView's colours, so colour is never the only cue: "val" and "grad" are also
 * written in every node. Works as a server or client component.
 */
import styles from './widgets.module.css';

export function GraphLegend({ output = 'L', showGrads = true }: { output?: string; showGrads?: boolean }) {
  return (
    <ul className={styles.legend}>
      <li>
        <span className={styles.legendValue}>val</span>: the node&rsquo;s value (forward pass)
      </li>
      {showGrads ? (
        <li>
          <span className={styles.legendGrad}>grad</span>: ∂{output}/∂node (backward pass)
        </li>
      ) : null}
    </ul>
  );
}
