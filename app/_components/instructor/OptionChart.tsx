'use client';

import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import styles from './instructor.module.css';

export interface ChartBar {
  label: string;
  value: number;
  highlight?: boolean;
}

/**
 * A horizontal bar chart (recharts). Decorative for screen readers and keyboards (no focusable
 * accessibility layer inside aria-hidden): the same numbers are in the
 * table beside it, so the chart is hidden from assistive technology rather than read twice.
 */
export function BarsChart({ bars, valueLabel }: { bars: ChartBar[]; valueLabel: string }) {
  return (
    <div className={styles.chart} aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart
          accessibilityLayer={false}
          data={bars}
          layout="vertical"
          margin={{ top: 4, right: 16, bottom: 4, left: 8 }}
        >
          <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="var(--border)" />
          <XAxis type="number" allowDecimals={false} stroke="var(--fg-muted)" tick={{ fill: 'var(--fg-muted)' }} />
          <YAxis
            type="category"
            dataKey="label"
            width={140}
            stroke="var(--fg-muted)"
            tick={{ fill: 'var(--fg)', fontSize: 12 }}
          />
          <Tooltip
            formatter={(value) => [String(value), valueLabel]}
            contentStyle={{ background: 'var(--bg-raised)', border: '1px solid var(--border)', color: 'var(--fg)' }}
          />
          <Bar dataKey="value" isAnimationActive={false}>
            {bars.map((bar) => (
              <Cell key={bar.label} fill={bar.highlight ? 'var(--success)' : 'var(--accent)'} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
