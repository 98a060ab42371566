import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ActivityJson, type FixtureName, teamsActivity } from '../bot-connector-activities.js';
import {
  type BotConnectorStandIn,
  type ConnectorCall,
  startBotConnectorStandIn,
} from '../bot-connector-standin.js';
import { spawnBot } from '../spawn-bot.js';
import { viewCard } from './card-view.js';
import { simulationControl } from './sim-control.js';
import {
  buttonOf,
  type ChannelName,
  type Observed,
  type Person,
  type Surface,
  sequence,
  waitInLog,
} from './surface.js';
import {
  CHANNELS,
  channelOfBase,
  customersYaml,
  EXPERTS_TENANT,
  PEOPLE,
  personalChat,
  personOfChat,
  QUEUE,
} from './teams-world.js';

// The Teams surface: the real bot process against the Bot Connector stand-in. People send signed
// activities (personal chat, channel @mentions, thread replies, Universal Action invokes); what the bot
// sends is read from the stand-in's conversations API (create/send/reply/update) and from the invoke
// answers, which Teams shows to the clicker alone.

interface Ref {
  /** The conversation id a reply under this message, or a click on it, is addressed to. */
  readonly conversation: string;
  readonly channel: ChannelName | null;
}

/** Starts the stand-in and the bot process (Teams, plus the console's simulation controls). */
export async function startTeamsSurface(): Promise<Surface> {
  const s: BotConnectorStandIn = await startBotConnectorStandIn();
  const dir = mkdtempSync(join(tmpdir(), 'dxb-matrix-teams-'));
  const file = join(dir, 'customers.yaml');
  writeFileSync(file, customersYaml(s.serviceUrl));
  const expert = PEOPLE.expert;
  s.members.rosters.set(QUEUE, [
    {
      id: expert.mri,
      name: expert.name,
      aadObjectId: expert.aad,
      tenantId: EXPERTS_TENANT,
      userRole: 'user',
    },
  ]);
  const bot = spawnBot({
    ...s.env('127.0.0.1'),
    DATA_DIR: join(dir, 'data'),
    TENANTS_FILE: file,
    DEV_CONSOLE: 'on',
    SIMULATION_STEP_SECONDS: '0',
    RELAY_SETTLE_MS: '0',
    LOG_LEVEL: 'warn',
  });
  let url: string;
  try {
    url = await bot.ready;
  } catch (error) {
    await s.close();
    throw error;
  }

  const log: Observed[] = [];
  const next = sequence();
  let read = 0;

  const push = (
    body: Record<string, unknown> | string,
    o: Omit<Observed, 'seq' | 'text' | 'title' | 'facts' | 'buttons' | 'inputs' | 'dialog'>,
  ): void => {
    const message = typeof body === 'string' ? { text: body } : body;
    const attachments = (message.attachments ?? []) as { contentType?: string; content?: unknown }[];
    const card = attachments.find(
      (a) => a.contentType === 'application/vnd.microsoft.card.adaptive',
    )?.content;
    const view = viewCard(message.type === 'AdaptiveCard' ? message : (card ?? null));
    log.push({
      ...o,
      seq: next(),
      dialog: false,
      text: [message.text, message.summary, ...view.texts].filter((t) => typeof t === 'string').join('\n'),
      title: view.title,
      facts: view.facts,
      buttons: view.buttons,
      inputs: view.inputs,
    });
  };

  /** Reads what reached the stand-in's conversations API since the last look. */
  const refresh = async (): Promise<void> => {
    for (; read < s.calls.length; read += 1) {
      const c = s.calls[read] as ConnectorCall;
      if (c.status >= 300 || c.kind === 'other' || c.answeredId === null) continue;
      const channel = channelOfBase(c.conversationBase);
      const person = personOfChat(c.conversationBase);
      if (c.kind === 'create' && channel === null) continue; // a 1:1 chat opened; its message is a send
      const thread = /;messageid=(.+)$/.exec(c.conversationId)?.[1] ?? null;
      const before = c.kind === 'update' ? log.find((m) => m.id === c.activityId && !m.update) : undefined;
      const id = c.answeredId;
      const threadOf = c.kind === 'create' ? null : (before?.threadOf ?? thread);
      // A create carries the first message of the new thread inside it.
      const body = c.kind === 'create' ? ((c.body.activity ?? {}) as Record<string, unknown>) : c.body;
      push(body, {
        id,
        where: threadOf !== null ? 'thread' : channel !== null ? 'channel' : 'personal',
        channel,
        person,
        visibility: channel === null ? 'private' : 'shared',
        threadOf,
        update: c.kind === 'update',
        ref: {
          conversation:
            channel !== null ? `${c.conversationBase};messageid=${threadOf ?? id}` : c.conversationBase,
          channel,
        } satisfies Ref,
      });
    }
  };

  const deliver = async (a: ActivityJson): Promise<Record<string, unknown> | null> => {
    const res = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        authorization: `Bearer ${await s.channelToken()}`,
      },
      body: JSON.stringify(a),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`Teams activity answered ${res.status}: ${text}`);
    return text === '' ? null : (JSON.parse(text) as Record<string, unknown>);
  };

  /** A fixture activity from `person`, addressed to a conversation (personal chat or a channel thread). */
  const activity = (
    fixture: FixtureName,
    person: Person,
    conversation: string,
    channel: ChannelName | null,
  ) => {
    const p = PEOPLE[person];
    const a = teamsActivity(fixture, { serviceUrl: s.serviceUrl, appId: s.appId, tenantId: p.tenant });
    a.from = { id: p.mri, name: p.name, aadObjectId: p.aad };
    if (channel === null) {
      a.conversation = { conversationType: 'personal', tenantId: p.tenant, id: conversation };
      a.channelData = { tenant: { id: p.tenant } };
    } else {
      const c = CHANNELS[channel];
      a.conversation = { isGroup: true, conversationType: 'channel', tenantId: c.tenant, id: conversation };
      a.channelData = {
        teamsChannelId: c.id,
        teamsTeamId: c.team,
        channel: { id: c.id },
        team: { id: c.team },
        tenant: { id: c.tenant },
      };
    }
    return a;
  };

  const mentioned = (a: ActivityJson, text: string): void => {
    a.text = `<at>Defender Experts</at> ${text}`;
    a.entities = [
      {
        type: 'mention',
        text: '<at>Defender Experts</at>',
        mentioned: { id: `28:${s.appId}`, name: 'Defender Experts' },
      },
    ];
  };

  const surface: Surface = {
    name: 'teams',
    log,
    mark: () => log.at(-1)?.seq ?? 0,
    async install(person) {
      await refresh();
      const mark = surface.mark();
      const a = activity('conversation-update-personal-install', person, personalChat(person), null);
      a.membersAdded = [{ id: `28:${s.appId}` }];
      await deliver(a);
      return mark;
    },
    async say(person, text, where = {}) {
      await refresh();
      const mark = surface.mark();
      if (where.thread !== undefined) {
        const ref = where.thread.ref as Ref;
        if (ref.channel === null) {
          const a = activity('message-personal', person, ref.conversation, null);
          a.text = text;
          await deliver(a);
          return mark;
        }
        const a = activity('message-channel-reply', person, ref.conversation, ref.channel);
        a.id = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
        a.replyToId = /;messageid=(.+)$/.exec(ref.conversation)?.[1] ?? '';
        a.timestamp = new Date().toISOString();
        if (where.mention === true) mentioned(a, text);
        else {
          a.text = text;
          a.entities = [];
        }
        await deliver(a);
        return mark;
      }
      if (where.channel !== undefined) {
        const id = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
        const a = activity(
          'message-channel-mention',
          person,
          `${CHANNELS[where.channel].id};messageid=${id}`,
          where.channel,
        );
        a.id = id;
        mentioned(a, text);
        await deliver(a);
        return mark;
      }
      const a = activity('message-personal', person, personalChat(person), null);
      a.text = text;
      await deliver(a);
      return mark;
    },
    async click(person, message, title, inputs = {}) {
      await refresh();
      const mark = surface.mark();
      const button = buttonOf(message, title);
      const ref = message.ref as Ref;
      const a = activity('invoke-action-execute', person, ref.conversation, ref.channel);
      a.id = `f:${randomUUID()}`;
      a.replyToId = message.id;
      a.value = {
        action: {
          type: 'Action.Execute',
          title: button.title,
          verb: button.verb,
          data: { ...button.data, ...inputs },
        },
        trigger: 'manual',
      };
      const answer = await deliver(a);
      const value = answer?.value;
      // The invoke answer: the clicker's card redrawn in place, or a message only the clicker sees.
      if (answer !== null && value !== undefined) {
        push(typeof value === 'string' ? value : (value as Record<string, unknown>), {
          id: message.id,
          where: message.where,
          channel: message.channel,
          person,
          visibility: 'private',
          threadOf: message.threadOf,
          update: typeof value !== 'string',
          ref,
        });
      }
      return mark;
    },
    submitForm(person, form, inputs) {
      const submit = form.buttons.find((b) => !/cancel/i.test(b.title));
      if (submit === undefined) throw new Error(`no submit button on the form "${form.text.slice(0, 120)}"`);
      return surface.click(person, form, submit.verb, inputs);
    },
    waitFor: (predicate, what, after = 0) => waitInLog(() => log, refresh, predicate, what, after),
    sim: simulationControl(url),
    async close() {
      bot.child.kill('SIGTERM');
      await bot.exited;
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return surface;
}
