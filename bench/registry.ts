// What `npm run bench` runs, in order, and how each bench reports into the summary table. A bench returns
// its printed lines and, ideally, the ratios it measured (candidate ÷ baseline, same run) with the goal
// they are held to; a bench that only prints lines has the "… ratio 1.23×" in them read back instead.
// To add a bench, import it in bench/run.ts and add one entry to BENCHES there.

export interface Ratio {
  /** What was compared, e.g. "throughput c=16". */
  readonly what: string;
  readonly value: number;
  /** How the value reads: '×' (a ratio, the default) or a unit for an absolute figure ('MB', 'acks'). */
  readonly unit?: string;
  /** Human-readable goal, e.g. "≥ 0.8×"; met() decides whether it holds. */
  readonly goal?: string;
  readonly met?: boolean;
}

export interface BenchResult {
  readonly lines: readonly string[];
  readonly ratios: readonly Ratio[];
}

export interface Bench {
  /** Short name in the summary table. */
  readonly name: string;
  /** Section heading printed before its lines. */
  readonly title: string;
  readonly run: () => Promise<readonly string[] | BenchResult> | readonly string[];
}

/** Ratios printed as "<name>  … ratio 1.23×" by benches that return lines only. */
export function ratiosFromLines(lines: readonly string[]): Ratio[] {
  const out: Ratio[] = [];
  for (const line of lines) {
    const m = /ratio\s+([\d.]+)×/.exec(line);
    if (m?.[1] === undefined) continue;
    const what = line.split(/\s{2,}|:|\|/)[0]?.trim() ?? '';
    out.push({ what: what === '' ? line.slice(0, 40) : what, value: Number(m[1]) });
  }
  return out;
}

/** The one table `npm run bench` ends with: every ratio of every bench, and whether its goal held. */
export function summaryTable(rows: readonly { bench: string; ratio: Ratio }[]): string[] {
  const w1 = Math.max(5, ...rows.map((r) => r.bench.length));
  const w2 = Math.max(4, ...rows.map((r) => r.ratio.what.length));
  const lines = [
    `${'bench'.padEnd(w1)}  ${'what'.padEnd(w2)}  ${'ratio'.padStart(7)}  goal`,
    `${'-'.repeat(w1)}  ${'-'.repeat(w2)}  ${'-'.repeat(7)}  ----`,
  ];
  for (const { bench, ratio } of rows) {
    const verdict = ratio.met === undefined ? '' : ratio.met ? ' (met)' : ' (NOT met)';
    lines.push(
      `${bench.padEnd(w1)}  ${ratio.what.padEnd(w2)}  ${(ratio.unit === undefined || ratio.unit === '×' ? `${ratio.value.toFixed(2)}×` : `${Math.round(ratio.value)} ${ratio.unit}`).padStart(7)}  ${ratio.goal ?? ''}${verdict}`,
    );
  }
  return lines;
}
