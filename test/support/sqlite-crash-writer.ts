import { createSqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { makeIncident } from './make-incident.js';

// Child process for the SQLite durability test: writes batches as fast as it can and prints "ack <n>"
// after each commit returns, until the parent SIGKILLs it. Usage: sqlite-crash-writer.ts <file> <prefix>

const [file, prefix] = process.argv.slice(2);
if (file === undefined || prefix === undefined) {
  process.stderr.write('usage: sqlite-crash-writer.ts <file> <prefix>\n');
  process.exit(2);
}
const store = await createSqliteStore({ file });
const base = Date.parse('2026-11-20T08:00:00Z');
for (let n = 1; ; n++) {
  const at = new Date(base + n * 1000).toISOString();
  const batch = [
    makeIncident('crash', { id: `${prefix}-${n}`, lastUpdateDateTime: at, summary: 'x'.repeat(2000) }),
    makeIncident('crash', { id: `${prefix}-${n}-b`, lastUpdateDateTime: at }),
  ];
  await store.saveIncidentChanges('crash', batch, `${prefix}:${n}`);
  await store.claimOnce(`${prefix}:${n}`, 3600);
  process.stdout.write(`ack ${n}\n`);
}
