import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ActivityJson, FIXTURE_TENANT, teamsActivity } from '../../support/bot-connector-activities.js';
import { type BotConnectorStandIn, startBotConnectorStandIn } from '../../support/bot-connector-standin.js';
import { type SpawnedBot, spawnBot } from '../../support/spawn-bot.js';

// Guided response through Teams Universal Actions against the real process and the Bot Connector stand-in:
// each viewer's refresh shows the buttons of their own role; an analyst's click is answered to them alone;
// the responder's confirmation and result replace the card for the clicker, and nothing is posted.

const DANA = '00000000-0000-4000-8000-00000000da0a'; // responder (the refresh fixture's sender)
// The analyst is the execute fixture's sender (aadObjectId …a11c), who is in no responders list.

let s: BotConnectorStandIn;
let bot: SpawnedBot;
let url: string;
let dataDir: string;

beforeAll(async () => {
  s = await startBotConnectorStandIn();
  dataDir = mkdtempSync(join(tmpdir(), 'teams-response-'));
  const tenants = join(dataDir, 'customers.yaml');
  writeFileSync(
    tenants,
    `customers:
  - id: contoso
    name: Contoso Ltd
    expertsAccess: reader
    teams: { tenantId: ${FIXTURE_TENANT} }
    responders: [ "teams:${DANA}" ]
    responseExecution: true
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

/** A Universal Action from `user` (manual click or automatic refresh). */
function invoke(
  user: 'dana' | 'alex',
  verb: string,
  data: Json,
  trigger: 'manual' | 'automatic' = 'manual',
  id?: string,
): ActivityJson {
  const a = teamsActivity(user === 'dana' ? 'invoke-refresh' : 'invoke-action-execute', {
    serviceUrl: s.serviceUrl,
    appId: s.appId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger },
    ...(id ? { id } : {}),
  });
  return a;
}

async function deliver(a: ActivityJson): Promise<{ body: Json; posted: number }> {
  const before = s.calls.length;
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await s.channelToken()}` },
    body: JSON.stringify(a),
  });
  expect(res.status).toBe(200);
  return { body: (await res.json()) as Json, posted: s.calls.length - before };
}

function actions(node: unknown, out: Json[] = []): Json[] {
  if (Array.isArray(node)) for (const n of node) actions(n, out);
  else if (typeof node === 'object' && node !== null) {
    const o = node as Json;
    if (o.type === 'Action.Execute') out.push(o);
    for (const [k, v] of Object.entries(o)) if (k !== 'refresh') actions(v, out);
  }
  return out;
}

const cardOf = (body: Json): Json => {
  expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  return body.value as Json;
};

describe('guided response in Teams', () => {
  let incident = '';
  let run: Json = {};

  it('shows each viewer their own buttons through the card refresh', async () => {
    const list = cardOf(
      (
        await deliver(
          invoke('dana', 'incidents.list', { view: 'awaiting', severity: null, offset: 0 }, 'automatic'),
        )
      ).body,
    );
    const ids = actions(list)
      .filter((a) => a.verb === 'incident.show')
      .map((a) => (a.data as { id: string }).id);
    for (const id of ids) {
      const card = cardOf((await deliver(invoke('dana', 'incident.show', { id }, 'automatic'))).body);
      const found = actions(card).find((a) => a.verb === 'response.run');
      if (found !== undefined) {
        incident = id;
        run = found;
        expect((card.refresh as Json).action).toMatchObject({ verb: 'incident.show', data: { id } });
        break;
      }
    }
    expect(incident).not.toBe('');
    const alexView = cardOf(
      (await deliver(invoke('alex', 'incident.show', { id: incident }, 'automatic'))).body,
    );
    expect(actions(alexView).filter((a) => String(a.verb).startsWith('response.'))).toEqual([]);
    expect(JSON.stringify(alexView)).toContain('Only Contoso Ltd responders and admins can act');
  });

  it('answers an analyst’s click to them alone and posts nothing', async () => {
    const { body, posted } = await deliver(invoke('alex', 'response.done', run.data as Json));
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect(String(body.value)).toContain('Only Contoso Ltd responders and admins can act');
    expect(posted).toBe(0);
  });

  it('confirms, naming the target, then runs once — a redelivered invoke is answered but not run again', async () => {
    const confirm = await deliver(invoke('dana', 'response.run', run.data as Json));
    const card = cardOf(confirm.body);
    expect(JSON.stringify(card)).toContain('Excluded asset');
    expect(confirm.posted).toBe(0);
    // Every other viewer's client re-draws this message as their own incident card, never the click.
    expect((card.refresh as Json).action).toMatchObject({ verb: 'incident.show', data: { id: incident } });
    const go = actions(card).find((a) => a.verb === 'response.run.confirm') as Json;
    // The confirmation carries a one-time token the Run button does not have.
    expect(go.data).toMatchObject(run.data as Json);
    expect((go.data as Json).c).toMatch(/^[0-9a-f-]{36}$/);
    expect((run.data as Json).c).toBeUndefined();
    const id = `f:${Date.now()}confirm`;
    const first = await deliver(invoke('dana', 'response.run.confirm', go.data as Json, 'manual', id));
    expect(JSON.stringify(cardOf(first.body))).toContain('In progress');
    const again = await deliver(invoke('dana', 'response.run.confirm', go.data as Json, 'manual', id));
    expect(again.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
    expect(String(again.body.value)).toMatch(/already/i);
    // A second click (a new delivery) on the same card finds the run recorded and shows its state.
    const second = await deliver(invoke('dana', 'response.run.confirm', go.data as Json));
    expect(JSON.stringify(cardOf(second.body))).toContain('In progress');
    expect(first.posted + again.posted + second.posted).toBe(0);
  });

  it('skips with the reason typed into the form (Teams merges the input into the data)', async () => {
    const card = cardOf((await deliver(invoke('dana', 'incident.show', { id: incident }, 'automatic'))).body);
    const runAction = (run.data as Json).action;
    const skip = actions(card).find(
      (a) => a.verb === 'response.skip' && (a.data as Json).action !== runAction,
    );
    expect(skip).toBeDefined();
    const form = cardOf((await deliver(invoke('dana', 'response.skip', (skip as Json).data as Json))).body);
    expect(JSON.stringify(form)).toContain('"id":"reason"');
    const go = actions(form).find((a) => a.verb === 'response.skip.confirm') as Json;
    const reason = 'Reimaging the device tonight <at>Everyone</at>';
    const done = await deliver(invoke('dana', 'response.skip.confirm', { ...(go.data as Json), reason }));
    const text = JSON.stringify(cardOf(done.body));
    expect(text).toContain('Skipped');
    expect(text).toContain('Reimaging the device tonight');
    expect(text).not.toContain('<at>Everyone</at>');
    expect(text).toMatch(new RegExp(`skipped by [^(]*\\(teams:${DANA}\\)`));
    expect(done.posted).toBe(0);
  });
});
