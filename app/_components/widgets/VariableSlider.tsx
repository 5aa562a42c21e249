'use client';

/**
 * A range input and a number input for one variable. The range input's accessible name is
 * exactly the variable's name (`w`), the number input's is `w value` (the test contract).
 *
 *   <VariableSlider name="w" description="weight" value={w} min={-3} max={3} step={0.01}
 *     onChange={(w) => set({ w })} locked={locked.has('w')} hidden={hidden.has('w')} />
 *
 * Both inputs report every change while dragging or typing. The range is printed beside the
 * name ("−3 to 3"); a number typed outside it is clamped, and the clamp is said aloud (a live
 * status line: "10 is above the largest w, 3: w is set to 3"), so typing 10 never turns into 3
 * silently. A half-typed number ('-', '0.') is kept in the field until it parses. The number box
 * shows the value rounded for people (4 significant digits, like every number in the widgets);
 * the range input keeps the exact value.
 */
import { memo, useId, useState } from 'react';

import { formatNumber } from './format';
import styles from './widgets.module.css';

/** The value as the number box shows it: 4 significant digits, ASCII minus (an input's value). */
export function boxNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

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
  const [clamped, setClamped] = useState('');
  if (hidden) return null;

  const clamp = (n: number) => Math.min(max, Math.max(min, n));
  const range = `${formatNumber(min)} to ${formatNumber(max)}`;
  return (
    <div className={styles.slider} data-control={name}>
      <span className={styles.sliderName} aria-hidden="true">
        {name}
      </span>
      <span className={styles.sliderDescription} id={descriptionId}>
        {description ? `${description}, ` : ''}
        <span data-range>{range}</span>
        {locked ? ' (locked)' : ''}
      </span>
      <input
        className={styles.range}
        type="range"
        aria-label={name}
        aria-describedby={descriptionId}
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
        value={draft ?? boxNumber(value)}
        disabled={locked}
        aria-describedby={descriptionId}
        onChange={(event) => {
          const text = event.currentTarget.value;
          setDraft(text);
          const parsed = Number(text);
          if (text.trim() === '' || !Number.isFinite(parsed)) return;
          const kept = clamp(parsed);
          setClamped(
            kept === parsed
              ? ''
              : `${formatNumber(parsed)} is ${parsed > max ? 'above the largest' : 'below the smallest'} ${name}, ${formatNumber(kept)}: ${name} is set to ${formatNumber(kept)}.`,
          );
          onChange(kept);
        }}
        onBlur={() => {
          setDraft(null);
          setClamped('');
        }}
      />
      <span className={styles.sliderStatus} role="status" data-clamped={clamped === '' ? undefined : 'true'}>
        {clamped}
      </span>
    </div>
  );
});
