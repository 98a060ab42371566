import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulatedSource } from '../adapters/simulated/simulated-source.js';
import { createSqliteStore } from '../adapters/sqlite/sqlite-store.js';
import { createBot } from '../bot/bot.js';
import type { Customer } from '../bot/domain/customer.js';
import { type Incident, parseIncident } from '../bot/domain/incident.js';
import type { Turn } from '../bot/ports.js';
import { benchDirectory, silentLogger } from './directory.js';
import { type Comparison, interleave, mib, report } from './stats.js';

// An incident-status turn through the core (parse → authorize → store query → card) with 100,000 incidents
// across 50 customers in SQLite. Baseline, same run: the store query alone (the port call the turn makes),
// so the ratio is what the core and the card add on top of the database.

const CUSTOMERS = 50;
const PER_CUSTOMER = 2_000;

const STATUSES = [
  'active',
  'inProgress',
  'inProgress',
  'awaitingAction',
  'resolved',
  'resolved',
  'resolved',
  'redirected',
];
const SEVERITIES = ['low', 'medium', 'high', 'informational'];

/** One synthetic incident: an eighth awaiting the customer, three eighths resolved, severities mixed. */
export function incident(customer: string, n: number): Incident {
  const status = STATUSES[n % STATUSES.length] ?? 'active';
  const at = new Date(Date.UTC(2026, 9, 1) + n * 37_000).toISOString();
  return parseIncident(
    {
      id: String(100_000 + n),
      displayName: `Multi-stage incident involving Execution on endpoint WS-${n % 997} (${n})`,
      status,
      severity: SEVERITIES[n % SEVERITIES.length],
      assignedTo:
        status === 'awaitingAction' ? 'Customer' : status === 'resolved' ? null : 'Defender Experts',
      classification: status === 'resolved' ? 'truePositive' : 'unknown',
      determination: status === 'resolved' ? 'malware' : 'unknown',
      createdDateTime: at,
      lastUpdateDateTime: at,
      systemTags: ['Defender Experts'],
      priorityScore: n % 100,
      incidentWebUrl: `https://security.microsoft.com/incidents/${100_000 + n}`,
      comments: [
        {
          comment: 'Defender Experts are investigating.',
          createdBy: 'Defender Experts',
          createdDateTime: at,
        },
      ],
      alerts: [
        {
          id: `da${n}`,
          title: 'Suspicious PowerShell',
          severity: 'high',
          category: 'Execution',
          assets: [`WS-${n % 997}`],
        },
      ],
      guidedResponse:
        status === 'awaitingAction'
          ? {
              investigationSummary: 'Malware executed from a phishing attachment; contained on one device.',
              actions: [
                {
                  id: '1',
                  kind: 'isolateDevice',
                  target: { type: 'device', id: `m${n}`, name: `WS-${n % 997}` },
                },
              ],
            }
          : null,
    },
    customer,
  );
}

/** Runs the benchmark and returns its printed lines. */
export async function benchIncidentStatus(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'deb-bench-'));
  const directory = benchDirectory(CUSTOMERS, 'customer-');
  const customers = directory.customers;
  const store = await createSqliteStore({ file: join(dir, 'bench.sqlite'), logger: silentLogger });
  const rssBefore = process.memoryUsage().rss;
  const seedStart = performance.now();
  for (const [i, c] of customers.entries()) {
    const batch = Array.from({ length: PER_CUSTOMER }, (_, n) => incident(c.id, i * PER_CUSTOMER + n));
    await store.saveIncidentChanges(c.id, batch, `seed-${i}`);
  }
  const seedSeconds = (performance.now() - seedStart) / 1000;
  const source = createSimulatedSource({
    customers,
    seed: 1,
    clock: { now: () => new Date() },
    initialIncidentsPerCustomer: 7,
  });
  const bot = createBot({ store, source, directory, clock: { now: () => new Date() }, logger: silentLogger });

  let delivery = 0;
  const texts = ['incidents awaiting', 'incidents open high', 'summary', 'incident'];
  const turnFor = (i: number): Turn => {
    const c = customers[i % CUSTOMERS] as Customer;
    const kind = texts[i % texts.length] as string;
    const text =
      kind === 'incident'
        ? `incident ${100_000 + (i % CUSTOMERS) * PER_CUSTOMER + ((i * 7919) % PER_CUSTOMER)}`
        : kind;
    delivery += 1;
    return {
      deliveryId: `bench-${delivery}`,
      principal: {
        platform: 'web',
        userId: 'analyst',
        workspaceId: `customer:${c.id}`,
        displayName: 'Analyst',
      },
      conversation: { platform: 'web', id: 'web:bench', threadId: null, kind: 'personal' },
      input: { kind: 'message', text, attachmentCount: 0 },
    };
  };
  const queryFor = async (i: number): Promise<unknown> => {
    const c = customers[i % CUSTOMERS] as Customer;
    const kind = texts[i % texts.length];
    if (kind === 'incident')
      return store.getIncident(
        c.id,
        String(100_000 + (i % CUSTOMERS) * PER_CUSTOMER + ((i * 7919) % PER_CUSTOMER)),
      );
    if (kind === 'summary') return store.countByView(c.id);
    return store.listIncidents({
      customerId: c.id,
      view: kind === 'incidents awaiting' ? 'awaiting' : 'open',
      severity: kind === 'incidents awaiting' ? null : 'high',
      limit: 10,
      offset: 0,
    });
  };

  // Warm-up: JIT, SQLite page cache, template cache.
  for (let i = 0; i < 400; i += 1) {
    await bot.handleTurn(turnFor(i));
    await queryFor(i);
  }
  const { candidate, baseline } = await interleave(10, 300, (i) => bot.handleTurn(turnFor(i)), queryFor);
  const rssAfter = process.memoryUsage().rss;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  const c: Comparison = { name: 'incident-status turn vs store query alone', candidate, baseline };
  return [
    `seeded ${CUSTOMERS * PER_CUSTOMER} incidents across ${CUSTOMERS} customers in ${seedSeconds.toFixed(1)} s; RSS ${mib(rssBefore)} → ${mib(rssAfter)}`,
    report(c),
  ];
}
