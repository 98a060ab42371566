import { SEVERITY_LABELS, STATUS_LABELS } from '../domain/enums.js';
import { NOT_MEASURED_WHY, type ReportFigures, type ReportRow } from './report-figures.js';

// The report as CSV (RFC 4180, CRLF, UTF-8 with a byte-order mark so Excel reads accents and non-Latin names
// right): the summary figures, then one line per incident. People read the labels the cards use; tools read
// the raw values in their own columns. Incident text comes from the tenant, so a cell that a spreadsheet
// would run as a formula is prefixed with an apostrophe.

/** Excel takes a file without it for the local code page and garbles "Société" and "Контосо". */
export const UTF8_BOM = '\uFEFF';

const FORMULA = /^[=+\-@\t\r]/;

/** One CSV cell: quoted when needed, formula starters neutralised. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One line of cells joined by commas (no line break). */
export const csvLine = (cells: readonly (string | number | null)[]): string => cells.map(csvCell).join(',');

const label = (labels: Readonly<Record<string, string>>, raw: string): string => labels[raw] ?? raw;

const RESOLVED_BY: Readonly<Record<NonNullable<ReportRow['resolvedBy']>, string>> = {
  experts: 'Defender Experts',
  withCustomer: 'With your help',
};

/** The incident columns: a label for people, then the raw value for tools where the two differ. */
export const INCIDENT_COLUMNS = [
  'Incident ID',
  'Title',
  'Severity',
  'Status',
  'Created (UTC)',
  'Handed off (UTC)',
  'Resolved (UTC)',
  'Resolved by',
  'Times measured',
  'Categories',
  'Service sources',
  'Assets',
  'severity',
  'status',
  'resolvedBy',
] as const;

function incidentLine(r: ReportRow): string {
  return csvLine([
    r.id,
    r.title,
    label(SEVERITY_LABELS, r.severity),
    label(STATUS_LABELS, r.status),
    r.createdAt,
    r.handedOffAt,
    r.resolvedAt,
    r.resolvedBy === null ? null : RESOLVED_BY[r.resolvedBy],
    r.resolvedBy === null ? null : r.timesMeasured === false ? 'No' : 'Yes',
    r.categories.join('; '),
    r.sources.join('; '),
    r.assets.join('; '),
    r.severity,
    r.status,
    r.resolvedBy,
  ]);
}

/** The whole file; the first line says what it is. */
export function reportCsv(f: ReportFigures): string {
  const figure = (name: string, value: number | null, key: string) => csvLine([name, value, key]);
  const covered = f.timesMeasured === undefined ? '' : ` (over ${f.timesMeasured} resolved incidents)`;
  const lines = [
    csvLine(['Defender Experts report', f.customerName, f.periodLabel, f.from, f.to]),
    csvLine(['Figure', 'Value', 'key']),
    figure('Investigated', f.investigated, 'investigated'),
    figure('Resolved by the experts', f.resolvedByExperts, 'resolvedByExperts'),
    figure('Resolved with your help', f.resolvedWithYou, 'resolvedWithYou'),
    figure('Still open', f.stillOpen, 'stillOpen'),
    figure('Percent resolved', f.percentResolved, 'percentResolved'),
    figure(`Average hours to resolve${covered}`, f.avgHoursToResolve, 'avgHoursToResolve'),
    figure(`Average experts hours${covered}`, f.avgExpertsHours, 'avgExpertsHours'),
    figure(`Average your action hours${covered}`, f.avgCustomerHours, 'avgCustomerHours'),
    figure('Resolved incidents the averages cover', f.timesMeasured ?? null, 'timesMeasured'),
    figure(
      `Average your hours after a handoff (over ${f.handoffsMeasured ?? 0} handed-off incidents)`,
      f.avgHoursAfterHandoff ?? null,
      'avgHoursAfterHandoff',
    ),
    figure(`Times not measured (${NOT_MEASURED_WHY})`, f.timesNotMeasured ?? 0, 'timesNotMeasured'),
    ...f.bySeverity.map((b) => figure(`Severity: ${b.label}`, b.count, 'bySeverity')),
    ...f.byCategory.map((b) => figure(`Category: ${b.label}`, b.count, 'byCategory')),
    ...f.bySource.map((b) => figure(`Service source: ${b.label}`, b.count, 'bySource')),
    ...f.topAssets.map((b) => figure(`Asset: ${b.label}`, b.count, 'topAssets')),
    '',
    csvLine(INCIDENT_COLUMNS),
    ...f.rows.map(incidentLine),
  ];
  return `${UTF8_BOM}${lines.join('\r\n')}\r\n`;
}
