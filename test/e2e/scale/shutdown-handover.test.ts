import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type GraphStandIn, startGraphStandIn } from '../../support/graph-stand-in/server.js';
import { writeStandInCa } from '../../support/graph-stand-in/tls.js';
import { createTestSchema, type TestSchema } from '../../support/pg-schema.js';
import { type SpawnedBot, spawnBot } from '../../support/spawn-bot.js';

// Shutdown order on several replicas: a replica told to stop releases its poller locks
// first, so another replica takes its customers over at once — not after it has drained its in-flight work.
// The drain is made long on purpose: a request whose body never finishes keeps the stopping replica's
// HTTP server from closing until the test lets go of it.

const TENANT = '7c1f0000-0000-4000-8000-00000000a001';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), 'dxb-handover-'));
let schema: TestSchema | undefined;
let graph: GraphStandIn | undefined;
let db: pg.Client | undefined;
const bots: SpawnedBot[] = [];

afterAll(async () => {
  for (const b of bots) b.child.kill('SIGKILL');
  await db?.end();
  await graph?.close();
  await schema?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('stopping a replica that polls', () => {
  it('hands its customers to another replica before it drains', async () => {
    schema = await createTestSchema('handover');
    graph = await startGraphStandIn();
    graph.addTenant(TENANT, 2);
    const tenantsFile = join(dir, 'customers.yaml');
    writeFileSync(
      tenantsFile,
      `customers:\n  - id: contoso\n    name: Contoso Ltd\n    entraTenantId: ${TENANT}\n`,
    );
    const caFile = await writeStandInCa(dir);
    const env = (name: string): Record<string, string> => ({
      DATABASE_URL: schema?.databaseUrl ?? '',
      INSTANCE_ID: name,
      INSTANCE_TIMEOUT_SECONDS: '3',
      DATA_DIR: join(dir, name),
      INCIDENT_SOURCE: 'graph',
      TENANTS_FILE: tenantsFile,
      GRAPH_CLIENT_ID: graph?.app.clientId ?? '',
      GRAPH_CLIENT_SECRET: graph?.app.secret ?? '',
      GRAPH_BASE_URL: graph?.url ?? '',
      AZURE_AUTHORITY_HOST: graph?.url ?? '',
      NODE_EXTRA_CA_CERTS: caFile,
      POLL_INTERVAL_SECONDS: '1',
      DEV_CONSOLE: 'off',
      LOG_LEVEL: 'info',
    });
    db = new pg.Client({ connectionString: schema.databaseUrl });
    await db.connect();
    const owner = async (): Promise<string | undefined> =>
      (await db?.query<{ owner: string }>("SELECT owner FROM poller_leases WHERE customer_id = 'contoso'"))
        ?.rows[0]?.owner;

    const first = spawnBot(env('bot-first'));
    bots.push(first);
    await first.ready;
    expect(await owner()).toBe('bot-first'); // its first sync took contoso
    const second = spawnBot(env('bot-second'));
    bots.push(second);
    await second.ready;
    expect(await owner()).toBe('bot-first'); // the live leader keeps it

    // A client still sending its request: the stopping replica waits for it before it finishes.
    const url = new URL(await first.ready);
    const slow = connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve) => slow.once('connect', () => resolve()));
    slow.write('POST /nowhere HTTP/1.1\r\nHost: bot\r\nContent-Length: 10\r\n\r\nab');
    await sleep(200);
    let exited = false;
    void first.exited.then(() => {
      exited = true;
    });
    first.child.kill('SIGTERM');
    // The stopping leader is still draining (the slow request), yet the other replica already polls contoso.
    let now: string | undefined;
    for (let i = 0; i < 100 && now !== 'bot-second'; i += 1) {
      await sleep(50);
      now = await owner();
    }
    expect(now).toBe('bot-second');
    expect(exited).toBe(false);
    slow.destroy();
    expect((await first.exited).code).toBe(0);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  }, 60_000);
});
