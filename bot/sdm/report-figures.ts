import { SEVERITIES, SEVERITY_LABELS } from '../domain/enums.js';
import { type Incident, isExpertsIncident } from '../domain/incident.js';
import { handedOffBefore } from './lifecycle.js';
import type { IncidentTimeline } from './ports.js';
import type { PeriodRange } from './report-period.js';

// The business-review figures (DESIGN §3.7), computed purely from the mirrored incidents and their recorded
// timelines, so tests can check every number against a hand-computed fixture.

export interface Breakdown {
  readonly label: string;
  readonly count: number;
}

/** One incident's line in the CSV. */
export interface ReportRow {
  readonly id: string;
  readonly title: string;
  readonly severity: string;
  readonly status: string;
  readonly createdAt: string;
  readonly handedOffAt: string | null;
  readonly resolvedAt: string | null;
  readonly resolvedBy: 'experts' | 'withCustomer' | null;
  readonly categories: readonly string[];
  readonly sources: readonly string[];
  readonly assets: readonly string[];
}

export interface ReportFigures {
  readonly customerId: string;
  readonly customerName: string;
  readonly periodLabel: string;
  readonly periodKey: string;
  readonly from: string;
  readonly to: string;
  readonly generatedAt: string;
  /** Defender Experts incidents created in the period. */
  readonly investigated: number;
  readonly resolvedByExperts: number;
  /** Resolved after a handoff: the customer took the recommended actions. */
  readonly resolvedWithYou: number;
  readonly stillOpen: number;
  /** Whole percent of investigated that are resolved; null when nothing was investigated. */
  readonly percentResolved: number | null;
  /** Hours, two decimals; null without resolved incidents. */
  readonly avgHoursToResolve: number | null;
  /** Experts' share: created → handoff, or created → resolved when never handed off. */
  readonly avgExpertsHours: number | null;
  /** Customer's share: handoff → resolved, over incidents resolved with the customer. */
  readonly avgCustomerHours: number | null;
  readonly bySeverity: readonly Breakdown[];
  readonly byCategory: readonly Breakdown[];
  readonly bySource: readonly Breakdown[];
  readonly topAssets: readonly Breakdown[];
  readonly rows: readonly ReportRow[];
}

const HOUR = 3_600_000;
export const TOP_ASSETS = 5;
export const TOP_CATEGORIES = 8;

const SOURCE_LABELS: Readonly<Record<string, string>> = {
  microsoftDefenderForEndpoint: 'Defender for Endpoint',
  microsoftDefenderForOffice365: 'Defender for Office 365',
  microsoftDefenderForIdentity: 'Defender for Identity',
  microsoftDefenderForCloudApps: 'Defender for Cloud Apps',
  microsoftEntraIdProtection: 'Entra ID Protection',
  microsoftDefenderForCloud: 'Defender for Cloud',
  microsoft365Defender: 'Microsoft Defender XDR',
  microsoftSentinel: 'Microsoft Sentinel',
};

/** Graph's serviceSource as the portal names it; unknown values are kept as they are. */
export const sourceLabel = (s: string): string => SOURCE_LABELS[s] ?? (s === '' ? 'Unknown' : s);

const ms = (iso: string | null): number | null => {
  if (iso === null) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
};

const hours = (sum: number, n: number): number | null =>
  n === 0 ? null : Math.round((sum / n / HOUR) * 100) / 100;

function tally(values: Iterable<string>): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

/** Largest first, then by label, so equal counts always come out in the same order. */
function ranked(m: Map<string, number>, top: number, other: string | null): Breakdown[] {
  const all = [...m].map(([label, count]) => ({ label, count }));
  all.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  if (all.length <= top) return all;
  const kept = all.slice(0, top);
  if (other === null) return kept;
  const rest = all.slice(top).reduce((n, b) => n + b.count, 0);
  return [...kept, { label: other, count: rest }];
}

const distinct = (xs: readonly string[]): string[] => [...new Set(xs.map((x) => x.trim()).filter(Boolean))];

