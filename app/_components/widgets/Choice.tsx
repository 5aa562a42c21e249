'use client';

/**
 * A small radio group for a widget option (loss function, which graph, which node).
 *
 *   <Choice legend="Loss" name="fp-loss" value={loss} onChange={(loss) => set({ loss })}
 *     options={[{ value: 'sq', label: 'squared error' }, { value: 'bce', label: 'cross-entropy' }]} />
 */
import styles from './widgets.module.css';

export interface ChoiceProps<V extends string> {
  legend: string;
  /** The radio group's name: unique on the page (prefix it with the widget id). */
  name: string;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange: (value: V) => void;
  locked?: boolean;
  hidden?: boolean;
}

export function Choice<V extends string>({ legend, name, value, options, onChange, locked, hidden }: ChoiceProps<V>) {
  if (hidden) return null;
  return (
    <fieldset className={styles.choice} disabled={locked} data-control={name}>
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option.value}>
          <input
            type="radio"
            name={name}
            value={option.value}
            checked={option.value === value}
            onChange={() => onChange(option.value)}
          />
          {option.label}
        </label>
      ))}
    </fieldset>
  );
}
