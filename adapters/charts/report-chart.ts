import { createRequire } from 'node:module';
import type { ReportFigures } from '../../bot/sdm/report-figures.js';
import { drawableWith, fontCoverage } from './glyphs.js';
import { FONT_FAMILY, reportChartSpec } from './report-chart-spec.js';

// The report's chart: Vega-Lite spec → Vega SVG on the server (no canvas: text widths are Vega's own
// estimate, the same everywhere) → PNG by resvg with only the bundled DejaVu fonts, so the image is identical
// on every machine. Vega and resvg load on the first chart, not at start-up.

/** The chart is drawn at twice its CSS size, so it stays crisp on high-density screens. */
export const CHART_SCALE = 2;

const require = createRequire(import.meta.url);
/** The bundled fonts: DejaVu Sans covers Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew and Arabic. */
export const FONT_FILES = [
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
] as const;

interface Renderer {
  readonly svg: (spec: Record<string, unknown>) => Promise<string>;
  readonly png: (svg: string) => Buffer;
  readonly coverage: ReadonlySet<number>;
}

let loading: Promise<Renderer> | null = null;

async function load(): Promise<Renderer> {
  const [vega, vl, resvg] = await Promise.all([
    import('vega'),
    import('vega-lite'),
    import('@resvg/resvg-js'),
  ]);
  const regular = FONT_FILES[0];
  const bold = FONT_FILES[1];
  const normal = fontCoverage(regular);
  const strong = fontCoverage(bold);
  const coverage = new Set([...normal].filter((c) => strong.has(c)));
  return {
    coverage,
    async svg(spec) {
      const compiled = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0]).spec;
      const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
      try {
        return await view.toSVG(CHART_SCALE);
      } finally {
        view.finalize();
      }
    },
    png(svg) {
      const r = new resvg.Resvg(svg, {
        font: { loadSystemFonts: false, fontFiles: [regular, bold], defaultFontFamily: FONT_FAMILY },
        fitTo: { mode: 'original' },
      });
      return Buffer.from(r.render().asPng());
    },
  };
}

function renderer(): Promise<Renderer> {
  if (loading === null) {
    loading = load();
    // A failed load is retried on the next chart rather than remembered for the process's life.
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

/** The chart as SVG (its text is real text: names, labels and figures can be read back). */
export async function renderReportChartSvg(f: ReportFigures): Promise<string> {
  const r = await renderer();
  return r.svg(reportChartSpec(f, drawableWith(r.coverage, f.customerName)));
}

/** The chart as a PNG at twice its CSS size. */
export async function renderReportChart(f: ReportFigures): Promise<Buffer> {
  const r = await renderer();
  return r.png(await renderReportChartSvg(f));
}

/** True when the bundled fonts draw every character of `text`. */
export async function chartCanDraw(text: string): Promise<boolean> {
  return drawableWith((await renderer()).coverage, text);
}
