'use client';

/**
 * A range input and a number input for one variable. The range input's accessible name is
 * exactly the variable's name (`w`), the number input's is `w value` (the test contract).
 *
 *   <VariableSlider name="w" description="weight" value={w} min={-3} max={3} step={0.01}
 *     onChange={(w) => set({ w })} locked={locked.has('w')} hidden={hidden.has('w')} />
 *
 * Both inputs report every change while dragging or typing. A number typed outside the range
 * is clamped; a half-typed number ('-', '0.') is kept in the field until it parses.
 */
import { memo, useId, useState } from 'react';

import styles from './widgets.module.css';

export interface VariableSliderProps {
  name: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  onChange: (value: number) => void;
  /** Shown next to the name, e.g. "weight". */
  description?: string;
  locked?: boolean;
  hidden?: boolean;
}

/**
 * Memoised: a widget with many variables (the playground's 18) re-renders only the slider whose
 * value, range or flags changed, when its parent passes a stable `onChange`.
 */
export const VariableSlider = memo(function VariableSlider({
  name,
  value,
  min,
  max,
  step = 0.01,
  onChange,
  description,
  locked = false,
  hidden = false,
}: VariableSliderProps) {
  const descriptionId = useId();
  const [draft, setDraft] = useState<string | null>(null);
  if (hidden) return null;

  const clamp = (n: number) => Math.min(max, Math.max(min, n));
  return (
    <div className={styles.slider} data-control={name}>
      <span className={styles.sliderName} aria-hidden="true">
        {name}
      </span>
      {description ? (
        <span className={styles.sliderDescription} id={descriptionId}>
          {description}
          {locked ? ' (locked)' : ''}
        </span>
      ) : null}
      <input
        className={styles.range}
        type="range"
        aria-label={name}
        aria-describedby={description ? descriptionId : undefined}
        min={min}
        max={max}
        step={step}
        value={value}
        disabled={locked}
        onChange={(event) => onChange(Number(event.currentTarget.value))}
      />
      <input
        className={styles.number}
        type="number"
        aria-label={`${name} value`}
        inputMode="decimal"
        min={min}
        max={max}
        step="any"
        value={draft ?? String(value)}
        disabled={locked}
        onChange={(event) => {
          const text = event.currentTarget.value;
          setDraft(text);
          const parsed = Number(text);
          if (text.trim() !== '' && Number.isFinite(parsed)) onChange(clamp(parsed));
        }}
        onBlur={() => setDraft(null)}
      />
    </div>
  );
});
