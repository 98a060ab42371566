import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { opaqueCustomerLabel } from '../../adapters/graph/metrics.js';
import { METRICS_LABEL_KEY_FILE } from '../../adapters/wiring/sources.js';
import { loadCustomersFile } from '../../bot/config/customers-file.js';
import { type GraphStandIn, startGraphStandIn } from '../support/graph-stand-in/server.js';
import { writeStandInCa } from '../support/graph-stand-in/tls.js';
import { type SpawnedBot, spawnBot } from '../support/spawn-bot.js';

// /metrics is scraped without credentials. Against the real process reading two customers from the Graph
// stand-in, one of which has just refused the app: the scrape must carry neither tenant ids nor customer
// names nor ids (which would give away the provider's customer list and who is unmonitored right now).

const TENANT_A = '7c1f0000-0000-4000-8000-00000000a001';
const TENANT_B = '5e2a0000-0000-4000-8000-00000000b002';
const CUSTOMERS = `customers:
  - id: contoso
    name: Contoso Ltd
    entraTenantId: ${TENANT_A}
    expertsAccess: reader
  - id: fabrikam
    name: Fabrikam Inc
    entraTenantId: ${TENANT_B}
    expertsAccess: operator
`;

let standIn: GraphStandIn;
let dir: string;
let bot: SpawnedBot;
let url: string;
let customersFile: string;

beforeAll(async () => {
  standIn = await startGraphStandIn();
  standIn.addTenant(TENANT_A, 2);
  standIn.addTenant(TENANT_B, 1);
  standIn.revoke(TENANT_B, 'api');
  dir = mkdtempSync(join(tmpdir(), 'sec-metrics-'));
  customersFile = join(dir, 'customers.yaml');
  writeFileSync(customersFile, CUSTOMERS);
  bot = spawnBot({
    DATA_DIR: join(dir, 'data'),
    INCIDENT_SOURCE: 'graph',
    TENANTS_FILE: customersFile,
    GRAPH_CLIENT_ID: standIn.app.clientId,
    GRAPH_CLIENT_SECRET: standIn.app.secret,
    GRAPH_BASE_URL: standIn.url,
    AZURE_AUTHORITY_HOST: standIn.url,
    NODE_EXTRA_CA_CERTS: await writeStandInCa(dir),
    POLL_INTERVAL_SECONDS: '3600',
    LOG_LEVEL: 'warn',
  });
  url = await bot.ready;
});

afterAll(async () => {
  bot?.child.kill('SIGTERM');
  await bot?.exited;
  await standIn?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('names no tenant, no customer and no customer id, yet keeps one series per customer', async () => {
  let scrape = '';
  for (let i = 0; i < 100 && !/graph_tenant_access\{[^}]*\} 0/.test(scrape); i += 1) {
    scrape = await (await fetch(`${url}/metrics`)).text();
    if (!/graph_tenant_access\{[^}]*\} 0/.test(scrape)) await new Promise((r) => setTimeout(r, 100));
  }
  expect(scrape).toMatch(/graph_requests_total\{/);
  const directory = loadCustomersFile(customersFile);
  for (const c of directory.customers) {
    for (const secret of [c.entraTenantId ?? '', c.name, c.id, ...c.name.split(' ')].filter(
      (x) => x.length > 3,
    ))
      expect(scrape.toLowerCase(), secret).not.toContain(secret.toLowerCase());
  }
  const label = opaqueCustomerLabel(readFileSync(join(dir, 'data', METRICS_LABEL_KEY_FILE), 'utf8').trim());
  expect(scrape).toContain(`graph_tenant_access{customer="${label('fabrikam')}"} 0`);
  expect(scrape).toContain(`graph_tenant_access{customer="${label('contoso')}"} 1`);
});
