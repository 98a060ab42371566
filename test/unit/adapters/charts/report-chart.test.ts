import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { drawable } from '../../../../adapters/charts/font.js';
import {
  BAR_COLORS,
  BAR_MAX,
  BAR_X,
  barMidY,
  CHART_WIDTH,
  chartLayout,
  renderReportChart,
} from '../../../../adapters/charts/report-chart.js';
import type { ReportFigures } from '../../../../bot/sdm/report-figures.js';

// The chart PNG decoded by an independent decoder (pngjs): its size, and each bar's length read back from
// the pixels, proportional to the figure it stands for.

const figures: ReportFigures = {
  customerId: 'contoso',
  customerName: 'Contoso Ltd',
  periodLabel: 'October 2026',
  periodKey: '2026-10',
  from: '2026-10-01T00:00:00.000Z',
  to: '2026-11-01T00:00:00.000Z',
  generatedAt: '2026-11-27T09:00:00.000Z',
  investigated: 20,
  resolvedByExperts: 12,
  resolvedWithYou: 5,
  stillOpen: 3,
  percentResolved: 85,
  avgHoursToResolve: 10,
  avgExpertsHours: 6,
  avgCustomerHours: 4,
  bySeverity: [
    { label: 'High', count: 7 },
    { label: 'Medium', count: 10 },
    { label: 'Low', count: 0 },
    { label: 'Informational', count: 3 },
  ],
  byCategory: [],
  bySource: [],
  topAssets: [],
  rows: [],
};

const decode = (png: Buffer): PNG => PNG.sync.read(png);

/** Length of the run of `color` pixels starting at (x, y). */
function runLength(png: PNG, x: number, y: number, color: readonly number[]): number {
  let n = 0;
  for (let xx = x; xx < png.width; xx += 1) {
    const i = (y * png.width + xx) * 4;
    if (png.data[i] !== color[0] || png.data[i + 1] !== color[1] || png.data[i + 2] !== color[2]) break;
    n += 1;
  }
  return n;
}

describe('report chart', () => {
  const png = decode(renderReportChart(figures));
  const layout = chartLayout(figures);

  it('is a PNG of the laid-out size', () => {
    expect(png.width).toBe(CHART_WIDTH);
    expect(png.height).toBe(layout.height);
    expect(png.height).toBeGreaterThan(200);
  });

  it('draws each bar where the figures say: proportional to its value, the largest BAR_MAX long', () => {
    const values = [20, 12, 5, 3, 7, 10, 0, 3];
    expect(layout.bars.map((b) => b.value)).toEqual(values);
    for (const bar of layout.bars) {
      const measured = runLength(png, BAR_X, barMidY(bar), bar.color);
      expect(measured, bar.label).toBe(Math.round((bar.value / 20) * BAR_MAX));
    }
    // The pixel just left of the bars is background, so a bar starts exactly at BAR_X.
    const first = layout.bars[0];
    if (first === undefined) throw new Error('no bars');
    expect(runLength(png, BAR_X - 1, barMidY(first), BAR_COLORS.outcome)).toBe(0);
  });

  it('colours severities apart and leaves a zero bar empty', () => {
    const high = layout.bars.find((b) => b.label === 'High');
    const low = layout.bars.find((b) => b.label === 'Low');
    if (high === undefined || low === undefined) throw new Error('missing bars');
    expect(runLength(png, BAR_X, barMidY(high), BAR_COLORS.high)).toBe(Math.round((7 / 20) * BAR_MAX));
    expect(runLength(png, BAR_X, barMidY(low), BAR_COLORS.low)).toBe(0);
  });

  it('writes labels in ink to the left of the bars', () => {
    const first = layout.bars[0];
    if (first === undefined) throw new Error('no bars');
    let ink = 0;
    for (let y = first.y; y < first.y + 18; y += 1)
      for (let x = 20; x < BAR_X - 10; x += 1) if (png.data[(y * png.width + x) * 4] === 36) ink += 1;
    expect(ink).toBeGreaterThan(50);
  });
});

describe('chart font', () => {
  it('folds accented and special letters to ASCII, so names stay readable', () => {
    expect(drawable('Société Générale')).toBe('SOCIETE GENERALE');
    expect(drawable('Øresund Straße Łódź')).toBe('ORESUND STRASSE LODZ');
    expect(drawable('Œuvre Æsir')).toBe('OEUVRE AESIR');
    expect(drawable('東京')).toBe('??');
  });
});
