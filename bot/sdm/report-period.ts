import type { ReportPeriod } from '../commands/command.js';
import { BotError } from '../errors.js';

// The window a report covers: the last 7/30/90 days up to now, or one calendar month in UTC.

export interface PeriodRange {
  /** "Last 30 days" or "November 2026". */
  readonly label: string;
  /** Short form for file names and CSV: "30d" or "2026-11". */
  readonly key: string;
  readonly from: Date;
  /** Exclusive. */
  readonly to: Date;
  /** False for the current month (clipped to now): not a whole month yet, so not for the business review. */
  readonly complete: boolean;
}

const DAY = 86_400_000;
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Resolves a period against the clock; a month that has not started yet is bad input. */
export function periodRange(period: ReportPeriod, now: Date): PeriodRange {
  if (period.kind === 'days') {
    return {
      label: `Last ${period.days} days`,
      key: `${period.days}d`,
      from: new Date(now.getTime() - period.days * DAY),
      to: now,
      complete: true,
    };
  }
  const m = /^(\d{4})-(\d{2})$/.exec(period.month);
  const year = Number(m?.[1]);
  const month = Number(m?.[2]);
  if (m === null || month < 1 || month > 12) throw new BotError('bad_input', 'Use a month like 2026-10.');
  const from = new Date(Date.UTC(year, month - 1, 1));
  if (from.getTime() > now.getTime())
    throw new BotError('bad_input', `${period.month} has not started yet, so there is nothing to report.`);
  const end = new Date(Date.UTC(year, month, 1));
  return {
    label: `${MONTHS[month - 1]} ${year}`,
    key: period.month,
    from,
    to: end.getTime() > now.getTime() ? now : end,
    complete: end.getTime() <= now.getTime(),
  };
}

/** "2026-10-01 to 2026-10-31": the range as people read it, with the (exclusive) end shown as its last day. */
export function rangeText(from: string, to: string): string {
  const last = new Date(Math.max(Date.parse(from), Date.parse(to) - 1)).toISOString().slice(0, 10);
  return `${from.slice(0, 10)} to ${last}`;
}

/** The previous calendar month: what the monthly business review covers. */
export function previousMonth(now: Date): ReportPeriod {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return { kind: 'month', month: `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}` };
}
