import type { Statistic } from '@/lib/analytics/item-statistics';
import { unavailableReasonText } from '@/lib/analytics/item-statistics';

/** Shared formatting for the dashboards, so every view writes numbers and dates the same way. */

export function percent(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 100)}%`;
}

export function fixed(value: number, digits = 2): string {
  return value.toFixed(digits);
}

const dateTime = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
});

export function when(ms: number | null): string {
  return ms === null ? 'never' : dateTime.format(new Date(ms));
}

/** "3 days ago"-style relative time against an injected now, so server and tests agree. */
export function ago(ms: number | null, now: number): string {
  if (ms === null) return 'never';
  const minutes = Math.round((now - ms) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

export function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  const hours = minutes / 60;
  if (hours < 48) return `${hours.toFixed(1)} h`;
  return `${(hours / 24).toFixed(1)} days`;
}

/** A statistic's value, or its reason in words. */
export function statistic(stat: Statistic, show: (value: number) => string): { text: string; reason: string | null } {
  if (stat.value === null) return { text: 'n/a', reason: unavailableReasonText[stat.reason] };
  return { text: show(stat.value), reason: null };
}
