import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type GraphStandIn, startGraphStandIn } from '../../support/graph-stand-in/server.js';
import { writeStandInCa } from '../../support/graph-stand-in/tls.js';
import { type SpawnedBot, spawnBot } from '../../support/spawn-bot.js';

// Start-up probes: the first full sync (long with many customers or a slow Graph) must not keep the probes
// unanswered, or Kubernetes kills the pod before it listens. The real process listens first: /healthz is
// alive at once, /readyz says "starting" until that first pass is done, then ready. Graph is held mid-sync
// by the stand-in (its list page waits for the test), so nothing here depends on timing.

const TENANT = '7c1f0000-0000-4000-8000-00000000a001';
let standIn: GraphStandIn | undefined;
let bot: SpawnedBot | undefined;
const dir = mkdtempSync(join(tmpdir(), 'dxb-startup-'));

afterAll(async () => {
  bot?.child.kill('SIGKILL');
  await standIn?.close();
  rmSync(dir, { recursive: true, force: true });
});

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
const get = async (url: string): Promise<{ status: number; body: unknown } | null> => {
  try {
    const r = await fetch(url);
    return { status: r.status, body: await r.json() };
  } catch {
    return null; // not listening yet
  }
};

describe('start-up with a slow first sync', () => {
  it('answers /healthz at once and /readyz 503 "starting" until the first sync pass is done', async () => {
    standIn = await startGraphStandIn();
    standIn.addTenant(TENANT, 2);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let held = 0;
    standIn.beforeListPage = async () => {
      held += 1;
      await gate;
    };
    const tenantsFile = join(dir, 'customers.yaml');
    writeFileSync(
      tenantsFile,
      `customers:\n  - id: contoso\n    name: Contoso Ltd\n    entraTenantId: ${TENANT}\n`,
    );
    const port = await freePort();
    bot = spawnBot({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: join(dir, 'data'),
      INCIDENT_SOURCE: 'graph',
      TENANTS_FILE: tenantsFile,
      GRAPH_CLIENT_ID: standIn.app.clientId,
      GRAPH_CLIENT_SECRET: standIn.app.secret,
      GRAPH_BASE_URL: standIn.url,
      AZURE_AUTHORITY_HOST: standIn.url,
      NODE_EXTRA_CA_CERTS: await writeStandInCa(dir),
      DEV_CONSOLE: 'off',
      LOG_LEVEL: 'info',
    });
    const base = `http://127.0.0.1:${port}`;
    const until = Date.now() + 30_000;
    let health = await get(`${base}/healthz`);
    while ((health === null || held === 0) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      health = await get(`${base}/healthz`);
    }
    // The first sync is stuck on Graph's list page, and the process already answers.
    expect(held).toBeGreaterThan(0);
    expect(health).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get(`${base}/readyz`)).toEqual({
      status: 503,
      body: { status: 'starting', starting: 'first incident sync' },
    });
    expect(bot.output()).not.toMatch(/listening on/);
    release();
    const url = await bot.ready;
    expect(url).toBe(base);
    const ready = await get(`${base}/readyz`);
    expect(ready?.status).toBe(200);
    expect(ready?.body).toMatchObject({ status: 'ready', store: 'ok', source: 'ok' });
    bot.child.kill('SIGTERM');
    expect((await bot.exited).code).toBe(0);
  }, 60_000);
});
