import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Installation } from '@slack/bolt';
import express from 'express';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedSource } from '../../../adapters/simulated/simulated-source.js';
import { BUSY_TEXT } from '../../../adapters/slack/listeners/after-ack.js';
import { createSlackAdapter, type SlackAdapter } from '../../../adapters/slack/slack-adapter.js';
import { createSqliteStore, type SqliteStore } from '../../../adapters/sqlite/sqlite-store.js';
import { createBot } from '../../../bot/bot.js';
import { demoDirectory } from '../../../bot/config/demo-customers.js';
import { type Logger, systemClock } from '../../../bot/ports.js';
import { createIncidentSync } from '../../../bot/sync/incident-sync.js';
import {
  eventEnvelope,
  postEvent,
  postInteraction,
  type SlackTarget,
  slashCommand,
  uniqueTs,
} from '../../support/slack-harness.js';
import { FORM, fixture, formBody, postSigned, SIGNING_SECRET } from '../../support/slack-signing.js';
import { type SlackStandIn, startSlackStandIn } from '../../support/slack-standin.js';

// The work after a Slack ack, through the real adapter and core in this process (so the queue's bounds can
// be set small), with requests signed as Slack signs them and the Web API stand-in: acknowledgements do
// not wait for the work; the queue keeps its bound and each workspace its share; whoever is turned away
// with a response_url is told so there; the accepted work still runs and answers; one claim per delivery.
// OAuth distribution, with the workspaces' installations stored up front, so that an uninstall arriving
// while the queue is full has a stored installation to delete (it is never shed).

const directory = demoDirectory();
let standIn: SlackStandIn;
let store: SqliteStore;
let slack: SlackAdapter;
let server: Server;
let h: SlackTarget;
const registry = new Registry();
const logs: { level: string; obj: object; msg: string }[] = [];
const logger: Logger = {
  debug: (obj, msg) => logs.push({ level: 'debug', obj, msg: msg ?? '' }),
  info: (obj, msg) => logs.push({ level: 'info', obj, msg: msg ?? '' }),
  warn: (obj, msg) => logs.push({ level: 'warn', obj, msg: msg ?? '' }),
  error: (obj, msg) => logs.push({ level: 'error', obj, msg: msg ?? '' }),
};

/** A workspace installation as bolt's installer stores it. */
const installation = (team: string): Installation => ({
  team: { id: team },
  enterprise: undefined,
  isEnterpriseInstall: false,
  appId: 'A0DXBAPP',
  tokenType: 'bot',
  bot: { token: `xoxb-${team}-oauth`, userId: 'UBOT', id: 'B0BOT', scopes: ['chat:write', 'commands'] },
  user: { id: 'U0ADMIN', token: undefined, scopes: undefined },
});
const WORKSPACES = ['T0CONTOSO', 'T0FABRIKAM', 'T0LEAVING'];

beforeAll(async () => {
  standIn = await startSlackStandIn();
  standIn.users.set('U0ALICE', { team_id: 'T0CONTOSO', name: 'alice' });
  standIn.users.set('U0FABI', { team_id: 'T0FABRIKAM', name: 'fabi' });
  store = await createSqliteStore({
    file: join(mkdtempSync(join(tmpdir(), 'dxb-after-ack-')), 'bot.sqlite'),
    logger,
  });
  const source = createSimulatedSource({
    customers: directory.customers,
    seed: 7,
    clock: systemClock,
    initialIncidentsPerCustomer: 6,
  });
  await createIncidentSync({ store, source, directory, logger }).syncAll();
  for (const team of WORKSPACES) await store.saveInstallation('slack', team, installation(team));
  const bot = createBot({ store, source, directory, clock: systemClock, logger });
  slack = createSlackAdapter(
    {
      transport: { kind: 'http', signingSecret: SIGNING_SECRET },
      auth: {
        kind: 'oauth',
        clientId: '1111.2222',
        clientSecret: 'client-secret',
        stateSecret: 'state-secret-long-enough-to-sign',
        redirectUri: null,
      },
      apiUrl: standIn.apiUrl,
    },
    {
      directory,
      store,
      clock: systemClock,
      logger,
      registry,
      afterAck: { concurrency: 1, maxQueued: 3, maxQueuedPerTeam: 2 },
    },
  );
  slack.bind(bot);
  await slack.start();
  const app = express();
  app.use(slack.router);
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  h = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, standIn };
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await slack?.stop();
  await store?.close();
  await standIn?.close();
});