/** The incidents a report covers: Defender Experts incidents created inside the period. */
export function inPeriod(incident: Incident, range: PeriodRange): boolean {
  const created = ms(incident.createdDateTime);
  return (
    created !== null &&
    created >= range.from.getTime() &&
    created < range.to.getTime() &&
    isExpertsIncident(incident)
  );
}

/** Computes every figure of the report; `timelines` may miss incidents (the body is used then). */
export function computeReport(args: {
  readonly customerId: string;
  readonly customerName: string;
  readonly range: PeriodRange;
  readonly incidents: readonly Incident[];
  readonly timelines: readonly IncidentTimeline[];
  readonly now: Date;
}): ReportFigures {
  const { range } = args;
  const timeline = new Map(args.timelines.map((t) => [t.incidentId, t]));
  const covered = args.incidents.filter((i) => inPeriod(i, range));
  let expertsSum = 0;
  let expertsN = 0;
  let customerSum = 0;
  let customerN = 0;
  let totalSum = 0;
  let resolvedByExperts = 0;
  let resolvedWithYou = 0;
  const rows: ReportRow[] = covered.map((i) => {
    const t = timeline.get(i.id);
    const resolved = String(i.status) === 'resolved';
    const resolvedAt = resolved ? (t?.resolvedAt ?? i.lastUpdateDateTime) : null;
    const handedOffAt = t?.handedOffAt ?? (handedOffBefore(i) ? i.lastUpdateDateTime : null);
    const created = ms(i.createdDateTime) ?? 0;
    let resolvedBy: ReportRow['resolvedBy'] = null;
    const end = ms(resolvedAt);
    if (resolved && end !== null) {
      const handoff = ms(handedOffAt);
      resolvedBy = handoff === null ? 'experts' : 'withCustomer';
      totalSum += Math.max(0, end - created);
      expertsSum += Math.max(0, (handoff ?? end) - created);
      expertsN += 1;
      if (handoff !== null) {
        customerSum += Math.max(0, end - handoff);
        customerN += 1;
        resolvedWithYou += 1;
      } else resolvedByExperts += 1;
    }
    return {
      id: i.id,
      title: i.displayName,
      severity: String(i.severity),
      status: String(i.status),
      createdAt: i.createdDateTime,
      handedOffAt,
      resolvedAt,
      resolvedBy,
      categories: distinct(i.alerts.map((a) => a.category)),
      sources: distinct(i.alerts.map((a) => sourceLabel(a.serviceSource))),
      assets: distinct(i.alerts.flatMap((a) => a.assets)),
    };
  });
  const resolved = resolvedByExperts + resolvedWithYou;
  const sev = tally(rows.map((r) => r.severity));
  const bySeverity = [...SEVERITIES]
    .reverse()
    .map((s) => ({ label: SEVERITY_LABELS[s], count: sev.get(s) ?? 0 }));
  const unknownSev = rows.filter((r) => !(SEVERITIES as readonly string[]).includes(r.severity)).length;
  return {
    customerId: args.customerId,
    customerName: args.customerName,
    periodLabel: range.label,
    periodKey: range.key,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    generatedAt: args.now.toISOString(),
    investigated: rows.length,
    resolvedByExperts,
    resolvedWithYou,
    stillOpen: rows.length - resolved,
    percentResolved: rows.length === 0 ? null : Math.round((resolved / rows.length) * 100),
    avgHoursToResolve: hours(totalSum, expertsN),
    avgExpertsHours: hours(expertsSum, expertsN),
    avgCustomerHours: hours(customerSum, customerN),
    bySeverity: unknownSev > 0 ? [...bySeverity, { label: 'Other', count: unknownSev }] : bySeverity,
    byCategory: ranked(tally(rows.flatMap((r) => r.categories)), TOP_CATEGORIES, 'Other'),
    bySource: ranked(tally(rows.flatMap((r) => r.sources)), TOP_CATEGORIES, 'Other'),
    topAssets: ranked(tally(rows.flatMap((r) => r.assets)), TOP_ASSETS, null),
    rows,
  };
}
