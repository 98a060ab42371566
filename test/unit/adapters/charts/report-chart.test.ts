import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { fontCoverage } from '../../../../adapters/charts/glyphs.js';
import {
  CHART_SCALE,
  chartCanDraw,
  FONT_FILES,
  renderReportChart,
  renderReportChartSvg,
} from '../../../../adapters/charts/report-chart.js';
import { BAR_COLORS, BAR_SPAN } from '../../../../adapters/charts/report-chart-spec.js';
import type { ReportFigures } from '../../../../bot/sdm/report-figures.js';

// The chart drawn by Vega-Lite/Vega (SVG with real text) and resvg (PNG with the bundled DejaVu fonts): the
// SVG says exactly the names, labels and figures, with bars proportional to them; the PNG, decoded by an
// independent decoder (pngjs), is twice the SVG's CSS size and carries the bars' colours.

const figures: ReportFigures = {
  customerId: 'contoso',
  customerName: 'Société Générale Контосо Ελλάδα',
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

const texts = (svg: string): string[] =>
  [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? '');

/** Each bar: its fill and its width in CSS pixels, in drawing order. */
const bars = (svg: string): { fill: string; width: number }[] =>
  [...svg.matchAll(/aria-roledescription="bar" d="M[-\d.e]+,[-\d.e]+h([-\d.e]+)v[^"]*" fill="([^"]+)"/g)].map(
    (m) => ({ width: Number(m[1]), fill: m[2] ?? '' }),
  );

describe('report chart (Vega-Lite → SVG)', async () => {
  const svg = await renderReportChartSvg(figures);

  it('names the customer exactly, accents and Cyrillic and Greek included, with the period', () => {
    expect(texts(svg)).toContain('Defender Experts report · Société Générale Контосо Ελλάδα');
    expect(texts(svg)).toContain('October 2026 (2026-10-01 to 2026-10-31)');
  });

  it('labels every bar in sentence case and writes its figure', () => {
    const t = texts(svg);
    for (const label of [
      'Incidents',
      'Investigated',
      'Resolved by the experts',
      'Resolved with your help',
      'Still open',
      'By severity',
      'High',
      'Medium',
      'Low',
      'Informational',
    ])
      expect(t).toContain(label);
    const figuresDrawn = t.filter((s) => /^\d+$/.test(s)).map(Number);
    expect(figuresDrawn).toEqual([20, 12, 5, 3, 7, 10, 0, 3]);
  });

  it('draws each bar proportional to its figure on one scale, the largest BAR_SPAN long', () => {
    const b = bars(svg);
    expect(b.map((x) => x.width)).toEqual([20, 12, 5, 3, 7, 10, 0, 3].map((v) => (v / 20) * BAR_SPAN));
    expect(b.map((x) => x.fill)).toEqual([
      ...Array(4).fill(BAR_COLORS.outcome),
      BAR_COLORS.High,
      BAR_COLORS.Medium,
      BAR_COLORS.Low,
      BAR_COLORS.Informational,
    ]);
  });

  it('falls back to the customer id for a name the bundled fonts cannot draw (never half a name)', async () => {
    expect(await chartCanDraw('東京セキュリティ')).toBe(false);
    const other = await renderReportChartSvg({ ...figures, customerName: '東京セキュリティ' });
    expect(texts(other)).toContain('Defender Experts report · contoso');
    expect(other).not.toContain('東京');
  });

  it('escapes markup in a name', async () => {
    const other = await renderReportChartSvg({ ...figures, customerName: 'A&B <Corp>' });
    expect(other).toContain('A&amp;B &lt;Corp&gt;');
  });
});

describe('report chart (resvg → PNG)', async () => {
  const svg = await renderReportChartSvg(figures);
  const png = PNG.sync.read(await renderReportChart(figures));
  const cssWidth = Number(/viewBox="0 0 ([\d.]+) /.exec(svg)?.[1]);

  it('is twice the CSS size, for high-density screens', () => {
    expect(CHART_SCALE).toBe(2);
    expect(png.width).toBe(Math.round(cssWidth * 2));
    expect(png.height).toBeGreaterThan(2 * 250);
  });

  it('has real content: the bar colours, dark text and a white background', () => {
    const count = new Map<string, number>();
    for (let i = 0; i < png.data.length; i += 4) {
      const hex = `#${[0, 1, 2].map((k) => (png.data[i + k] ?? 0).toString(16).padStart(2, '0')).join('')}`;
      count.set(hex, (count.get(hex) ?? 0) + 1);
    }
    // The largest bar is BAR_SPAN × 18 CSS pixels, so at 2× it covers 4 × 320 × 18 device pixels, and the
    // other outcome bars add 12 + 5 + 3 twentieths of that.
    const outcome = count.get(BAR_COLORS.outcome) ?? 0;
    expect(outcome).toBe(4 * 18 * BAR_SPAN * (1 + 12 / 20 + 5 / 20 + 3 / 20));
    expect(count.get(BAR_COLORS.High) ?? 0).toBe((4 * 18 * BAR_SPAN * 7) / 20);
    expect(count.get('#ffffff') ?? 0).toBeGreaterThan((png.width * png.height) / 2);
    // Glyphs were drawn (antialiased text leaves many grey levels), so the bundled font was found.
    const dark = [...count].filter(([hex]) => Number.parseInt(hex.slice(1, 3), 16) < 80).length;
    expect(dark).toBeGreaterThan(5);
  });

  it('is the same bytes every time (only the bundled fonts are used)', async () => {
    expect((await renderReportChart(figures)).equals(await renderReportChart(figures))).toBe(true);
  });
});

describe('bundled fonts', () => {
  it('cover Latin, Greek and Cyrillic, not CJK, Thai or Devanagari', () => {
    const c = fontCoverage(FONT_FILES[0]);
    for (const ch of 'éÆøŁßКонтосоΕλλάδα') expect(c.has(ch.codePointAt(0) ?? 0), ch).toBe(true);
    for (const ch of '東ไहि') expect(c.has(ch.codePointAt(0) ?? 0), ch).toBe(false);
  });
});

describe('start-up', () => {
  it('loads Vega and resvg only when the first chart is drawn (no static import anywhere)', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
      );
    const staticImport = /^import\s[^;]*from\s+'(vega|vega-lite|@resvg\/resvg-js)'/m;
    for (const dir of ['adapters', 'bot', 'cards'])
      for (const f of files(dir)) expect(staticImport.test(readFileSync(f, 'utf8')), f).toBe(false);
    const chart = readFileSync('adapters/charts/report-chart.ts', 'utf8');
    expect(chart).toContain("import('vega')");
  });
});
