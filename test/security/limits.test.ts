import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../bot/ports.js';
import { type GraphStandIn, startGraphStandIn } from '../support/graph-stand-in/server.js';
import { writeStandInCa } from '../support/graph-stand-in/tls.js';
import { type SpawnedBot, spawnBot } from '../support/spawn-bot.js';

// Smaller limits, tried on the real process: looking up unknown incident ids cannot spend a customer's
// Graph budget (each id is asked once per window, each person only so often); a short Slack OAuth state
// secret and a Teams SDM written as a "29:" id stop start-up with a line that says what to set.

const TENANT = '7c1f0000-0000-4000-8000-00000000a001';
const CUSTOMERS = `customers:
  - id: contoso
    name: Contoso Ltd
    entraTenantId: ${TENANT}
    expertsAccess: reader
`;

const cleanup: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanup) c();
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sec-limits-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('incident lookups of unknown ids', () => {
  let standIn: GraphStandIn;
  let bot: SpawnedBot;
  let url = '';
  beforeAll(async () => {
    standIn = await startGraphStandIn();
    standIn.addTenant(TENANT, 1);
    const dir = dataDir();
    const file = join(dir, 'customers.yaml');
    writeFileSync(file, CUSTOMERS);
    bot = spawnBot({
      DATA_DIR: join(dir, 'data'),
      INCIDENT_SOURCE: 'graph',
      TENANTS_FILE: file,
      GRAPH_CLIENT_ID: standIn.app.clientId,
      GRAPH_CLIENT_SECRET: standIn.app.secret,
      GRAPH_BASE_URL: standIn.url,
      AZURE_AUTHORITY_HOST: standIn.url,
      NODE_EXTRA_CA_CERTS: await writeStandInCa(dir),
      DEV_CONSOLE: 'on',
      POLL_INTERVAL_SECONDS: '3600',
      LOG_LEVEL: 'warn',
    });
    url = await bot.ready;
  });
  afterAll(async () => {
    bot?.child.kill('SIGTERM');
    await bot?.exited;
    await standIn?.close();
  });

  async function say(personaId: string, text: string): Promise<string> {
    const res = await fetch(`${url}/console/api/turn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ personaId, deliveryId: randomUUID(), text }),
    });
    expect(res.status).toBe(200);
    return JSON.stringify(((await res.json()) as { replies: Reply[] }).replies);
  }

  const asked = (id: string): number =>
    standIn.requests.filter((r) => r.kind === 'graph' && r.path.endsWith(`/security/incidents/${id}`)).length;

  it('asks Graph about an unknown id once, however often it is asked for', async () => {
    for (let i = 0; i < 4; i += 1)
      expect(await say('contoso-analyst', 'incident 990001')).toMatch(/can't find incident/);
    expect(await say('contoso-admin', 'incident 990001')).toMatch(/can't find incident/);
    expect(asked('990001')).toBe(1);
  });

  it('lets one person cause only a few Graph lookups a minute; others are still served', async () => {
    const replies: string[] = [];
    for (let i = 0; i < 20; i += 1) replies.push(await say('contoso-responder', `incident ${991000 + i}`));
    const lookups = Array.from({ length: 20 }, (_, i) => asked(String(991000 + i))).reduce(
      (a, b) => a + b,
      0,
    );
    expect(lookups).toBeLessThanOrEqual(5);
    expect(replies.at(-1)).toMatch(/Please wait a minute/);
    expect(await say('contoso-analyst', 'incident 992000')).toMatch(/can't find incident/);
    expect(asked('992000')).toBe(1);
  });
});

describe('configuration that would weaken the bot stops start-up', () => {
  it('refuses a Slack OAuth state secret shorter than 32 characters', async () => {
    const bot = spawnBot({
      DATA_DIR: dataDir(),
      SLACK_SIGNING_SECRET: 'x'.repeat(32),
      SLACK_CLIENT_ID: '1.2',
      SLACK_CLIENT_SECRET: 'client-secret',
      SLACK_STATE_SECRET: 'short-state',
      PUBLIC_BASE_URL: 'https://bot.example.com',
    });
    expect((await bot.exited).code).toBe(1);
    expect(bot.output()).toMatch(/SLACK_STATE_SECRET: must be at least 32 characters/);
    expect(bot.output()).not.toContain('short-state');
  });

  it('refuses a Teams SDM written as a "29:" id, naming the Entra object id', async () => {
    const dir = dataDir();
    const file = join(dir, 'customers.yaml');
    writeFileSync(file, `${CUSTOMERS}    sdm: { name: Dana Reyes, teamsUserId: "29:1ScrubbedDanaMri" }\n`);
    const bot = spawnBot({ DATA_DIR: dir, TENANTS_FILE: file });
    expect((await bot.exited).code).toBe(1);
    expect(bot.output()).toMatch(/teamsUserId.*Entra object id/);
  });
});
