import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeInputBlockId } from '../../../adapters/slack/render/action-codec.js';
import type { SlackBlock, SlackView } from '../../../adapters/slack/render/block-kit.js';
import {
  type Button,
  clickPayload,
  eventEnvelope,
  postEvent,
  postInteraction,
  type SlackBotHarness,
  startSlackBot,
  uniqueTs,
} from '../slack-harness.js';
import { fixture } from '../slack-signing.js';
import type { RecordedCall } from '../slack-standin.js';
import { simulationControl } from './sim-control.js';
import {
  CHANNELS,
  CUSTOMERS,
  channelName,
  dm,
  PEOPLE,
  personOfDm,
  personOfUser,
  viewBlocks,
} from './slack-world.js';
import { buttonOf, type Observed, type Person, type Surface, sequence, waitInLog } from './surface.js';

// The Slack surface: the real bot process against the Slack Web API stand-in. People send signed events
// (DMs, mentions, thread replies) and interactions (button clicks, modal submissions); what the bot sends
// is read from the stand-in's record: posts, ephemeral posts, updates, response_url answers and modals.

interface Ref {
  readonly channel: string;
  /** The thread a reply under this message goes to. */
  readonly threadTs: string | null;
  readonly blocks: readonly SlackBlock[];
  readonly view?: SlackView;
}

