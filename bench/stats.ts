// Timing helpers shared by the benchmarks: medians and tail percentiles of per-operation times, and
// interleaved runs so a candidate and its baseline see the same machine noise.

/** The p-th percentile (0–100) of the samples, nearest-rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

/** Times `fn` once per call, in milliseconds. */
export async function timeEach(
  count: number,
  fn: (i: number) => unknown | Promise<unknown>,
): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  return out;
}

export interface Comparison {
  readonly name: string;
  readonly candidate: readonly number[];
  readonly baseline: readonly number[];
}

/**
 * Runs candidate and baseline in alternating rounds (ABAB…), so drift in machine load hits both; returns the
 * per-operation samples of each.
 */
export async function interleave(
  rounds: number,
  perRound: number,
  candidate: (i: number) => unknown | Promise<unknown>,
  baseline: (i: number) => unknown | Promise<unknown>,
): Promise<{ candidate: number[]; baseline: number[] }> {
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r += 1) {
    a.push(...(await timeEach(perRound, (i) => candidate(r * perRound + i))));
    b.push(...(await timeEach(perRound, (i) => baseline(r * perRound + i))));
  }
  return { candidate: a, baseline: b };
}

const ms = (v: number): string => (v < 0.1 ? `${(v * 1000).toFixed(1)} µs` : `${v.toFixed(3)} ms`);

/** One printed line: medians, p99s and the ratio of medians (candidate / baseline). */
export function report(c: Comparison): string {
  const cm = median(c.candidate);
  const bm = median(c.baseline);
  return [
    c.name.padEnd(44),
    `median ${ms(cm).padStart(10)}  p99 ${ms(percentile(c.candidate, 99)).padStart(10)}`,
    `| baseline median ${ms(bm).padStart(10)}  p99 ${ms(percentile(c.baseline, 99)).padStart(10)}`,
    `| ratio ${(cm / bm).toFixed(2)}×`,
  ].join('  ');
}

export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
