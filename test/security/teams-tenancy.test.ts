import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ActivityJson,
  FIXTURE_TENANT,
  FIXTURE_USER_MRI,
  type FixtureName,
  teamsActivity,
} from '../support/bot-connector-activities.js';
import { FIXTURE_MEMBERS, type TeamsMember } from '../support/bot-connector-members.js';
import {
  type BotConnectorStandIn,
  type ConnectorCall,
  startBotConnectorStandIn,
} from '../support/bot-connector-standin.js';
import { type SpawnedBot, spawnBot } from '../support/spawn-bot.js';

// Teams conversations that span organisations, and answers meant for one person, against the real bot
// process and the Bot Connector stand-in (whose member lists carry each member's tenant). A customer's
// data is said in a conversation only when every tenant in it is that customer's or the provider's;
// an activity whose two tenant ids disagree is refused; on the Action.Submit fallback of older clients a
// refusal or a confirmation reaches the clicker alone (their 1:1 chat) and never replaces a shared post.

const FABRIKAM = '22222222-2222-4222-8222-222222222222';
const DANA = '00000000-0000-4000-8000-00000000da0a';
const DANA_MRI = '29:1ScrubbedDanaResponderMri';
const SHARED_CHANNEL = '19:SharedWithFabrikam000000000000@thread.tacv2';
const OWN_SHARED_CHANNEL = '19:SharedWithinContoso00000000000@thread.tacv2';
const EXTERNAL_CHAT = '19:ChatWithFabrikam0000000000000@thread.v2';
const ALERTS = '19:ScrubbedSocChannel0000000000000@thread.tacv2';
const FABI: TeamsMember = {
  id: '29:1FabrikamAnalystMri',
  name: 'Fabi Analyst',
  aadObjectId: '00000000-0000-4000-8000-0000000fab01',
  tenantId: FABRIKAM,
  userRole: 'user',
};

let s: BotConnectorStandIn;
let bot: SpawnedBot;
let url: string;
let dataDir: string;

beforeAll(async () => {
  s = await startBotConnectorStandIn();
  s.members.rosters.set(SHARED_CHANNEL, [...FIXTURE_MEMBERS, FABI]);
  s.members.rosters.set(OWN_SHARED_CHANNEL, FIXTURE_MEMBERS);
  s.members.rosters.set(EXTERNAL_CHAT, [...FIXTURE_MEMBERS, FABI]);
  dataDir = mkdtempSync(join(tmpdir(), 'teams-tenancy-'));
  const tenants = join(dataDir, 'customers.yaml');
  writeFileSync(
    tenants,
    `customers:
  - id: contoso
    name: Contoso Ltd
    expertsAccess: reader
    teams: { tenantId: ${FIXTURE_TENANT} }
    responders: [ "teams:${DANA}" ]
    admins: [ "teams:${DANA}" ]
    responseExecution: true
  - id: fabrikam
    name: Fabrikam Inc
    expertsAccess: reader
    teams: { tenantId: ${FABRIKAM} }
experts:
  members: []
`,
  );
  bot = spawnBot({
    ...s.env('127.0.0.1'),
    DATA_DIR: dataDir,
    TENANTS_FILE: tenants,
    SIMULATION_STEP_SECONDS: '0',
    LOG_LEVEL: 'warn',
  });
  url = await bot.ready;
});

