import { benchAlerts } from './alerts.bench.js';
import { benchCardExpansion } from './card-expansion.bench.js';
import { benchIncidentStatus } from './incident-status.bench.js';

// `npm run bench`: every benchmark against its baseline in the same run. Figures are medians and p99s of
// per-operation times; compare ratios, not absolute numbers, across machines.

const started = Date.now();
process.stdout.write(`node ${process.version}, ${new Date().toISOString()}\n\n== card expansion\n`);
for (const line of await benchCardExpansion()) process.stdout.write(`${line}\n`);
process.stdout.write('\n== incident status through the core\n');
for (const line of await benchIncidentStatus()) process.stdout.write(`${line}\n`);
process.stdout.write('\n== channel alerts: 500 bindings against windowed stand-ins\n');
for (const line of await benchAlerts()) process.stdout.write(`${line}\n`);
for (const line of await (await import('./teams.bench.js')).benchTeams()) process.stdout.write(`${line}\n`);
for (const line of await (await import('./slack-ack.bench.js')).benchSlackAck())
  process.stdout.write(`${line}\n`);
process.stdout.write(
  '\n== Slack text conversion: hostile shapes against an ordinary message, 40,000 characters\n',
);
for (const line of (await import('./text-conversion.bench.js')).benchTextConversion())
  process.stdout.write(`${line}\n`);
process.stdout.write('\n== store operations: PostgreSQL against SQLite\n');
for (const line of await (await import('./store.bench.js')).benchStores()) process.stdout.write(`${line}\n`);
process.stdout.write('\n== scale-out: 1, 2 and 3 instances draining one PostgreSQL outbox\n');
for (const line of await (await import('./scale.bench.js')).benchScale()) process.stdout.write(`${line}\n`);
process.stdout.write(`\ndone in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