async function metric(name: string, labels: Record<string, string> = {}): Promise<number> {
  const found = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = (found?.values ?? []).find((v) =>
    Object.entries(labels).every(([k, l]) => (v.labels as Record<string, unknown>)[k] === l),
  );
  return Number(value?.value ?? 0);
}

async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never: ${what}`);
}

const hookText = (hook: string): string[] =>
  standIn.calls.filter((c) => c.method === hook).map((c) => JSON.stringify(c.args));

describe('work after the Slack ack', () => {
  it('acknowledges at once while the work waits; sheds beyond the bound with a busy answer; runs the rest fairly', async () => {
    // Slack is slow to answer users.info: the first command's work holds the only worker.
    const release = standIn.hold('users.info');
    try {
      await fillAndRelease(release);
    } finally {
      release();
    }
  });
  async function fillAndRelease(release: () => void): Promise<void> {
    const timed = async <T extends { res: Response }>(send: () => Promise<T>) => {
      const t0 = performance.now();
      const r = await send();
      return { ...r, ms: performance.now() - t0 };
    };
    const first = await timed(() => slashCommand(h, 'help', { user: 'U0ALICE', team: 'T0CONTOSO' }));
    await until(async () => (await metric('slack_work_running')) === 1, 'the first command running');
    // Contoso may hold two of the three places; Fabrikam still gets the third.
    const second = await timed(() => slashCommand(h, 'help', { user: 'U0ALICE', team: 'T0CONTOSO' }));
    const third = await timed(() => slashCommand(h, 'help', { user: 'U0ALICE', team: 'T0CONTOSO' }));
    const shed = await timed(() => slashCommand(h, 'help', { user: 'U0ALICE', team: 'T0CONTOSO' }));
    const ts = uniqueTs();
    const mention = await timed(async () => ({
      res: await postEvent(
        h,
        eventEnvelope('app-mention', {
          text: '<@UBOT> help',
          ts,
          event_ts: ts,
          user: 'U0ALICE',
          channel: 'C0SHEDEVENT',
        }),
      ),
    }));
    // A modal submission has no response_url: while Contoso has no room, its modal stays open and says so.
    const base = fixture('view-submission');
    const form = await timed(async () => ({
      res: await postInteraction(h, {
        ...base,
        view: {
          ...(base.view as object),
          id: 'V0BUSYFORM',
          callback_id: 'dxb:ask',
          state: {
            values: { 'ask:question': { 'dxb:in': { type: 'plain_text_input', value: 'Is it us?' } } },
          },
        },
      }),
    }));
    expect(await form.res.json()).toEqual({
      response_action: 'errors',
      errors: { 'ask:question': BUSY_TEXT },
    });
    const fabrikam = await timed(() => slashCommand(h, 'help', { user: 'U0FABI', team: 'T0FABRIKAM' }));
    const all = [first, second, third, shed, mention, form, fabrikam];
    for (const r of all) expect(r.res.status).toBe(200);
    // Acknowledged while the work is stuck behind Slack: no ack waited for it.
    expect(Math.max(...all.map((r) => r.ms))).toBeLessThan(1_000);
    expect(await metric('slack_work_queued')).toBe(3);

    // The one turned away is told so at once, through its response_url, privately.
    await standIn.waitFor((c) => c.method === shed.hook, 'the busy answer');
    expect(standIn.calls.find((c) => c.method === shed.hook)?.args).toMatchObject({
      response_type: 'ephemeral',
      text: BUSY_TEXT,
    });
    expect(await metric('slack_requests_shed_total', { kind: 'command', answer: 'busy_reply' })).toBe(1);
    expect(await metric('slack_requests_shed_total', { kind: 'interaction', answer: 'busy_reply' })).toBe(1);
    // The event has no response_url: dropped, warned about and counted.
    expect(await metric('slack_requests_shed_total', { kind: 'event', answer: 'dropped' })).toBe(1);
    expect(logs.some((l) => l.level === 'warn' && /work queue is full/.test(l.msg))).toBe(true);

    release();
    for (const r of [first, second, third, fabrikam])
      await standIn.waitFor((c) => c.method === r.hook, `the answer at ${r.hook}`);
    for (const r of [first, second, third, fabrikam]) {
      expect(hookText(r.hook)).toHaveLength(1);
      expect(hookText(r.hook)[0]).toContain('What I can do');
    }
    expect(hookText(shed.hook)).toHaveLength(1);
    // Round-robin: Fabrikam's command, queued last, ran before Contoso's third.
    const seqOf = (hook: string) => standIn.calls.find((c) => c.method === hook)?.seq ?? 0;
    expect(seqOf(fabrikam.hook)).toBeLessThan(seqOf(third.hook));
    expect(standIn.calls.some((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts)).toBe(false);
  }

  it('claims a command once, and a replay of the same delivery is not run again', async () => {
    const trigger = standIn.issueTrigger();
    const fields = { user: 'U0ALICE', team: 'T0CONTOSO' };
    const { hook } = await slashCommandWith(trigger, 'cmd-once', fields);
    await standIn.waitFor((c) => c.method === hook, 'the answer');
    await slashCommandWith(trigger, 'cmd-once', fields);
    await until(async () => (await metric('slack_work_queued')) === 0, 'the queue empty');
    await until(async () => (await metric('slack_work_running')) === 0, 'nothing running');
    expect(hookText(hook)).toHaveLength(1);
    // The adapter's claim is the only one: the core's own key was never written.
    expect(await store.claimOnce(`slack:cmd:${trigger}`, 60)).toBe(false);
    expect(await store.claimOnce(`turn:slack:cmd:${trigger}`, 60)).toBe(true);
  });

  it('never sheds an uninstall: with the queue full, the workspace’s stored installation is still deleted', async () => {
    expect(await store.getInstallation('slack', 'T0LEAVING')).not.toBeNull();
    const release = standIn.hold('users.info');
    try {
      // Someone not looked up yet: the first command's work waits on users.info, holding the only worker.
      standIn.users.set('U0CAROL', { team_id: 'T0CONTOSO', name: 'carol' });
      const contoso = { user: 'U0CAROL', team: 'T0CONTOSO' };
      await slashCommand(h, 'help', contoso);
      await until(async () => (await metric('slack_work_running')) === 1, 'the first command running');
      await slashCommand(h, 'help', contoso);
      await slashCommand(h, 'help', contoso);
      await slashCommand(h, 'help', { user: 'U0FABI', team: 'T0FABRIKAM' });
      await until(async () => (await metric('slack_work_queued')) === 3, 'the queue full');
      const dropped = await metric('slack_requests_shed_total', { kind: 'event', answer: 'dropped' });
      const res = await postEvent(h, {
        ...eventEnvelope('app-mention', { type: 'app_uninstalled' }),
        team_id: 'T0LEAVING',
        context_team_id: 'T0LEAVING',
        authorizations: [
          {
            enterprise_id: null,
            team_id: 'T0LEAVING',
            user_id: 'UBOT',
            is_bot: true,
            is_enterprise_install: false,
          },
        ],
      });
      expect(res.status).toBe(200);
      // Queued past the bound, not dropped; it runs after the ack, in its turn.
      await until(async () => (await metric('slack_work_queued')) === 4, 'the uninstall waiting');
      expect(await metric('slack_requests_shed_total', { kind: 'event', answer: 'dropped' })).toBe(dropped);
      expect(await store.getInstallation('slack', 'T0LEAVING')).not.toBeNull();
    } finally {
      release();
    }
    await until(async () => (await store.getInstallation('slack', 'T0LEAVING')) === null, 'the deletion');
    expect(logs.some((l) => l.msg === 'Slack: installation removed')).toBe(true);
    expect(await store.getInstallation('slack', 'T0CONTOSO')).not.toBeNull();
    await until(async () => (await metric('slack_work_queued')) === 0, 'the queue empty');
  });
});

/** A slash command with a given trigger_id and response_url id (a replay sends the very same fields). */
async function slashCommandWith(
  trigger: string,
  hookId: string,
  opts: { user: string; team: string },
): Promise<{ hook: string }> {
  const fields = {
    ...fixture<Record<string, string>>('slash-command'),
    text: 'help',
    user_id: opts.user,
    team_id: opts.team,
    channel_id: 'C0ONCE',
    response_url: standIn.responseUrl(hookId),
    trigger_id: trigger,
  };
  const res = await postSigned(h.url, formBody(fields), FORM);
  expect(res.status).toBe(200);
  return { hook: `hook:${hookId}` };
}