/** Starts the stand-in and the bot process (Slack, plus the console's simulation controls). */
export async function startSlackSurface(): Promise<Surface> {
  const dir = mkdtempSync(join(tmpdir(), 'dxb-matrix-slack-'));
  const file = join(dir, 'customers.yaml');
  writeFileSync(file, CUSTOMERS);
  const h: SlackBotHarness = await startSlackBot(
    { TENANTS_FILE: file, DEV_CONSOLE: 'on', RELAY_SETTLE_MS: '0', LOG_LEVEL: 'warn' },
    (st) => {
      st.users.set('U0RESP', { team_id: 'T0CONTOSO', name: 'rita', real_name: 'Rita Responder' });
      st.users.set('U0EXPERT1', { team_id: 'T0EXPERTS', name: 'eve', real_name: 'Eve Expert' });
      st.users.set('U0DANA', { team_id: 'T0EXPERTS', name: 'dana', real_name: 'Dana Reyes' });
    },
  );
  const log: Observed[] = [];
  const next = sequence();
  let read = 0;
  /** Who clicked, per response_url and per trigger, so their answers are attributed. */
  const hooks = new Map<string, { person: Person; message: Observed }>();
  const triggers = new Map<string, Person>();

  const push = (
    blocks: readonly SlackBlock[],
    text: unknown,
    o: Omit<Observed, 'seq' | 'text' | 'title' | 'facts' | 'buttons' | 'inputs' | 'ref' | 'dialog'> & {
      ref: Ref;
      dialog?: boolean;
      inputs?: string[];
    },
  ): void => {
    const view = viewBlocks(blocks);
    log.push({
      ...o,
      seq: next(),
      dialog: o.dialog ?? false,
      text: [typeof text === 'string' ? text : '', ...view.texts].join('\n'),
      title: view.title,
      facts: view.facts,
      buttons: view.buttons,
      inputs: o.inputs ?? [],
    });
  };

  const where = (channel: string, thread: string | null) => {
    const name = channelName(channel);
    return {
      where:
        thread !== null ? ('thread' as const) : name !== null ? ('channel' as const) : ('personal' as const),
      channel: name,
      threadOf: thread,
    };
  };

  const take = (c: RecordedCall): void => {
    const ok = (c.result as { ok?: boolean } | null)?.ok === true;
    if (!ok) return;
    const a = c.args;
    const blocks = (a.blocks ?? []) as SlackBlock[];
    const channel = String(a.channel ?? '');
    const thread = typeof a.thread_ts === 'string' ? a.thread_ts : null;
    if (c.method === 'chat.postMessage' || c.method === 'chat.postEphemeral') {
      const ts = String(
        (c.result as { ts?: string; message_ts?: string }).ts ??
          (c.result as { message_ts?: string }).message_ts,
      );
      const person = c.method === 'chat.postEphemeral' ? personOfUser(a.user) : personOfDm(channel);
      push(blocks, a.text, {
        id: ts,
        ...where(channel, thread),
        person,
        visibility: person !== null ? 'private' : 'shared',
        update: false,
        ref: { channel, threadTs: thread ?? ts, blocks },
      });
    } else if (c.method === 'chat.update') {
      const before = log.find((m) => m.id === a.ts && !m.update);
      push(blocks, a.text, {
        id: String(a.ts),
        ...where(channel, before?.threadOf ?? null),
        person: before?.person ?? personOfDm(channel),
        visibility: before?.visibility ?? 'shared',
        update: true,
        ref: { channel, threadTs: before?.threadOf ?? String(a.ts), blocks },
      });
    } else if (c.method.startsWith('hook:')) {
      const hook = hooks.get(c.method.slice('hook:'.length));
      if (hook === undefined) return;
      const m = hook.message;
      const replace = a.replace_original === true;
      push(blocks, a.text, {
        id: replace ? m.id : `${m.id}/${c.seq}`,
        where: m.where,
        channel: m.channel,
        threadOf: m.threadOf,
        person: a.response_type === 'in_channel' ? m.person : hook.person,
        visibility:
          a.response_type === 'in_channel' || (replace && m.visibility === 'shared') ? 'shared' : 'private',
        update: replace,
        ref: { ...(m.ref as Ref), blocks },
      });
    } else if (c.method === 'views.open' || c.method === 'views.push') {
      const view = a.view as SlackView;
      const inputs = view.blocks.flatMap((b) => {
        const id =
          b.type === 'input' ? decodeInputBlockId(String((b as { block_id?: string }).block_id)) : null;
        return id === null ? [] : [id.id];
      });
      push(view.blocks, view.title?.text, {
        id: String((c.result as { view?: { id?: string } }).view?.id ?? c.seq),
        where: 'personal',
        channel: null,
        threadOf: null,
        person: triggers.get(String(a.trigger_id)) ?? null,
        visibility: 'private',
        update: false,
        dialog: true,
        inputs,
        ref: { channel: '', threadTs: null, blocks: view.blocks, view },
      });
    }
  };

  const refresh = async (): Promise<void> => {
    for (; read < h.standIn.calls.length; read += 1) take(h.standIn.calls[read] as RecordedCall);
  };

  const event = async (person: Person, name: string, fields: Record<string, unknown>): Promise<void> => {
    const team = PEOPLE[person].team;
    const base = eventEnvelope(name, { ...fields, team, user: PEOPLE[person].user }) as Record<
      string,
      unknown
    >;
    const res = await postEvent(h, {
      ...base,
      team_id: team,
      context_team_id: team,
      authorizations: [
        { enterprise_id: null, team_id: team, user_id: 'UBOT', is_bot: true, is_enterprise_install: false },
      ],
    });
    if (res.status !== 200) throw new Error(`Slack event answered ${res.status}`);
  };

  const surface: Surface = {
    name: 'slack',
    log,
    mark: () => log.at(-1)?.seq ?? 0,
    async install(person) {
      await refresh();
      const mark = surface.mark();
      await event(person, 'app-home-opened', { channel: dm(person), tab: 'messages', event_ts: uniqueTs() });
      return mark;
    },
    async say(person, text, at = {}) {
      await refresh();
      const mark = surface.mark();
      const ts = uniqueTs();
      if (at.thread !== undefined) {
        const ref = at.thread.ref as Ref;
        if (ref.channel.startsWith('D')) {
          await event(person, 'message-im', {
            text,
            channel: ref.channel,
            thread_ts: ref.threadTs,
            ts,
            event_ts: ts,
          });
        } else if (at.mention === true) {
          await event(person, 'app-mention', {
            text: `<@UBOT> ${text}`,
            channel: ref.channel,
            thread_ts: ref.threadTs,
            ts,
            event_ts: ts,
          });
        } else {
          await event(person, 'message-channel-thread', {
            text,
            channel: ref.channel,
            thread_ts: ref.threadTs,
            ts,
            event_ts: ts,
          });
        }
      } else if (at.channel !== undefined) {
        await event(person, 'app-mention', {
          text: `<@UBOT> ${text}`,
          channel: CHANNELS[at.channel],
          ts,
          event_ts: ts,
        });
      } else {
        await event(person, 'message-im', { text, channel: dm(person), ts, event_ts: ts });
      }
      return mark;
    },
    async click(person, message, title, inputs = {}) {
      await refresh();
      const mark = surface.mark();
      if (Object.keys(inputs).length > 0)
        throw new Error('Slack clicks carry no inputs here: forms are modals');
      const button = buttonOf(message, title);
      const ref = message.ref as Ref;
      const hook = `matrix-${next()}`;
      const payload = clickPayload(h, button.handle as Button, {
        channel: ref.channel,
        messageTs: message.id,
        ...(message.threadOf === null ? {} : { threadTs: message.threadOf }),
        ephemeral: message.visibility === 'private' && !ref.channel.startsWith('D'),
        user: PEOPLE[person].user,
        team: PEOPLE[person].team,
        hook,
        blocks: ref.blocks,
      });
      hooks.set(hook, { person, message });
      triggers.set(payload.trigger_id, person);
      const res = await postInteraction(h, { ...payload, team: { id: PEOPLE[person].team, domain: 'x' } });
      if (res.status !== 200) throw new Error(`Slack click answered ${res.status}`);
      return mark;
    },
    async submitForm(person, form, inputs) {
      await refresh();
      const mark = surface.mark();
      const view = (form.ref as Ref).view;
      if (view === undefined) throw new Error('only a modal is submitted on Slack');
      const values: Record<string, Record<string, unknown>> = {};
      for (const b of view.blocks) {
        if (b.type !== 'input') continue;
        const blockId = String((b as { block_id?: string }).block_id);
        const id = decodeInputBlockId(blockId)?.id;
        const value = id === undefined ? undefined : inputs[id];
        if (value === undefined) continue;
        const type = (b as { element: { type: string } }).element.type;
        values[blockId] = {
          'dxb:in':
            type === 'static_select' || type === 'radio_buttons'
              ? { type, selected_option: { value } }
              : type === 'datepicker'
                ? { type, selected_date: value }
                : { type: 'plain_text_input', value },
        };
      }
      const base = fixture('view-submission');
      const res = await postInteraction(h, {
        ...base,
        team: { id: PEOPLE[person].team, domain: 'x' },
        user: { ...(base.user as object), id: PEOPLE[person].user, team_id: PEOPLE[person].team },
        view: {
          ...(base.view as object),
          id: form.id,
          callback_id: view.callback_id,
          private_metadata: view.private_metadata,
          state: { values },
        },
      });
      const answer = await res.text();
      if (res.status !== 200) throw new Error(`Slack submission answered ${res.status}`);
      if (answer.includes('"errors"')) throw new Error(`the form was refused: ${answer}`);
      return mark;
    },
    waitFor: (predicate, what, after = 0) => waitInLog(() => log, refresh, predicate, what, after),
    sim: simulationControl(h.url),
    async close() {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return surface;
}
