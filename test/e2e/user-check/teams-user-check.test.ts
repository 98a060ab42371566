import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ActivityJson, FIXTURE_TENANT, teamsActivity } from '../../support/bot-connector-activities.js';
import { type BotConnectorStandIn, startBotConnectorStandIn } from '../../support/bot-connector-standin.js';
import { type GraphStandIn, startGraphStandIn } from '../../support/graph-stand-in/server.js';
import { writeStandInCa } from '../../support/graph-stand-in/tls.js';
import { type SpawnedBot, spawnBot } from '../../support/spawn-bot.js';

// "Was this you?" on Teams with Microsoft Graph, through the real process and both stand-ins: Dana (a
// responder) asks about a sign-in incident; the bot finds the person's Entra object id with GET
// /users/{upn}, opens a proactive 1:1 (createConversation) and asks; another person's click is refused and
// nothing is written; the person's answer is written to the incident's comments in Graph once; a person not
// in the tenant, and one without the app installed, are reported to Dana at once.

const DANA = '00000000-0000-4000-8000-00000000da0a';
const AFFECTED = '00000000-0000-4000-8000-0000000a1e77';
const NO_APP = '00000000-0000-4000-8000-0000000b0b00';
const GRAPH_TENANT = '7c1f0000-0000-4000-8000-00000000a001';

let s: BotConnectorStandIn;
let g: GraphStandIn;
let bot: SpawnedBot;
let url: string;
let dir: string;
let incidentId = '';

const signInAlert = (id: string, upn: string) => ({
  '@odata.type': '#microsoft.graph.security.alert',
  id: `da${id}_${upn.split('@')[0]}`,
  incidentId: id,
  status: 'new',
  severity: 'medium',
  serviceSource: 'azureAdIdentityProtection',
  detectionSource: 'azureAdIdentityProtection',
  title: 'Unfamiliar sign-in properties',
  category: 'InitialAccess',
  createdDateTime: '2026-11-20T03:12:00Z',
  firstActivityDateTime: '2026-11-20T03:12:00Z',
  evidence: [
    {
      '@odata.type': '#microsoft.graph.security.userEvidence',
      userAccount: { accountName: upn.split('@')[0], userPrincipalName: upn },
    },
    {
      '@odata.type': '#microsoft.graph.security.ipEvidence',
      ipAddress: '203.0.113.7',
      location: { city: 'Lagos', countryName: 'Nigeria' },
    },
    { '@odata.type': '#microsoft.graph.security.cloudApplicationEvidence', displayName: 'Exchange Online' },
  ],
});

beforeAll(async () => {
  s = await startBotConnectorStandIn();
  g = await startGraphStandIn();
  g.addTenant(GRAPH_TENANT, 1);
  dir = mkdtempSync(join(tmpdir(), 'teams-user-check-'));
  const [incident] = g.table.list(GRAPH_TENANT);
  incidentId = incident?.id ?? '';
  g.table.update(GRAPH_TENANT, incidentId, {
    displayName: 'Unfamiliar sign-in properties involving three users',
    alerts: [
      signInAlert(incidentId, 'megan.bowen@contoso.example'),
      signInAlert(incidentId, 'nestor.wilke@contoso.example'),
      signInAlert(incidentId, 'ghost@contoso.example'),
    ],
  });
  g.users.add(GRAPH_TENANT, AFFECTED, 'megan.bowen@contoso.example');
  g.users.add(GRAPH_TENANT, NO_APP, 'nestor.wilke@contoso.example');
  s.notInstalledFor.add(NO_APP);
  const tenants = join(dir, 'customers.yaml');
  writeFileSync(
    tenants,
    `customers:
  - id: contoso
    name: Contoso Ltd
    entraTenantId: ${GRAPH_TENANT}
    expertsAccess: reader
    teams: { tenantId: ${FIXTURE_TENANT} }
    responders: [ "teams:${DANA}" ]
experts:
  members: []
`,
  );
  // Both stand-ins' CAs, as an operator would trust their own proxies'.
  const graphCa = await writeStandInCa(dir);
  const cas = join(dir, 'cas.pem');
  writeFileSync(cas, `${readFileSync(graphCa, 'utf8')}\n${s.caPem}`);
  bot = spawnBot({
    ...s.env('127.0.0.1'),
    NODE_EXTRA_CA_CERTS: cas,
    DATA_DIR: join(dir, 'data'),
    TENANTS_FILE: tenants,
    INCIDENT_SOURCE: 'graph',
    GRAPH_CLIENT_ID: g.app.clientId,
    GRAPH_CLIENT_SECRET: g.app.secret,
    GRAPH_BASE_URL: g.url,
    AZURE_AUTHORITY_HOST: g.url,
    LOG_LEVEL: 'info',
  });
  url = await bot.ready;
});

