import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ActivityJson,
  FIXTURE_USER_MRI,
  type FixtureName,
  type Readdress,
  teamsActivity,
} from '../../support/bot-connector-activities.js';
import {
  type BotConnectorStandIn,
  type ConnectorCall,
  startBotConnectorStandIn,
} from '../../support/bot-connector-standin.js';
import { forgedCases } from '../../support/bot-connector-tokens.js';
import { type SpawnedBot, spawnBot } from '../../support/spawn-bot.js';

// The real bot process (npm start's entry point) configured by environment alone to trust a Bot Connector
// stand-in: channel tokens are validated against the stand-in's OpenID metadata and JWKS, the bot's own
// token comes from the stand-in's HTTPS login endpoint (CA via NODE_EXTRA_CA_CERTS), and every reply is
// recorded at the stand-in's conversations API.

let s: BotConnectorStandIn;
let bot: SpawnedBot;
let url: string;
let dataDir: string;
let offList: Server;
let offListPort = 0;
let offListConnections = 0;
const UNLINKED_TENANT = '99999999-0000-4000-8000-00000000dead';

beforeAll(async () => {
  s = await startBotConnectorStandIn();
  // A host the allowlist does not name ("localhost" — the allowlist says 127.0.0.1): counts TCP connections.
  offList = createServer((socket) => {
    offListConnections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => offList.listen(0, '127.0.0.1', resolve));
  offListPort = (offList.address() as { port: number }).port;
  dataDir = mkdtempSync(join(tmpdir(), 'teams-e2e-'));
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
  await new Promise<void>((resolve) => (offList ? offList.close(() => resolve()) : resolve()));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown> | null;
}

async function post(activity: unknown, authorization?: string): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (authorization !== undefined) headers.authorization = authorization;
  const res = await fetch(`${url}/api/messages`, { method: 'POST', headers, body: JSON.stringify(activity) });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : (JSON.parse(text) as Record<string, unknown>) };
}

const activity = (name: FixtureName, r: Readdress = {}): ActivityJson =>
  teamsActivity(name, { serviceUrl: s.serviceUrl, appId: s.appId, ...r });

/** Sends an activity with a valid token and returns the answer and what reached the connector. */
async function deliver(a: ActivityJson): Promise<{ answer: Answer; calls: ConnectorCall[] }> {
  const before = s.calls.length;
  const answer = await post(a, `Bearer ${await s.channelToken()}`);
  return { answer, calls: s.calls.slice(before) };
}