afterAll(async () => {
  bot?.child.kill('SIGTERM');
  await bot?.exited;
  await s?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

type Json = Record<string, unknown>;

const activity = (name: FixtureName, r: { text?: string; value?: unknown } = {}): ActivityJson =>
  teamsActivity(name, { serviceUrl: s.serviceUrl, appId: s.appId, ...r });

/** Moves an activity into a channel thread (membership type as Teams reports it) or a chat. */
function into(a: ActivityJson, where: { channel?: string; chat?: string; membershipType?: string }) {
  const cd = (a.channelData ?? {}) as Json;
  if (where.chat !== undefined) {
    a.conversation = {
      isGroup: true,
      conversationType: 'groupChat',
      tenantId: FIXTURE_TENANT,
      id: where.chat,
    };
    a.channelData = { tenant: cd.tenant };
    return a;
  }
  const channel = where.channel ?? ALERTS;
  a.conversation = {
    isGroup: true,
    conversationType: 'channel',
    tenantId: FIXTURE_TENANT,
    id: `${channel};messageid=1736932811231`,
  };
  a.channelData = {
    channel: { id: channel, ...(where.membershipType ? { membershipType: where.membershipType } : {}) },
    team: { id: '19:ScrubbedSocTeam000000000000000@thread.tacv2' },
    tenant: { id: FIXTURE_TENANT },
  };
  return a;
}

const asDana = (a: ActivityJson): ActivityJson => {
  a.from = { id: DANA_MRI, name: 'Dana Responder', aadObjectId: DANA };
  return a;
};

async function deliver(a: ActivityJson): Promise<{ body: Json | null; calls: ConnectorCall[] }> {
  const before = s.calls.length;
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await s.channelToken()}` },
    body: JSON.stringify(a),
  });
  expect(res.status).toBe(200);
  const text = await res.text();
  return { body: text === '' ? null : (JSON.parse(text) as Json), calls: s.calls.slice(before) };
}

/** Calls that wrote into the given conversation (where everyone in it reads them). */
const into_ = (calls: ConnectorCall[], base: string) => calls.filter((c) => c.conversationBase === base);
/** The 1:1 chat the stand-in opened for `mri`, and what was sent there. */
const privateTo = (calls: ConnectorCall[], mri: string) => ({
  opened: calls.filter((c) => c.kind === 'create' && c.conversationId === `a:dm-${mri}`),
  sent: calls.filter((c) => c.kind === 'send' && c.conversationBase === `a:dm-${mri}`),
});

describe('Teams conversations spanning tenants', () => {
  it('answers a mention privately in a shared channel with another tenant, openly in one without', async () => {
    const shared = await deliver(
      into(activity('message-channel-mention'), { channel: SHARED_CHANNEL, membershipType: 'shared' }),
    );
    expect(into_(shared.calls, SHARED_CHANNEL)).toEqual([]);
    const dm = privateTo(shared.calls, FIXTURE_USER_MRI);
    expect(dm.opened).toHaveLength(1);
    expect(dm.sent.length).toBeGreaterThan(0);
    expect(JSON.stringify(dm.sent.map((c) => c.body))).toMatch(/incidents\.list/);
    expect(s.members.reads).toContain(SHARED_CHANNEL);

    const own = await deliver(
      into(activity('message-channel-mention'), { channel: OWN_SHARED_CHANNEL, membershipType: 'shared' }),
    );
    expect(into_(own.calls, OWN_SHARED_CHANNEL).map((c) => c.kind)).toEqual(['reply']);
  });

  it('answers privately in a group chat with someone of another tenant', async () => {
    const { calls } = await deliver(
      into(activity('message-group-chat', { text: 'incidents all' }), { chat: EXTERNAL_CHAT }),
    );
    expect(into_(calls, EXTERNAL_CHAT)).toEqual([]);
    expect(privateTo(calls, FIXTURE_USER_MRI).sent.length).toBeGreaterThan(0);
  });

  it('takes a shared channel member’s customer from their own tenant, not the channel’s', async () => {
    const a = into(activity('invoke-refresh'), { channel: SHARED_CHANNEL, membershipType: 'shared' });
    a.from = { id: FABI.id, name: FABI.name, aadObjectId: FABI.aadObjectId };
    a.value = {
      action: {
        type: 'Action.Execute',
        verb: 'incidents.list',
        data: { view: 'all', severity: null, offset: 0 },
      },
      trigger: 'manual',
    };
    const { body, calls } = await deliver(a);
    const shown = JSON.stringify(body);
    expect(shown).toMatch(/Fabrikam/);
    expect(shown).not.toMatch(/Contoso/);
    expect(into_(calls, SHARED_CHANNEL)).toEqual([]);
  });

  it('refuses subscribe in a shared channel with another tenant, telling the admin alone why', async () => {
    const a = asDana(
      into(activity('message-channel-mention', { text: '<at>Defender Experts</at> subscribe' }), {
        channel: SHARED_CHANNEL,
        membershipType: 'shared',
      }),
    );
    const { calls } = await deliver(a);
    expect(into_(calls, SHARED_CHANNEL)).toEqual([]);
    expect(JSON.stringify(privateTo(calls, DANA_MRI).sent.map((c) => c.body))).toMatch(/other organisations/);
    const again = asDana(
      into(activity('message-channel-mention', { text: '<at>Defender Experts</at> unsubscribe' }), {
        channel: SHARED_CHANNEL,
        membershipType: 'shared',
      }),
    );
    expect(JSON.stringify(privateTo((await deliver(again)).calls, DANA_MRI).sent.map((c) => c.body))).toMatch(
      /No alerts here/,
    );
  });

  it('welcomes a chat holding another tenant without naming the customer or a role', async () => {
    const install = into(activity('conversation-update-team-install'), { chat: EXTERNAL_CHAT });
    const shared = await deliver(install);
    const text = JSON.stringify(into_(shared.calls, EXTERNAL_CHAT).map((c) => c.body));
    expect(text).toMatch(/Welcome to Defender Experts/);
    expect(text).not.toMatch(/Contoso|Your role/);

    const own = '19:ChatWithinContoso000000000000000@thread.v2';
    const plain = await deliver(into(activity('conversation-update-team-install'), { chat: own }));
    expect(JSON.stringify(into_(plain.calls, own).map((c) => c.body))).toMatch(
      /Welcome to Defender Experts, Contoso Ltd/,
    );
  });

  it('refuses an activity whose tenant ids disagree, answering nothing and showing no data', async () => {
    const m = activity('message-personal', { text: 'incidents all' });
    m.channelData = { ...(m.channelData as Json), tenant: { id: FABRIKAM } };
    const message = await deliver(m);
    expect(message.calls).toEqual([]);

    const i = activity('invoke-action-execute');
    i.channelData = { ...(i.channelData as Json), tenant: { id: FABRIKAM } };
    const invoke = await deliver(i);
    expect(invoke.calls).toEqual([]);
    expect(invoke.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
    expect(JSON.stringify(invoke.body)).not.toMatch(/Contoso|Fabrikam|#\d{3,}/);
    expect(bot.output()).toMatch(/tenant ids disagree/);
  });
});

describe('the Action.Submit fallback of older Teams clients', () => {
  let run: Json = {};

  it('finds an incident with a runnable action (as the responder sees it)', async () => {
    const refresh = (verb: string, data: Json) =>
      activity('invoke-refresh', {
        value: { action: { type: 'Action.Execute', verb, data }, trigger: 'automatic' },
      });
    const list = (await deliver(refresh('incidents.list', { view: 'awaiting', severity: null, offset: 0 })))
      .body;
    const ids = [...JSON.stringify(list).matchAll(/"verb":"incident\.show","data":\{"id":"([^"]+)"/g)].map(
      (m) => m[1] as string,
    );
    for (const id of ids) {
      const card = JSON.stringify((await deliver(refresh('incident.show', { id }))).body);
      const found = /"verb":"response\.run","data":(\{[^}]*\})/.exec(card);
      if (found?.[1]) {
        run = JSON.parse(found[1]) as Json;
        break;
      }
    }
    expect(run.id).toBeDefined();
  });

  it('tells an analyst’s refusal to them alone, never in the alert thread', async () => {
    const submit = into(
      activity('message-action-submit', { value: { verb: 'response.done', data: run } }),
      {},
    );
    const { calls } = await deliver(submit);
    expect(into_(calls, ALERTS)).toEqual([]);
    const dm = privateTo(calls, FIXTURE_USER_MRI);
    expect(dm.opened).toHaveLength(1);
    expect(JSON.stringify(dm.sent.map((c) => c.body))).toMatch(/Only Contoso Ltd responders/);
  });

  it('sends a responder’s Run confirmation to their 1:1 chat and leaves the shared alert post as it is', async () => {
    const submit = asDana(
      into(activity('message-action-submit', { value: { verb: 'response.run', data: run } }), {}),
    );
    const { calls } = await deliver(submit);
    expect(calls.filter((c) => c.kind === 'update')).toEqual([]);
    expect(into_(calls, ALERTS)).toEqual([]);
    const dm = privateTo(calls, DANA_MRI);
    expect(dm.opened).toHaveLength(1);
    expect(JSON.stringify(dm.sent.map((c) => c.body))).toMatch(/response\.run\.confirm/);
  });
});
