import type { ReportFigures } from '../../bot/sdm/report-figures.js';
import { rangeText } from '../../bot/sdm/report-period.js';

// The report's chart as a Vega-Lite spec: horizontal bars for the outcome (investigated, resolved by the
// experts, resolved with your help, still open) and for each severity, on one shared scale so every bar's
// length is proportional to its figure across both groups. Pure data: rendering is the renderer's job.

/** Length in CSS pixels of the longest bar (the scale's domain is exactly [0, largest figure]). */
export const BAR_SPAN = 320;
export const FONT_FAMILY = 'DejaVu Sans';

export const BAR_COLORS = {
  outcome: '#0f6cbd',
  High: '#c50f1f',
  Medium: '#ca5010',
  Low: '#986f0b',
  Informational: '#605e5c',
  other: '#605e5c',
} as const;

export interface ChartRow {
  readonly label: string;
  readonly value: number;
  readonly color: string;
}

/** The rows each group draws, in order. */
export function chartGroups(f: ReportFigures): readonly { heading: string; rows: readonly ChartRow[] }[] {
  return [
    {
      heading: 'Incidents',
      rows: [
        { label: 'Investigated', value: f.investigated, color: BAR_COLORS.outcome },
        { label: 'Resolved by the experts', value: f.resolvedByExperts, color: BAR_COLORS.outcome },
        { label: 'Resolved with your help', value: f.resolvedWithYou, color: BAR_COLORS.outcome },
        { label: 'Still open', value: f.stillOpen, color: BAR_COLORS.outcome },
      ],
    },
    {
      heading: 'By severity',
      rows: f.bySeverity.map((b) => ({
        label: b.label,
        value: b.count,
        color: (BAR_COLORS as Readonly<Record<string, string>>)[b.label] ?? BAR_COLORS.other,
      })),
    },
  ];
}

/** The title line: the customer's name when the bundled font can draw all of it, else the customer id. */
export const chartTitle = (f: ReportFigures, nameDrawable: boolean): string =>
  `Defender Experts report · ${nameDrawable ? f.customerName : f.customerId}`;

/** The Vega-Lite spec (a plain object, so the core of the layout can be checked without a renderer). */
export function reportChartSpec(f: ReportFigures, nameDrawable: boolean): Record<string, unknown> {
  const groups = chartGroups(f);
  const max = Math.max(1, ...groups.flatMap((g) => g.rows.map((r) => r.value)));
  const text = { font: FONT_FAMILY, fontSize: 13, color: '#24292f' };
  const panel = (g: { heading: string; rows: readonly ChartRow[] }) => ({
    title: {
      text: g.heading,
      anchor: 'start',
      frame: 'bounds',
      fontSize: 14,
      fontWeight: 'bold',
      font: FONT_FAMILY,
    },
    width: BAR_SPAN,
    height: { step: 28 },
    // Each label keeps its own row even when two groups share a word; the index keeps the data's order.
    data: { values: g.rows.map((r, i) => ({ ...r, row: `${i}` })) },
    encoding: {
      y: {
        field: 'row',
        type: 'ordinal',
        sort: null,
        axis: {
          title: null,
          domain: false,
          ticks: false,
          labelPadding: 10,
          labelLimit: 300,
          // The same label column in both groups, so headings and bars line up.
          minExtent: 250,
          labelFont: FONT_FAMILY,
          labelFontSize: 13,
          labelColor: '#24292f',
          labelExpr: `${JSON.stringify(g.rows.map((r) => r.label))}[datum.value]`,
        },
      },
      x: {
        field: 'value',
        type: 'quantitative',
        scale: { domain: [0, max], nice: false, zero: true },
        axis: null,
      },
    },
    layer: [
      {
        mark: { type: 'bar', height: 18 },
        encoding: { color: { field: 'color', type: 'nominal', scale: null } },
      },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 6, ...text },
        encoding: { text: { field: 'value', type: 'quantitative' } },
      },
    ],
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    padding: 16,
    title: {
      text: chartTitle(f, nameDrawable),
      subtitle: `${f.periodLabel} (${rangeText(f.from, f.to)})`,
      anchor: 'start',
      font: FONT_FAMILY,
      fontSize: 18,
      fontWeight: 'bold',
      subtitleFont: FONT_FAMILY,
      subtitleFontSize: 13,
      subtitleColor: '#605e5c',
      offset: 12,
    },
    vconcat: groups.map(panel),
    spacing: 20,
    config: { font: FONT_FAMILY, view: { stroke: null }, axis: { labelFont: FONT_FAMILY } },
  };
}
