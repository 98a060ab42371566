import { NOT_MEASURED_WHY, type ReportFigures } from './report-figures.js';

// The report as CSV (RFC 4180, CRLF): the summary figures, then one line per incident. Incident text comes
// from the tenant, so a cell that a spreadsheet would run as a formula is prefixed with an apostrophe.

const FORMULA = /^[=+\-@\t\r]/;

/** One CSV cell: quoted when needed, formula starters neutralised. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const line = (cells: readonly (string | number | null)[]): string => cells.map(csvCell).join(',');

/** The whole file; the first line says what it is. */
export function reportCsv(f: ReportFigures): string {
  const lines = [
    line(['Defender Experts report', f.customerName, f.periodLabel, f.from, f.to]),
    line(['metric', 'value']),
    line(['investigated', f.investigated]),
    line(['resolved by the experts', f.resolvedByExperts]),
    line(['resolved with your help', f.resolvedWithYou]),
    line(['still open', f.stillOpen]),
    line(['percent resolved', f.percentResolved]),
    line(['average hours to resolve', f.avgHoursToResolve]),
    line(['average experts hours', f.avgExpertsHours]),
    line(['average customer action hours', f.avgCustomerHours]),
    line([`times not measured (${NOT_MEASURED_WHY})`, f.timesNotMeasured ?? 0]),
    ...f.bySeverity.map((b) => line([`severity: ${b.label}`, b.count])),
    ...f.byCategory.map((b) => line([`category: ${b.label}`, b.count])),
    ...f.bySource.map((b) => line([`service source: ${b.label}`, b.count])),
    ...f.topAssets.map((b) => line([`asset: ${b.label}`, b.count])),
    '',
    line([
      'incident id',
      'title',
      'severity',
      'status',
      'created',
      'handed off',
      'resolved',
      'resolved by',
      'times measured',
      'categories',
      'service sources',
      'assets',
    ]),
    ...f.rows.map((r) =>
      line([
        r.id,
        r.title,
        r.severity,
        r.status,
        r.createdAt,
        r.handedOffAt,
        r.resolvedAt,
        r.resolvedBy === null ? null : r.resolvedBy === 'experts' ? 'experts' : 'with customer',
        r.resolvedBy === null ? null : r.timesMeasured === false ? 'no' : 'yes',
        r.categories.join('; '),
        r.sources.join('; '),
        r.assets.join('; '),
      ]),
    ),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
