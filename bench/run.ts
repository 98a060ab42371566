import { benchAlerts } from './alerts.bench.js';
import { benchCardExpansion } from './card-expansion.bench.js';
import { benchIncidentStatus } from './incident-status.bench.js';
import { type Bench, type BenchResult, type Ratio, ratiosFromLines, summaryTable } from './registry.js';

// `npm run bench`: every benchmark against its baseline in the same run, then one table of all ratios.
// Figures are medians and p99s of per-operation times; compare ratios, not absolute numbers, across
// machines. `npm run bench -- teams slack` runs only the benches whose names are given.

const BENCHES: readonly Bench[] = [
  { name: 'cards', title: 'card expansion', run: benchCardExpansion },
  { name: 'incident-status', title: 'incident status through the core', run: benchIncidentStatus },
  {
    name: 'lists',
    title: 'every list command vs incident <id>, 100,000 incidents across 50 customers',
    run: async () => (await import('./lists.bench.js')).benchLists(),
  },
  { name: 'alerts', title: 'channel alerts: 500 bindings against windowed stand-ins', run: benchAlerts },
  {
    name: 'teams',
    title: 'Teams: the real bot process vs a bare CloudAdapter echo, same JWT validation',
    run: async () => (await import('./teams.bench.js')).benchTeams(),
  },
  {
    name: 'slack-ack',
    title: 'Slack acks: the real bot process vs a bare Bolt ExpressReceiver app at 50 and 200 req/s',
    run: async () => (await import('./slack-ack.bench.js')).benchSlackAck(),
  },
  {
    name: 'slack-text',
    title: 'Slack text conversion: hostile shapes against an ordinary message, 40,000 characters',
    run: async () => (await import('./text-conversion.bench.js')).benchTextConversion(),
  },
  {
    name: 'store',
    title: 'store operations: PostgreSQL against SQLite',
    run: async () => (await import('./store.bench.js')).benchStores(),
  },
  {
    name: 'scale',
    title: 'scale-out: 1, 2 and 3 instances draining one PostgreSQL outbox',
    run: async () => (await import('./scale.bench.js')).benchScale(),
  },
];

const isResult = (r: readonly string[] | BenchResult): r is BenchResult => !Array.isArray(r);

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const started = Date.now();
process.stdout.write(`node ${process.version}, ${new Date().toISOString()}\n`);
const rows: { bench: string; ratio: Ratio }[] = [];
for (const bench of BENCHES) {
  if (only.length > 0 && !only.includes(bench.name)) continue;
  process.stdout.write(`\n== ${bench.title}\n`);
  const result = await bench.run();
  const lines = isResult(result) ? result.lines : result;
  for (const line of lines) process.stdout.write(`${line}\n`);
  for (const ratio of isResult(result) ? result.ratios : ratiosFromLines(lines))
    rows.push({ bench: bench.name, ratio });
}
process.stdout.write('\n== summary: candidate ÷ baseline, same run\n');
for (const line of summaryTable(rows)) process.stdout.write(`${line}\n`);
process.stdout.write(`\ndone in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
