import { slackToPlain } from '../adapters/slack/render/slack-text.js';
import { median } from './stats.js';

// Slack text conversion on hostile shapes: each shape timed at 20,000 and 40,000 characters in the same run.
// Doubling the text doubles the time of a linear conversion (ratio near 2); the former regexes, which
// rescanned to the end from every "<", quadrupled it (six 40,000-character messages held the loop ~1 s).

const SHAPES: Readonly<Record<string, string>> = {
  'ordinary message': 'please check <@U0ALICE|alice> incident 4213 &amp; <https://x.example|the link> ',
  'bare "<"': '<',
  'user mention never closed': '<@U1|',
  'link never closed': '<https://x|',
};

function timeOne(text: string, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    slackToPlain(text, 'U0BOT');
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

const textOf = (unit: string, length: number): string =>
  unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

/** Median time per conversion at 20k and 40k characters, and the 40k/20k ratio, per shape. */
export function benchTextConversion(runs = 30): string[] {
  return Object.entries(SHAPES).map(([name, unit]) => {
    const half = timeOne(textOf(unit, 20_000), runs);
    const full = timeOne(textOf(unit, 40_000), runs);
    return `${name.padEnd(26)} 20k ${half.toFixed(3)} ms  40k ${full.toFixed(3)} ms  ×${(full / half).toFixed(1)}`;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of benchTextConversion()) process.stdout.write(`${line}\n`);
}
