import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opaqueCustomerLabel } from '../../../adapters/graph/metrics.js';
import { METRICS_LABEL_KEY_FILE } from '../../../adapters/wiring/sources.js';
import type { Reply } from '../../../bot/ports.js';
import { type GraphStandIn, startGraphStandIn } from '../../support/graph-stand-in/server.js';
import { writeStandInCa } from '../../support/graph-stand-in/tls.js';
import { spawnBot } from '../../support/spawn-bot.js';

// `npm start` with INCIDENT_SOURCE=graph, configured the way an operator would — GRAPH_BASE_URL and
// AZURE_AUTHORITY_HOST on the loopback stand-in, its CA in NODE_EXTRA_CA_CERTS, customers in TENANTS_FILE —
// and checked through the dev console API: the incident is there at start, and a change made in "Graph"
// reaches the store through the poller.

const TENANT_A = '7c1f0000-0000-4000-8000-00000000a001';
const TENANT_B = '5e2a0000-0000-4000-8000-00000000b002';

let standIn: GraphStandIn;
let dir: string;
let env: Record<string, string>;

const customersYaml = (): string => `
customers:
  - id: contoso
    name: Contoso Ltd
    entraTenantId: ${TENANT_A}
    expertsAccess: reader
  - id: fabrikam
    name: Fabrikam Inc
    entraTenantId: ${TENANT_B}
    expertsAccess: operator
`;

beforeAll(async () => {
  standIn = await startGraphStandIn();
  standIn.addTenant(TENANT_A, 3);
  standIn.addTenant(TENANT_B, 2);
  dir = mkdtempSync(join(tmpdir(), 'graph-proc-'));
  const tenantsFile = join(dir, 'customers.yaml');
  writeFileSync(tenantsFile, customersYaml());
  env = {
    DATA_DIR: join(dir, 'data'),
    INCIDENT_SOURCE: 'graph',
    TENANTS_FILE: tenantsFile,
    GRAPH_CLIENT_ID: standIn.app.clientId,
    GRAPH_CLIENT_SECRET: standIn.app.secret,
    GRAPH_BASE_URL: standIn.url,
    AZURE_AUTHORITY_HOST: standIn.url,
    NODE_EXTRA_CA_CERTS: await writeStandInCa(dir),
    DEV_CONSOLE: 'on',
    POLL_INTERVAL_SECONDS: '5',
    LOG_LEVEL: 'info',
  };
});

afterAll(async () => {
  await standIn?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function say(url: string, personaId: string, text: string): Promise<readonly Reply[]> {
  const res = await fetch(`${url}/console/api/turn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ personaId, deliveryId: randomUUID(), text }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { replies: Reply[] }).replies;
}

describe('the bot process on Microsoft Graph (stand-in)', () => {
  it('shows a Graph incident in chat, picks up its change by polling, and stops cleanly', async () => {
    const [incident] = standIn.table.list(TENANT_A);
    const [theirs] = standIn.table.list(TENANT_B);
    if (!incident || !theirs) throw new Error('seed');
    const bot = spawnBot(env);
    try {
      const url = await bot.ready;
      const first = (await say(url, 'contoso-analyst', `incident ${incident.id}`))
        .map((r) => r.text)
        .join('\n');
      expect(first).toContain(String(incident.displayName));
      // Another customer's incident is answered like an unknown one.
      expect((await say(url, 'contoso-analyst', `incident ${theirs.id}`))[0]?.text).toMatch(
        /can't find incident/,
      );

      standIn.table.update(TENANT_A, incident.id, { status: 'awaitingAction', assignedTo: 'Customer' });
      let text = '';
      for (let i = 0; i < 60 && !/Awaiting customer action/.test(text); i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        text = (await say(url, 'contoso-analyst', `incident ${incident.id}`)).map((r) => r.text).join('\n');
      }
      expect(text).toMatch(/Status: Awaiting customer action · Assigned to: Customer/);

      const ready = await fetch(`${url}/readyz`);
      expect(await ready.json()).toMatchObject({ source: 'ok', store: 'ok' });
      const metrics = await (await fetch(`${url}/metrics`)).text();
      // Series name customers by an opaque key kept in DATA_DIR, never by tenant id.
      const label = opaqueCustomerLabel(
        readFileSync(join(env.DATA_DIR ?? '', METRICS_LABEL_KEY_FILE), 'utf8').trim(),
      );
      expect(metrics).toContain(`graph_requests_total{customer="${label('contoso')}",status_class="2xx"}`);
      expect(metrics).toContain(`graph_tenant_access{customer="${label('fabrikam')}"} 1`);
      expect(metrics).not.toContain(TENANT_A);
      expect(standIn.requests.filter((r) => r.kind === 'unknown')).toEqual([]);
    } finally {
      bot.child.kill('SIGTERM');
    }
    expect((await bot.exited).code).toBe(0);
    expect(bot.output()).not.toContain(standIn.app.secret);
  });
});