afterAll(async () => {
  bot?.child.kill('SIGTERM');
  await bot?.exited;
  await s?.close();
  await g?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Json = Record<string, unknown>;

/** A Universal Action click by Dana (responder, in the SOC channel) or by someone in a 1:1 chat. */
function invoke(
  who: 'dana' | { aadObjectId: string; name: string },
  verb: string,
  data: Json,
  trigger: 'manual' | 'automatic' = 'manual',
): ActivityJson {
  const a = teamsActivity(who === 'dana' ? 'invoke-refresh' : 'invoke-action-execute', {
    serviceUrl: s.serviceUrl,
    appId: s.appId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger },
  });
  if (who !== 'dana') a.from = { id: `29:1${who.name}Mri`, name: who.name, aadObjectId: who.aadObjectId };
  return a;
}

async function deliver(a: ActivityJson): Promise<Json> {
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await s.channelToken()}` },
    body: JSON.stringify(a),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

const shown = (body: Json): string => JSON.stringify(body.value);
const comments = (): { comment?: string }[] =>
  (g.table.get(GRAPH_TENANT, incidentId)?.comments ?? []) as { comment?: string }[];

function executes(node: unknown, out: Json[] = []): Json[] {
  if (Array.isArray(node)) for (const n of node) executes(n, out);
  else if (typeof node === 'object' && node !== null) {
    const o = node as Json;
    if (o.type === 'Action.Execute') out.push(o);
    for (const v of Object.values(o)) executes(v, out);
  }
  return out;
}

async function waitFor<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 100; i += 1) {
    const v = probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('"Was this you?" in Teams with Microsoft Graph', () => {
  let question: Json = {};

  it('finds the person through Graph, opens a 1:1 by Entra object id and asks what was seen', async () => {
    const card = await deliver(invoke('dana', 'incident.show', { id: incidentId }, 'automatic'));
    const ask = executes(card.value).filter((a) => a.verb === 'usercheck.ask');
    expect(ask.map((a) => (a.data as Json).upn)).toEqual([
      'megan.bowen@contoso.example',
      'nestor.wilke@contoso.example',
    ]);
    const body = await deliver(invoke('dana', 'usercheck.ask', ask[0]?.data as Json));
    expect(shown(body)).toContain('Asked megan.bowen@contoso.example: was this you?');
    const lookup = g.graphRequests().find((r) => r.method === 'GET' && r.path.startsWith('/v1.0/users/'));
    expect(decodeURIComponent(lookup?.path ?? '')).toBe('/v1.0/users/megan.bowen@contoso.example');
    expect(lookup?.status).toBe(200);
    const create = s.calls.find(
      (c) => c.kind === 'create' && JSON.stringify(c.body.members).includes(AFFECTED),
    );
    expect(create?.status).toBe(201);
    const sent = await waitFor(
      () => s.calls.find((c) => c.kind === 'send' && c.conversationId === `a:dm-${AFFECTED}`),
      'the question in the 1:1',
    );
    const text = JSON.stringify(sent.body);
    expect(text).toContain(
      'Sign-in to Exchange Online from 203.0.113.7, Lagos, Nigeria, at 03:12 UTC, new device',
    );
    question = (sent.body.attachments as { content: Json }[])[0]?.content ?? {};
    expect(executes(question).map((a) => (a.data as Json).a)).toEqual(['yes', 'no', 'unsure']);
  });

  it('refuses the forwarded card clicked by another person and writes nothing', async () => {
    const yes = executes(question).find((a) => (a.data as Json).a === 'yes') as Json;
    const body = await deliver(
      invoke(
        { aadObjectId: '00000000-0000-4000-8000-00000000a11c', name: 'Alex' },
        'usercheck.answer',
        yes.data as Json,
      ),
    );
    expect(shown(body)).toContain('only they can answer it');
    expect(comments().some((c) => String(c.comment).includes('Was this you?'))).toBe(false);
  });

  it('writes the person’s answer to the incident’s comments in Graph once, and tells Dana', async () => {
    const yes = executes(question).find((a) => (a.data as Json).a === 'yes') as Json;
    const who = { aadObjectId: AFFECTED.toUpperCase(), name: 'Megan' };
    const body = await deliver(
      invoke(who, 'usercheck.answer', { ...(yes.data as Json), ucNote: 'On my new phone' }),
    );
    expect(shown(body)).toContain('You answered');
    const written = comments().filter((c) => String(c.comment).includes('[Was this you? '));
    expect(written).toHaveLength(1);
    expect(written[0]?.comment).toContain('megan.bowen@contoso.example answered "Yes, this was me"');
    expect(written[0]?.comment).toContain('On my new phone');
    const again = await deliver(invoke(who, 'usercheck.answer', yes.data as Json));
    expect(shown(again)).toContain('Already answered');
    expect(comments().filter((c) => String(c.comment).includes('[Was this you? '))).toHaveLength(1);
    await waitFor(
      () =>
        s.calls.find(
          (c) => c.kind === 'send' && JSON.stringify(c.body).includes('megan.bowen@contoso.example answered'),
        ),
      'Dana told',
    );
  });

  it('tells Dana at once about a person without the app and one not in the tenant', async () => {
    const noApp = await deliver(
      invoke('dana', 'usercheck.ask', { id: incidentId, upn: 'nestor.wilke@contoso.example' }),
    );
    expect(shown(noApp)).toContain('Could not ask nestor.wilke@contoso.example');
    expect(shown(noApp)).toContain('the app must be installed for them');
    expect(s.calls.some((c) => c.kind === 'send' && c.conversationId === `a:dm-${NO_APP}`)).toBe(false);
    const ghost = await deliver(
      invoke('dana', 'usercheck.ask', { id: incidentId, upn: 'ghost@contoso.example' }),
    );
    expect(shown(ghost)).toContain("No user ghost@contoso.example in Contoso Ltd's Microsoft Entra tenant");
  });
});
