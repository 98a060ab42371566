import { SEVERITIES, SEVERITY_LABELS } from '../domain/enums.js';
import { type Incident, isExpertsIncident } from '../domain/incident.js';
import { handedOffBefore } from './lifecycle.js';
import type { PeriodRange } from './report-period.js';
import type { IncidentTimeline } from './sdm-ports.js';

// The business-review figures, computed purely from the mirrored incidents and their recorded
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
  /** False when its times are unknown (first seen already resolved): left out of the time averages. */
  readonly timesMeasured?: boolean;
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
  /**
   * Hours, two decimals; null without measured resolved incidents. The three averages cover the same
   * incidents (the `timesMeasured` resolved ones), so the experts' and the customer's shares add up to it.
   */
  readonly avgHoursToResolve: number | null;
  /** Experts' share: created → handoff, or created → resolved when never handed off. */
  readonly avgExpertsHours: number | null;
  /** Customer's share: handoff → resolved (0 for an incident the experts resolved alone). */
  readonly avgCustomerHours: number | null;
  /** How many resolved incidents the three averages cover. Absent in old snapshots. */
  readonly timesMeasured?: number;
  /** Handoff → resolved over only the measured incidents that were handed off; null when none was. */
  readonly avgHoursAfterHandoff?: number | null;
  /** How many incidents `avgHoursAfterHandoff` covers. */
  readonly handoffsMeasured?: number;
  /**
   * Resolved incidents left out of the time averages: first seen already resolved (an inferred timeline) or
   * with no recorded timeline, so their handoff and resolution times are unknown. Absent in old snapshots.
   */
  readonly timesNotMeasured?: number;
  readonly bySeverity: readonly Breakdown[];
  readonly byCategory: readonly Breakdown[];
  readonly bySource: readonly Breakdown[];
  readonly topAssets: readonly Breakdown[];
  readonly rows: readonly ReportRow[];
}

/** Why an incident's times are not in the averages, as the card and the CSV say it. */
export const NOT_MEASURED_WHY = 'first seen already resolved, so handoff and resolution times are unknown';

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
  microsoftAppGovernance: 'App Governance',
  microsoftDataLossPrevention: 'Data Loss Prevention',
  microsoftInsiderRiskManagement: 'Insider Risk Management',
  microsoftThreatIntelligence: 'Threat Intelligence',
};

/** "InitialAccess" → "Initial access": Graph's enum values as words. */
const words = (s: string): string => {
  const w = s
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/\s+/)
    .filter(Boolean)
    .map((x, i) =>
      i === 0 ? x.charAt(0).toUpperCase() + x.slice(1) : /^[A-Z0-9]+$/.test(x) ? x : x.toLowerCase(),
    );
  return w.join(' ');
};

/** Graph's serviceSource as the portal names it; unknown values are spelled out ("microsoftFoo" → "Foo"). */
export const sourceLabel = (s: string): string =>
  SOURCE_LABELS[s] ?? (s === '' ? 'Unknown' : words(s.replace(/^microsoft(?=[A-Z])/, '')));

/** Graph's alert category (MITRE tactic or a Defender category) as words; empty is "Unknown". */
export const categoryLabel = (s: string): string => (s.trim() === '' ? 'Unknown' : words(s.trim()));

const ms = (iso: string | null): number | null => {
  if (iso === null) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
};

const hours = (sum: number, n: number): number | null =>
  n === 0 ? null : Math.round((sum / n / HOUR) * 100) / 100;

/**
 * The three averages over one set of incidents. Each share is rounded first and the whole is their sum, so
 * the figures as stated add up exactly (the whole is off the unrounded mean by at most 0.01 h).
 */
function averages(
  expertsSum: number,
  customerSum: number,
  measured: number,
  handedOff: number,
): Pick<
  ReportFigures,
  | 'avgHoursToResolve'
  | 'avgExpertsHours'
  | 'avgCustomerHours'
  | 'timesMeasured'
  | 'avgHoursAfterHandoff'
  | 'handoffsMeasured'
> {
  const experts = hours(expertsSum, measured);
  const customer = hours(customerSum, measured);
  return {
    avgHoursToResolve:
      experts === null || customer === null ? null : Math.round((experts + customer) * 100) / 100,
    avgExpertsHours: experts,
    avgCustomerHours: customer,
    timesMeasured: measured,
    avgHoursAfterHandoff: hours(customerSum, handedOff),
    handoffsMeasured: handedOff,
  };
}

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
  let customerSum = 0;
  let measuredN = 0;
  let handoffN = 0;
  let resolvedByExperts = 0;
  let resolvedWithYou = 0;
  let notMeasured = 0;
  const rows: ReportRow[] = covered.map((i) => {
    const t = timeline.get(i.id);
    const resolved = String(i.status) === 'resolved';
    const resolvedAt = resolved ? (t?.resolvedAt ?? i.lastUpdateDateTime) : null;
    const handedOffAt = t?.handedOffAt ?? (handedOffBefore(i) ? i.lastUpdateDateTime : null);
    const created = ms(i.createdDateTime) ?? 0;
    let resolvedBy: ReportRow['resolvedBy'] = null;
    const end = ms(resolvedAt);
    // Only times the sync saw happen are averaged: a first sighting of an already resolved incident (or one
    // from before timelines were recorded) would add its whole life as the experts' time and 0 as yours.
    const measured = t !== undefined && !t.inferred;
    if (resolved && end !== null) {
      const handoff = ms(handedOffAt);
      resolvedBy = handoff === null ? 'experts' : 'withCustomer';
      if (handoff !== null) resolvedWithYou += 1;
      else resolvedByExperts += 1;
    }
    if (resolved && end !== null && !measured) notMeasured += 1;
    else if (resolved && end !== null) {
      // The experts' part ends at the handoff, clamped into the incident's life, and the customer's part is
      // the rest: the two always sum to the whole, incident by incident.
      const handoff = ms(handedOffAt);
      const total = Math.max(0, end - created);
      const experts = Math.min(total, Math.max(0, (handoff ?? end) - created));
      expertsSum += experts;
      customerSum += total - experts;
      measuredN += 1;
      if (handoff !== null) handoffN += 1;
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
      timesMeasured: resolvedBy === null ? true : measured,
      categories: distinct(i.alerts.map((a) => categoryLabel(a.category))),
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
    ...averages(expertsSum, customerSum, measuredN, handoffN),
    timesNotMeasured: notMeasured,
    bySeverity: unknownSev > 0 ? [...bySeverity, { label: 'Other', count: unknownSev }] : bySeverity,
    byCategory: ranked(tally(rows.flatMap((r) => r.categories)), TOP_CATEGORIES, 'Other'),
    bySource: ranked(tally(rows.flatMap((r) => r.sources)), TOP_CATEGORIES, 'Other'),
    topAssets: ranked(tally(rows.flatMap((r) => r.assets)), TOP_ASSETS, null),
    rows,
  };
}
