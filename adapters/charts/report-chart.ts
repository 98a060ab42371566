import type { ReportFigures } from '../../bot/sdm/report-figures.js';
import { rangeText } from '../../bot/sdm/report-period.js';
import { charAdvance, createRaster, type Rgb, textHeight } from './raster.js';

// The report's chart: horizontal bars for the outcome (investigated, resolved by the experts, resolved with
// you, still open) and for each severity, labelled in a bitmap font. Pure layout, then pixels.

export const CHART_WIDTH = 720;
/** Where every bar starts and how long the largest one is. */
export const BAR_X = 320;
export const BAR_MAX = 300;
const BAR_HEIGHT = 18;
const ROW = 30;
const SCALE = 2;
const TOP = 70;
const SECTION_GAP = 36;

const WHITE: Rgb = [255, 255, 255];
const INK: Rgb = [36, 41, 47];
const SUBTLE: Rgb = [96, 94, 92];
const RULE: Rgb = [225, 223, 221];

export const BAR_COLORS = {
  outcome: [15, 108, 189] as Rgb,
  high: [197, 15, 31] as Rgb,
  medium: [202, 80, 16] as Rgb,
  low: [152, 111, 11] as Rgb,
  informational: [96, 94, 92] as Rgb,
} as const;

export interface ChartBar {
  readonly label: string;
  readonly value: number;
  readonly color: Rgb;
  /** Top of the bar; its length is value / max × BAR_MAX (at least 2 px when value > 0). */
  readonly y: number;
  readonly width: number;
}

export interface ChartLayout {
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly subtitle: string;
  readonly sections: readonly { readonly heading: string; readonly y: number }[];
  readonly bars: readonly ChartBar[];
}

const SEVERITY_COLORS: Readonly<Record<string, Rgb>> = {
  High: BAR_COLORS.high,
  Medium: BAR_COLORS.medium,
  Low: BAR_COLORS.low,
  Informational: BAR_COLORS.informational,
};

/** Where everything goes, from the figures alone (tests read bars back from the PNG against this). */
export function chartLayout(f: ReportFigures): ChartLayout {
  const groups: { heading: string; rows: { label: string; value: number; color: Rgb }[] }[] = [
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
        color: SEVERITY_COLORS[b.label] ?? BAR_COLORS.informational,
      })),
    },
  ];
  const max = Math.max(1, ...groups.flatMap((g) => g.rows.map((r) => r.value)));
  const bars: ChartBar[] = [];
  const sections: { heading: string; y: number }[] = [];
  let y = TOP;
  for (const g of groups) {
    sections.push({ heading: g.heading, y });
    y += ROW;
    for (const r of g.rows) {
      const width = r.value === 0 ? 0 : Math.max(2, Math.round((r.value / max) * BAR_MAX));
      bars.push({ ...r, y, width });
      y += ROW;
    }
    y += SECTION_GAP - ROW + 8;
  }
  const title = `Defender Experts - ${f.customerName}`;
  return {
    width: CHART_WIDTH,
    height: y + 16,
    title,
    subtitle: `${f.periodLabel} (${rangeText(f.from, f.to)})`,
    sections,
    bars,
  };
}

const clipText = (text: string, px: number, scale: number): string => {
  const n = Math.floor(px / charAdvance(scale));
  return text.length <= n ? text : `${text.slice(0, Math.max(0, n - 1))}.`;
};

/** Renders the chart as a PNG. */
export function renderReportChart(f: ReportFigures): Buffer {
  const layout = chartLayout(f);
  const r = createRaster(layout.width, layout.height, WHITE);
  r.text(16, 14, clipText(layout.title, layout.width - 32, SCALE), INK, SCALE);
  r.text(16, 14 + textHeight(SCALE) + 8, clipText(layout.subtitle, layout.width - 32, 1), SUBTLE, 1);
  for (const s of layout.sections) {
    r.text(16, s.y + 4, s.heading, INK, SCALE);
    r.fillRect(16, s.y + ROW - 6, layout.width - 32, 1, RULE);
  }
  for (const b of layout.bars) {
    const textY = b.y + Math.floor((BAR_HEIGHT - textHeight(SCALE)) / 2);
    r.text(28, textY, clipText(b.label, BAR_X - 40, SCALE), INK, SCALE);
    r.fillRect(BAR_X, b.y, b.width, BAR_HEIGHT, b.color);
    r.text(BAR_X + b.width + 8, textY, String(b.value), INK, SCALE);
  }
  return r.png();
}

/** Middle row of a bar, where a reader (or a test) measures its length. */
export const barMidY = (b: ChartBar): number => b.y + Math.floor(BAR_HEIGHT / 2);
