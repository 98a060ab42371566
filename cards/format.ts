import type { Role } from '../bot/domain/actor.js';
import {
  ACTION_KIND_LABELS,
  ACTION_STATE_LABELS,
  type ActionKind,
  type ActionState,
  CLASSIFICATION_LABELS,
  type Classification,
  DETERMINATION_LABELS,
  type Determination,
  type IncidentStatus,
  type KnownSeverity,
  SEVERITY_LABELS,
  type Severity,
  STATUS_LABELS,
} from '../bot/domain/enums.js';
import type { IncidentView } from '../bot/domain/incident.js';
import { isUnrecognised, type Tolerant, tolerantLabel } from '../bot/domain/tolerant.js';
import { categoryLabel } from '../bot/sdm/report-figures.js';

// Alert categories and service sources as the portal names them: one mapping, shared with the report.
export { categoryLabel, sourceLabel } from '../bot/sdm/report-figures.js';

// Display wording shared by the builders: one place for the portal's vocabulary, ages and
// times computed from an injected `now`, so cards are pure and snapshots stable.

/** Adaptive Card text colours the builders use (a subset of the schema's `Colors`). */
export type CardColor = 'default' | 'accent' | 'good' | 'warning' | 'attention';

/** "just now", "5 min ago", "2 h ago", "3 d ago" — how long ago `iso` was, seen from `now`. */
export function formatAge(iso: string, now: Date): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return 'at an unknown time';
  const seconds = Math.floor((now.getTime() - then) / 1000);
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/** "waiting 6 h" rather than "waiting since 6 h ago": how long from `iso` until `now`. */
export function formatWaiting(iso: string, now: Date): string {
  const age = formatAge(iso, now);
  if (age === 'just now') return 'waiting under a minute';
  if (age === 'at an unknown time') return 'waiting for an unknown time';
  return `waiting ${age.replace(/ ago$/, '')}`;
}

/**
 * "2026-11-20 08:00 UTC": for cards posted to a channel, where a relative "just now" would stay frozen for
 * days in clients that do not refresh.
 */
export function formatStamp(iso: string | null): string {
  if (iso === null || Number.isNaN(Date.parse(iso))) return 'Unknown';
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "2026-11-20 08:00 UTC (2 h ago)": absolute for the record, relative for the reader. */
export function formatWhen(iso: string | null, now: Date): string {
  if (iso === null || Number.isNaN(Date.parse(iso))) return 'Unknown';
  return `${formatStamp(iso)} (${formatAge(iso, now)})`;
}

/** "1 incident", "3 incidents". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * A known value's label; a value we do not know is shown readably rather than as a raw enum ("clickFix" →
 * "Click fix"), while free text someone typed ("Line of business app") is kept as it is.
 */
function shown<K extends string>(value: Tolerant<K>, labels: Readonly<Record<K, string>>): string {
  const text = tolerantLabel(value, labels);
  return isUnrecognised(value) && /^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+$/.test(text)
    ? categoryLabel(text)
    : text;
}

export const statusLabel = (s: IncidentStatus): string => shown(s, STATUS_LABELS);
export const severityLabel = (s: Severity): string => shown(s, SEVERITY_LABELS);
export const classificationLabel = (c: Classification): string => shown(c, CLASSIFICATION_LABELS);
export const determinationLabel = (d: Determination): string => shown(d, DETERMINATION_LABELS);
export const actionKindLabel = (k: ActionKind): string => shown(k, ACTION_KIND_LABELS);
export const actionStateLabel = (s: ActionState): string => shown(s, ACTION_STATE_LABELS);

const SEVERITY_COLORS: Record<KnownSeverity, CardColor> = {
  high: 'attention',
  medium: 'warning',
  low: 'accent',
  informational: 'default',
};

/** High stands out in red, medium in amber; unknown severities stay neutral. */
export function severityColor(s: Severity): CardColor {
  return isUnrecognised(s) ? 'default' : SEVERITY_COLORS[s];
}

/** Completed is green, failed red, pending amber: what needs attention is visible at a glance. */
export function actionStateColor(s: ActionState): CardColor {
  if (isUnrecognised(s)) return 'default';
  switch (s) {
    case 'completed':
      return 'good';
    case 'failed':
      return 'attention';
    case 'pending':
      return 'warning';
    case 'inProgress':
      return 'accent';
    case 'skipped':
      return 'default';
  }
}

/** List titles in the customer's words ("Awaiting your action"), not the Graph status names. */
export const VIEW_TITLES: Record<IncidentView, string> = {
  open: 'Open incidents',
  awaiting: 'Awaiting your action',
  investigating: 'Being investigated by Defender Experts',
  resolved: 'Resolved incidents',
  all: 'All incidents',
};

/** Short button titles for switching views. */
export const VIEW_BUTTONS: Record<IncidentView, string> = {
  open: 'Open',
  awaiting: 'Awaiting my action',
  investigating: 'Investigating',
  resolved: 'Resolved',
  all: 'All',
};

const ROLE_LABELS: Record<Role, string> = {
  analyst: 'SOC analyst',
  responder: 'Responder',
  admin: 'Admin',
  expert: 'Defender Experts analyst',
  sdm: 'Service delivery manager',
};

const ROLE_ORDER: readonly Role[] = ['analyst', 'responder', 'admin', 'expert', 'sdm'];

/** "SOC analyst, Responder" in a fixed order, so the same roles always read the same way. */
export function rolesLabel(roles: ReadonlySet<Role>): string {
  const labels = ROLE_ORDER.filter((r) => roles.has(r)).map((r) => ROLE_LABELS[r]);
  return labels.length === 0 ? 'No role assigned yet' : labels.join(', ');
}
