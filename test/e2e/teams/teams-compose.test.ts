import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ActivityJson,
  FIXTURE_TENANT,
  type FixtureName,
  teamsActivity,
} from '../../support/bot-connector-activities.js';
import { FIXTURE_MEMBERS, type TeamsMember } from '../../support/bot-connector-members.js';
import { type BotConnectorStandIn, startBotConnectorStandIn } from '../../support/bot-connector-standin.js';
import { type SpawnedBot, spawnBot } from '../../support/spawn-bot.js';

// The Teams message extension against the real bot process and the Bot Connector stand-in: Microsoft
// Defender portal links pasted in the compose box (composeExtension/queryLink) and the incident search
// (composeExtension/query). Only the asker's own customer's incidents, only in a conversation every tenant
// of which may read them; another customer's id, an unknown id and an unlinked tenant get the same neutral
// preview, and a shared channel with another customer gets nothing of the incident.

const FABRIKAM = '22222222-2222-4222-8222-222222222222';
const STRANGER = '44444444-4444-4444-8444-444444444444';
const SHARED_CHANNEL = '19:SharedWithFabrikam000000000000@thread.tacv2';
// A 1:1 chat between two people (not the chat with the bot), one of them of another tenant.
const EXTERNAL_ONE_ON_ONE =
  '19:a11c0000-0000-4000-8000-00000000a11c_fab10000-0000-4000-8000-0000000fab01@unq.gbl.spaces';
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
  s.members.rosters.set(EXTERNAL_ONE_ON_ONE, [FIXTURE_MEMBERS[0] as TeamsMember, FABI]);
  dataDir = mkdtempSync(join(tmpdir(), 'teams-compose-'));
  // The demo customers: Contoso's Teams tenant is the fixtures' tenant, Fabrikam's is FABRIKAM.
  bot = spawnBot({
    ...s.env('127.0.0.1'),
    DATA_DIR: dataDir,
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

async function deliver(a: ActivityJson): Promise<Json | null> {
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await s.channelToken()}` },
    body: JSON.stringify(a),
  });
  expect(res.status).toBe(200);
  const text = await res.text();
  return text === '' ? null : (JSON.parse(text) as Json);
}

const activity = (name: FixtureName, tenantId = FIXTURE_TENANT, value?: unknown): ActivityJson =>
  teamsActivity(name, {
    serviceUrl: s.serviceUrl,
    appId: s.appId,
    tenantId,
    ...(value === undefined ? {} : { value }),
  });

/** Moves an activity into a shared channel (membership type as Teams reports it). */
function inSharedChannel(a: ActivityJson): ActivityJson {
  a.conversation = {
    isGroup: true,
    conversationType: 'channel',
    tenantId: FIXTURE_TENANT,
    id: SHARED_CHANNEL,
  };
  a.channelData = {
    channel: { id: SHARED_CHANNEL, membershipType: 'shared' },
    team: { id: '19:ScrubbedSocTeam000000000000000@thread.tacv2' },
    tenant: { id: FIXTURE_TENANT },
  };
  return a;
}

interface Result {
  readonly contentType: string;
  readonly content: Json;
  readonly preview: { readonly contentType: string; readonly content: { title: string; text: string } };
}
const resultsOf = (body: Json | null): Result[] => {
  const ext = (body?.composeExtension ?? {}) as Json;
  expect(ext.type, JSON.stringify(body)).toBe('result');
  return ext.attachments as Result[];
};

/** The ids a customer's person sees in `incidents all` in their 1:1 chat (read through the bot, not assumed). */
async function idsSeenIn(tenantId: string): Promise<string[]> {
  const before = s.calls.length;
  const message = teamsActivity('message-personal', {
    serviceUrl: s.serviceUrl,
    appId: s.appId,
    tenantId,
    text: 'incidents all',
  });
  await deliver(message);
  const sent = JSON.stringify(s.calls.slice(before).map((c) => c.body));
  return [...new Set([...sent.matchAll(/#(\d{4,})\b/g)].map((m) => m[1] as string))];
}

const queryLink = (link: string, tenantId = FIXTURE_TENANT): ActivityJson =>
  activity('invoke-compose-query-link', tenantId, { url: link });
const link = (id: string, tid: string | null = FIXTURE_TENANT) =>
  `https://security.microsoft.com/incidents/${id}${tid === null ? '' : `?tid=${tid}`}`;

describe('Teams link unfurling (composeExtension/queryLink)', () => {
  it('previews the sharer’s own incident as an Adaptive Card with a thumbnail preview, never cached', async () => {
    const any = (await idsSeenIn(FIXTURE_TENANT))[0];
    expect(any).toMatch(/^\d+$/);
    const id = any as string;
    const answer = await deliver(
      queryLink(`https://security.microsoft.com/incident2/${id}/overview?tid=${FIXTURE_TENANT}`),
    );
    expect(answer?.cacheInfo).toEqual({ cacheType: 'no-cache' });
    const [card] = resultsOf(answer);
    expect(card?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card?.content).toMatchObject({ type: 'AdaptiveCard', version: '1.3' });
    const text = JSON.stringify(card?.content);
    for (const part of [`Incident ${id}`, 'Status', 'Classification', 'Open in Microsoft Defender portal'])
      expect(text).toContain(part);
    expect(card?.preview.contentType).toBe('application/vnd.microsoft.card.thumbnail');
    expect(card?.preview.content.text).toContain(`Incident ${id}`);
  });

  it('answers another customer’s id, an unknown id and an unlinked tenant with the same neutral preview', async () => {
    const theirs = (await idsSeenIn(FABRIKAM))[0] as string;
    const mine = (await idsSeenIn(FIXTURE_TENANT))[0] as string;
    const answers = [
      await deliver(queryLink(link(theirs, null))),
      await deliver(queryLink(link('987654321'))),
      await deliver(queryLink(link(mine), STRANGER)),
    ].map((b) => resultsOf(b));
    const neutral = JSON.stringify(answers[0]);
    expect(neutral).toContain('Microsoft Defender incident');
    expect(neutral).not.toMatch(/Incident \d|Status|severity/);
    for (const a of answers) expect(JSON.stringify(a)).toBe(neutral);
  });

  it('shows nothing of the incident in a shared channel with another customer’s tenant', async () => {
    const mine = (await idsSeenIn(FIXTURE_TENANT))[0] as string;
    const [card] = resultsOf(await deliver(inSharedChannel(queryLink(link(mine)))));
    expect(JSON.stringify(card)).toContain('Microsoft Defender incident');
    expect(JSON.stringify(card)).not.toContain(`Incident ${mine}`);
  });

  it('shows nothing of the incident in a 1:1 chat with a person of another tenant', async () => {
    const mine = (await idsSeenIn(FIXTURE_TENANT))[0] as string;
    const a = queryLink(link(mine));
    a.conversation = { conversationType: 'personal', tenantId: FIXTURE_TENANT, id: EXTERNAL_ONE_ON_ONE };
    const [card] = resultsOf(await deliver(a));
    expect(JSON.stringify(card)).toContain('Microsoft Defender incident');
    expect(JSON.stringify(card)).not.toContain(`Incident ${mine}`);
  });

  it('returns no preview for a link that is not a portal incident link', async () => {
    for (const other of [
      'http://security.microsoft.com/incidents/1',
      'https://security.microsoft.com/alerts/da1',
    ])
      expect(resultsOf(await deliver(queryLink(other)))).toEqual([]);
  });
});

describe('Teams incident search (composeExtension/query)', () => {
  it('matches the caller’s own incidents by id, pages with skip/count, and never finds another customer’s', async () => {
    const mine = await idsSeenIn(FIXTURE_TENANT);
    const theirs = await idsSeenIn(FABRIKAM);
    expect(mine.length).toBeGreaterThan(1);
    expect(mine.filter((id) => theirs.includes(id))).toEqual([]);
    const search = async (text: string, skip = 0, count = 25) =>
      resultsOf(
        await deliver(
          activity('invoke-compose-query', FIXTURE_TENANT, {
            commandId: 'findIncidents',
            parameters: [{ name: 'query', value: text }],
            queryOptions: { skip, count },
          }),
        ),
      );
    const byId = await search(mine[1] as string);
    expect(byId[0]?.preview.content.text).toContain(`Incident ${mine[1]}`);
    expect(byId[0]?.content).toMatchObject({ type: 'AdaptiveCard' });
    expect(await search(theirs[0] as string)).toEqual([]);
    // Every user principal name has an "@": an entity term that matches many incidents, paged one by one.
    const idOf = (r: Result | undefined) => /Incident (\d+)/.exec(r?.preview.content.text ?? '')?.[1];
    const all = await search('@', 0, 25);
    expect(all.length).toBeGreaterThan(2);
    expect(all.map(idOf).filter((id) => theirs.includes(id ?? ''))).toEqual([]);
    expect(idOf((await search('@', 0, 1))[0])).toBe(idOf(all[0]));
    expect(idOf((await search('@', 1, 1))[0])).toBe(idOf(all[1]));
    expect(await search(mine[0] as string, 1, 1)).toEqual([]);
  });

  it('lists what awaits the customer on the initial run', async () => {
    const results = resultsOf(
      await deliver(
        activity('invoke-compose-query', FIXTURE_TENANT, {
          commandId: 'findIncidents',
          parameters: [{ name: 'initialRun', value: 'true' }],
          queryOptions: { skip: 0, count: 25 },
        }),
      ),
    );
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.preview.content.text).toContain('Awaiting');
  });

  it('refuses in a shared channel with another customer and for an unlinked tenant, with a message only', async () => {
    const query = (tenant: string) =>
      activity('invoke-compose-query', tenant, {
        commandId: 'findIncidents',
        parameters: [{ name: 'query', value: 'incident' }],
        queryOptions: { skip: 0, count: 25 },
      });
    const shared = await deliver(inSharedChannel(query(FIXTURE_TENANT)));
    expect(shared).toMatchObject({ composeExtension: { type: 'message' } });
    expect(JSON.stringify(shared)).toMatch(/other organisations/);
    const stranger = await deliver(query(STRANGER));
    expect(stranger).toMatchObject({ composeExtension: { type: 'message' } });
    expect(JSON.stringify(stranger)).not.toMatch(/Incident \d/);
  });
});