type Card = Record<string, unknown> & { refresh?: { action: Record<string, unknown>; userIds: string[] } };
const cardOf = (call: ConnectorCall | undefined): Card => {
  const attachments = call?.body.attachments as Array<{ contentType: string; content: Card }> | undefined;
  expect(attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
  return (attachments?.[0]?.content ?? {}) as Card;
};

function executeActions(
  node: unknown,
  out: Array<Record<string, unknown>> = [],
): Array<Record<string, unknown>> {
  if (Array.isArray(node)) for (const n of node) executeActions(n, out);
  else if (typeof node === 'object' && node !== null) {
    const o = node as Record<string, unknown>;
    if (o.type === 'Action.Execute') out.push(o);
    for (const [k, v] of Object.entries(o)) if (k !== 'refresh') executeActions(v, out);
  }
  return out;
}

describe('Teams over the Bot Framework protocol, against the real process', () => {
  it('answers a personal-chat "incidents awaiting" with a card at the connector, with a bot token from the login stand-in', async () => {
    const a = activity('message-personal', { text: 'incidents awaiting' });
    const { answer, calls } = await deliver(a);
    expect(answer.status).toBe(200);
    expect(calls).toHaveLength(1);
    const [reply] = calls;
    expect(reply?.kind).toBe('reply');
    expect(reply?.conversationId).toBe('a:1ScrubbedPersonalConversationWithAlex');
    expect(reply?.activityId).toBe(a.id);
    expect(reply?.status).toBe(200);
    // The token the bot presented was issued by the stand-in's login endpoint for the bot's credentials.
    expect(s.issuedTokens.has(reply?.authorization?.replace('Bearer ', '') ?? '')).toBe(true);
    expect(s.tokenRequests.at(-1)?.form.get('client_id')).toBe(s.appId);
    const card = cardOf(reply);
    expect(card.type).toBe('AdaptiveCard');
    expect(String(reply?.body.summary)).toMatch(/Contoso/);
    expect(card.refresh?.action).toEqual({
      type: 'Action.Execute',
      verb: 'incidents.list',
      data: { view: 'awaiting', severity: null, offset: 0 },
    });
    expect(card.refresh?.userIds).toEqual([FIXTURE_USER_MRI]);
    for (const action of executeActions(card)) {
      expect(action.fallback).toMatchObject({ type: 'Action.Submit', data: { verb: action.verb } });
    }
  });

  it('answers a channel @mention in its thread, with the mention stripped, and ignores channel chatter', async () => {
    const mention = activity('message-channel-mention');
    const { answer, calls } = await deliver(mention);
    expect(answer.status).toBe(200);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.conversationId).toBe(mention.conversation.id);
    expect(calls[0]?.conversationId).toMatch(/@thread\.tacv2;messageid=/);
    // "incidents awaiting" was understood: a list card, not the unknown-command hint.
    expect(cardOf(calls[0]).refresh?.action.verb).toBe('incidents.list');

    const chatter = activity('message-channel-mention', { text: 'anyone seen the incidents awaiting?' });
    chatter.entities = [];
    const quiet = await deliver(chatter);
    expect(quiet.answer.status).toBe(200);
    expect(quiet.calls).toEqual([]);
  });

  it('answers in a group chat and says attachments are not read', async () => {
    const { calls } = await deliver(activity('message-group-chat'));
    expect(calls.map((c) => c.kind)).toEqual(['reply', 'reply']);
    expect(calls[0]?.body.text).toMatch(/attachments/);
    expect(calls[0]?.body.textFormat).toBe('plain');
    expect(cardOf(calls[1]).refresh?.action.verb).toBe('help');
  });

  it('updates the clicked card through a Universal Action with a non-empty invoke response', async () => {
    const { answer, calls } = await deliver(activity('invoke-action-execute'));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const card = (answer.body?.value ?? {}) as Card;
    expect(card.type).toBe('AdaptiveCard');
    expect(card.refresh?.action).toMatchObject({ verb: 'incidents.list', data: { view: 'open' } });
    expect(calls).toEqual([]); // replaced for the clicker; nothing new posted
  });

  it('answers a refresh with the viewer’s own card and posts nothing', async () => {
    const { answer, calls } = await deliver(activity('invoke-refresh'));
    expect(answer.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const card = (answer.body?.value ?? {}) as Card;
    expect(card.refresh?.userIds).toContain('29:1ScrubbedDanaResponderMri');
    expect(card.refresh?.userIds).toContain(FIXTURE_USER_MRI); // seen in this channel before
    expect(calls).toEqual([]);
  });

  it('has one effect for a redelivered click, and still answers the redelivery', async () => {
    const open = activity('invoke-action-execute', {
      value: { action: { type: 'Action.Execute', title: 'Help', verb: 'help', data: {} }, trigger: 'manual' },
    });
    const first = await deliver(open);
    expect(first.answer.status).toBe(200);
    expect(first.calls).toHaveLength(1); // help answers with a new card
    expect(first.answer.body).toMatchObject({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
    });
    const again = await deliver(open);
    expect(again.answer.status).toBe(200);
    expect(again.answer.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
    expect(String(again.answer.body?.value)).toMatch(/already/i);
    expect(again.calls).toEqual([]);
  });

  it('answers a redelivered message once', async () => {
    const m = activity('message-personal', { text: 'help' });
    expect((await deliver(m)).calls).toHaveLength(1);
    const again = await deliver(m);
    expect(again.answer.status).toBe(200);
    expect(again.calls).toEqual([]);
  });

  it('turns an Action.Submit click from an older client into the same action, updating its card', async () => {
    const submit = activity('message-action-submit');
    const { calls } = await deliver(submit);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.kind).toBe('update');
    expect(calls[0]?.activityId).toBe(submit.replyToId);
    expect(cardOf(calls[0]).refresh?.action.verb).toBe('incidents.list');
  });

  it('welcomes on install once, and each viewer’s refresh shows their own welcome', async () => {
    const install = activity('conversation-update-personal-install');
    const { calls } = await deliver(install);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.kind).toBe('reply');
    const card = cardOf(calls[0]);
    expect(JSON.stringify(card)).toMatch(/Welcome to Defender Experts, Contoso Ltd/);
    expect(card.refresh?.action).toEqual({ type: 'Action.Execute', verb: 'teams.welcome', data: {} });
    expect((await deliver(install)).calls).toEqual([]);

    const refresh = activity('invoke-refresh', {
      value: { action: { type: 'Action.Execute', verb: 'teams.welcome', data: {} }, trigger: 'automatic' },
    });
    const { answer } = await deliver(refresh);
    expect(answer.body).toMatchObject({ type: 'application/vnd.microsoft.card.adaptive' });
    expect(JSON.stringify(answer.body?.value)).toMatch(/Welcome to Defender Experts/);
  });

  it('gives an unlinked tenant the how-to-link card and no data, on install and on a question', async () => {
    const install = activity('conversation-update-team-install', { tenantId: UNLINKED_TENANT });
    const welcomed = await deliver(install);
    expect(welcomed.calls).toHaveLength(1);
    const text = JSON.stringify(welcomed.calls[0]?.body);
    expect(text).toMatch(/not linked/);
    expect(text).toContain(UNLINKED_TENANT);
    expect(text).not.toMatch(/Contoso|Fabrikam|Woodgrove|#\d{4,}/);

    const asked = await deliver(
      activity('message-personal', { tenantId: UNLINKED_TENANT, text: 'incidents all' }),
    );
    expect(asked.calls).toHaveLength(1);
    expect(JSON.stringify(asked.calls[0]?.body)).toMatch(/not linked/);
    expect(JSON.stringify(asked.calls[0]?.body)).not.toMatch(/Contoso|#\d{4,}/);
  });

  it('answers every forged, expired or misaddressed token with 401 and sends nothing', async () => {
    const cases = await forgedCases(s);
    expect(cases.length).toBeGreaterThanOrEqual(12);
    const before = s.calls.length;
    const statuses: Record<string, number> = {};
    for (const c of cases) {
      const a = activity('message-personal', { text: 'incidents all' });
      if (c.activity?.serviceUrl) a.serviceUrl = c.activity.serviceUrl;
      if (c.activity?.channelId) a.channelId = c.activity.channelId;
      const answer = await post(a, c.authorization);
      statuses[c.name] = answer.status;
    }
    expect(statuses).toEqual(Object.fromEntries(cases.map((c) => [c.name, 401])));
    expect(s.calls.length).toBe(before);
    expect(bot.child.exitCode).toBeNull();
  });

  it('never contacts a service URL off the allowlist, even with a valid token for it', async () => {
    const evil = `https://localhost:${offListPort}/amer/`;
    const a = activity('message-personal', { serviceUrl: evil, text: 'incidents all' });
    const before = s.calls.length;
    const answer = await post(a, `Bearer ${await s.channelToken({}, evil)}`);
    expect(offListConnections).toBe(0);
    expect(s.calls.length).toBe(before);
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ error: 'service_url_refused' });
  });

  it('refuses to start with a plain-http login or key endpoint, one line each', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teams-e2e-http-'));
    const broken = spawnBot({
      ...s.env(),
      DATA_DIR: dir,
      ToChannelFromBotLoginUrl: 'http://127.0.0.1:1/botframework.com',
      ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:1/.well-known/openidconfiguration',
    });
    expect((await broken.exited).code).toBe(1);
    expect(broken.output()).toMatch(/Cannot start: ToChannelFromBotLoginUrl: must be an https URL/);
    expect(broken.output()).toMatch(/Cannot start: ToBotFromChannelOpenIdMetadataUrl: must be an https URL/);
    expect(broken.output()).not.toContain(s.appPassword);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses malformed bodies and other methods without processing them', async () => {
    const token = `Bearer ${await s.channelToken()}`;
    const broken = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: token },
      body: '{"type": "message", ',
    });
    expect(broken.status).toBe(400);
    const noSender = activity('message-personal');
    delete (noSender as Record<string, unknown>).from;
    expect((await post(noSender, token)).status).toBe(400);
    expect((await fetch(`${url}/api/messages`)).status).toBe(405);
    const foreignCardAction = activity('invoke-action-execute', {
      value: { action: { type: 'Action.Submit', data: {} } },
    });
    const answer = await post(foreignCardAction, token);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
    });
  });
});
