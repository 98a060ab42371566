import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulatedSource } from '../adapters/simulated/simulated-source.js';
import { createSqliteStore } from '../adapters/sqlite/sqlite-store.js';
import { createBot } from '../bot/bot.js';
import type { Customer } from '../bot/domain/customer.js';
import type { Turn } from '../bot/ports.js';
import { benchDirectory, silentLogger } from './directory.js';
import { incident } from './incident-status.bench.js';
import type { BenchResult, Ratio } from './registry.js';
import { median, mib, percentile } from './stats.js';

// Every list command through the core against `incident <id>` (one keyed lookup), turn for turn in the same
// run, at 100,000 incidents across 50 customers in SQLite. Goal: each list's median within 2× the lookup's.

const CUSTOMERS = 50;
const PER_CUSTOMER = 2_000;
const ROUNDS = Number(process.env.BENCH_LISTS_ROUNDS ?? 10);
const PER_ROUND = 100;

const COMMANDS = [
  'incidents awaiting',
  'incidents awaiting high',
  'incidents open high',
  'incidents investigating',
  'incidents resolved',
  'incidents all',
  'summary',
  'find WS-42',
];

/** Runs the benchmark: one line per list command, plus the seed and RSS line. */
export async function benchLists(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'deb-lists-'));
  const directory = benchDirectory(CUSTOMERS, 'customer-');
  const customers = directory.customers;
  const store = await createSqliteStore({ file: join(dir, 'bench.sqlite'), logger: silentLogger });
  for (const [i, c] of customers.entries()) {
    const batch = Array.from({ length: PER_CUSTOMER }, (_, n) => incident(c.id, i * PER_CUSTOMER + n));
    await store.saveIncidentChanges(c.id, batch, `seed-${i}`);
  }
  const clock = { now: () => new Date() };
  const source = createSimulatedSource({ customers, seed: 1, clock, initialIncidentsPerCustomer: 7 });
  const bot = createBot({ store, source, directory, clock, logger: silentLogger });
  let delivery = 0;
  const turn = (i: number, text: string): Turn => {
    const c = customers[i % CUSTOMERS] as Customer;
    delivery += 1;
    return {
      deliveryId: `lists-${delivery}`,
      principal: {
        platform: 'web',
        userId: 'analyst',
        workspaceId: `customer:${c.id}`,
        displayName: 'Analyst',
      },
      conversation: { platform: 'web', id: 'web:lists', threadId: null, kind: 'personal' },
      input: { kind: 'message', text, attachmentCount: 0 },
    };
  };
  const lookup = (i: number): string =>
    `incident ${100_000 + (i % CUSTOMERS) * PER_CUSTOMER + ((i * 7919) % PER_CUSTOMER)}`;
  const samples = new Map<string, number[]>([
    ['incident <id>', []],
    ...COMMANDS.map((c) => [c, []] as [string, number[]]),
  ]);
  const time = async (name: string, text: string, i: number, keep = true): Promise<void> => {
    const t0 = performance.now();
    await bot.handleTurn(turn(i, text));
    if (keep) samples.get(name)?.push(performance.now() - t0);
  };
  for (let i = 0; i < 100; i += 1) {
    await time('incident <id>', lookup(i), i, false); // warm-up: JIT, page cache, templates
    for (const c of COMMANDS) await time(c, c, i, false);
  }
  const rssBefore = process.memoryUsage().rss;
  for (let r = 0; r < ROUNDS; r += 1) {
    for (let k = 0; k < PER_ROUND; k += 1) {
      const i = r * PER_ROUND + k;
      await time('incident <id>', lookup(i), i);
      for (const c of COMMANDS) await time(c, c, i);
    }
  }
  const rssAfter = process.memoryUsage().rss;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  const base = median(samples.get('incident <id>') ?? []);
  const ratios: Ratio[] = [];
  const lines = [
    `${CUSTOMERS * PER_CUSTOMER} incidents, ${CUSTOMERS} customers; RSS ${mib(rssBefore)} → ${mib(rssAfter)}`,
  ];
  for (const [name, list] of samples) {
    const m = median(list);
    if (name !== 'incident <id>')
      ratios.push({ what: `${name} p50 ÷ incident <id>`, value: m / base, goal: '≤ 2×', met: m / base <= 2 });
    lines.push(
      `${name.padEnd(26)} median ${m.toFixed(3)} ms  p99 ${percentile(list, 99).toFixed(3)} ms  | ${(m / base).toFixed(2)}× incident <id>`,
    );
  }
  return { lines, ratios };
}
