import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackBlock, SlackView } from '../../../adapters/slack/render/block-kit.js';
import {
  type Button,
  buttonsOf,
  clickPayload,
  eventEnvelope,
  postEvent,
  postInteraction,
  type SlackBotHarness,
  startSlackBot,
  uniqueTs,
} from '../../support/slack-harness.js';
import { fixture } from '../../support/slack-signing.js';
import type { RecordedCall } from '../../support/slack-standin.js';

// Forms on Slack, with the real bot process and a stand-in that accepts a trigger_id once and only while
// it is fresh: Ask, SDM contact and check-in item edits open as modals for the clicker, never drawn over the
// shared message; the Ask form is one form (topic, question, context, incident) with one notice and one
// 4,000-character limit wherever it opens; an expired trigger still answers the clicker alone.

let h: SlackBotHarness;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dxb-forms-'));
  const file = join(dir, 'customers.yaml');
  writeFileSync(
    file,
    [
      'customers:',
      '  - id: contoso',
      '    name: Contoso Ltd',
      '    slack: { teamId: T0CONTOSO }',
      '    sdm: { name: Dana Reyes, email: dana@provider.example, slackUserId: U0DANA }',
      '    responders: [ "slack:U0ALICE" ]',
      '    admins: [ "slack:U0ADMIN" ]',
      'experts:',
      '  slack: { teamId: T0EXPERTS, channelId: C0QUEUE }',
      '  members: [ "slack:U0EXPERT1" ]',
      '',
    ].join('\n'),
  );
  h = await startSlackBot({ TENANTS_FILE: file }, (st) => {
    st.users.set('U0DANA', { team_id: 'T0EXPERTS', name: 'dana' });
    st.users.set('U0EXPERT1', { team_id: 'T0EXPERTS', name: 'eve' });
  });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

const blocksOf = (c: RecordedCall): SlackBlock[] => (c.args.blocks ?? []) as SlackBlock[];
const textOf = (c: RecordedCall): string => JSON.stringify(c.args);
const ok = (c: RecordedCall): boolean => (c.result as { ok?: boolean } | null)?.ok === true;
const postedTs = (c: RecordedCall): string => String((c.result as { ts: string }).ts);
const newChannel = (): string => `C0F${Math.floor(Math.random() * 1e9)}`;

async function mention(text: string, channel: string, user = 'U0ALICE'): Promise<RecordedCall> {
  const ts = uniqueTs();
  await postEvent(
    h,
    eventEnvelope('app-mention', { text: `<@UBOT> ${text}`, ts, event_ts: ts, channel, user }),
  );
  return h.standIn.waitFor(
    (c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts && ok(c),
    `an answer to "${text}"`,
  );
}

const button = (c: RecordedCall, verb: string, title?: string): Button => {
  const found = buttonsOf(blocksOf(c)).find(
    (b) => b.action_id.endsWith(`:${verb}`) && (title === undefined || b.text.text === title),
  );
  if (found === undefined) throw new Error(`no ${verb} button in ${textOf(c).slice(0, 400)}`);
  return found;
};

/** The view a click opened (views.open with the click's own trigger, answered ok). */
async function opened(trigger: string, what: string): Promise<SlackView> {
  const call = await h.standIn.waitFor(
    (c) => c.method === 'views.open' && c.args.trigger_id === trigger,
    what,
  );
  expect(ok(call)).toBe(true);
  return call.args.view as SlackView;
}

const inputBlocks = (view: SlackView) =>
  view.blocks.filter((b) => b.type === 'input') as unknown as {
    block_id: string;
    label: { text: string };
    optional?: boolean;
    element: { type: string; max_length?: number; options?: { value: string }[] };
  }[];

/** Submits a modal with values by input label; returns Slack's HTTP answer. */
async function submit(view: SlackView, byLabel: Record<string, string>): Promise<Response> {
  const values: Record<string, Record<string, unknown>> = {};
  for (const input of inputBlocks(view)) {
    const value = byLabel[input.label.text];
    if (value === undefined) continue;
    values[input.block_id] = {
      'dxb:in':
        input.element.type === 'static_select' || input.element.type === 'radio_buttons'
          ? { type: input.element.type, selected_option: { value } }
          : input.element.type === 'datepicker'
            ? { type: 'datepicker', selected_date: value }
            : { type: 'plain_text_input', value },
    };
  }
  const base = fixture('view-submission');
  return postInteraction(h, {
    ...base,
    view: {
      ...(base.view as object),
      id: `V${Math.floor(Math.random() * 1e9)}`,
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      state: { values },
    },
  });
}

/** An incident card posted in a channel thread, with its Ask button. */
async function incidentCard(channel: string): Promise<RecordedCall> {
  const list = await mention('incidents', channel);
  const open = button(list, 'incident.show');
  await postInteraction(h, clickPayload(h, open, { channel, messageTs: postedTs(list) }));
  return h.standIn.waitFor(
    (c) => c.method === 'chat.postMessage' && c.args.channel === channel && c.seq > list.seq && ok(c),
    'the incident card',
  );
}

const NOTICE = /not an incident-response service/i;

describe('the Ask form on Slack', () => {
  it('opens from an incident card as a modal for the clicker, leaves the card alone, and answers in the thread', async () => {
    const channel = newChannel();
    const card = await incidentCard(channel);
    const ask = button(card, 'question.form');
    const click = clickPayload(h, ask, { channel, messageTs: postedTs(card) });
    await postInteraction(h, click);
    const view = await opened(click.trigger_id, 'the Ask modal');
    const labels = inputBlocks(view).map((b) => b.label.text);
    expect(labels).toEqual(['Topic', 'Your question', 'Context (device, alert, notification…)']);
    expect(JSON.stringify(view.blocks)).toMatch(NOTICE);
    // Only the submit and Slack's Cancel: nothing drawn into the shared message.
    expect(view.submit?.text).toBe('Send to Defender Experts');
    // Opened by mistake: Slack's own Close dismisses it; the form's Cancel button is not repeated inside.
    expect(view.close?.text).toBe('Close');
    expect(JSON.stringify(view.blocks)).not.toContain('question.cancel');
    const drawnInChannel = (c: RecordedCall): boolean =>
      c.args.channel === channel && /Your question/.test(textOf(c));
    expect(h.standIn.calls.filter(drawnInChannel)).toEqual([]);
    expect(h.standIn.of('chat.update').filter((c) => c.args.ts === postedTs(card))).toEqual([]);

    // One limit everywhere: 4,000 characters (Slack's own input cap is 3,000, so the bot checks it).
    const question = inputBlocks(view).find((b) => b.label.text === 'Your question');
    expect(question?.element.max_length).toBeUndefined();
    const tooLong = await submit(view, { Topic: 'alertOrIncident', 'Your question': 'x'.repeat(4001) });
    expect(await tooLong.json()).toEqual({
      response_action: 'errors',
      errors: { [String(question?.block_id)]: expect.stringMatching(/4,000 characters/) },
    });
    const mark = h.standIn.calls.length;
    await submit(view, {
      Topic: 'alertOrIncident',
      'Your question': `Was this contained? ${'y'.repeat(3400)}`,
    });
    const answer = await h.standIn.waitFor(
      (c) =>
        h.standIn.calls.indexOf(c) >= mark &&
        (c.method === 'chat.postMessage' || c.method === 'chat.postEphemeral') &&
        c.args.channel === channel &&
        /Q-[0-9A-Z]{6}/.test(textOf(c)),
      'the answer to the question',
    );
    expect(answer.args.thread_ts).toBe(postedTs(card));
    expect(h.standIn.of('chat.update').filter((c) => c.args.ts === postedTs(card))).toEqual([]);
  });

  it('is the same form from the shortcut: topic, question, context and incident, the same notice and limit', async () => {
    const trigger = h.standIn.issueTrigger();
    await postInteraction(h, { ...fixture<Record<string, unknown>>('shortcut'), trigger_id: trigger });
    const view = await opened(trigger, 'the shortcut’s Ask modal');
    expect(inputBlocks(view).map((b) => b.label.text)).toEqual([
      'Topic',
      'Your question',
      'Context (device, alert, notification…)',
      'Incident number (optional)',
    ]);
    expect(JSON.stringify(view.blocks)).toMatch(NOTICE);
    const incident = inputBlocks(view).find((b) => b.label.text === 'Incident number (optional)');
    const bad = await submit(view, {
      Topic: 'other',
      'Your question': 'Is 42 bad?',
      'Incident number (optional)': '42; drop',
    });
    expect(await bad.json()).toEqual({
      response_action: 'errors',
      errors: { [String(incident?.block_id)]: 'Use an incident number, for example 42.' },
    });
    const tooLong = await submit(view, { Topic: 'other', 'Your question': 'z'.repeat(4001) });
    expect(JSON.stringify(await tooLong.json())).toMatch(/4,000 characters/);
    const mark = h.standIn.calls.length;
    await submit(view, { Topic: 'other', 'Your question': 'Can you review our exclusions <!channel>?' });
    const answer = await h.standIn.waitFor(
      (c) =>
        h.standIn.calls.indexOf(c) >= mark && c.method === 'chat.postMessage' && c.args.channel === 'D0ALICE',
      'the DM answer',
    );
    expect(textOf(answer)).toMatch(/Q-[0-9A-Z]{6}/);
    expect(textOf(answer)).not.toContain('<!channel>');
  });

  it('is the same form from the Home tab’s Ask button', async () => {
    await postEvent(h, eventEnvelope('app-home-opened', { user: 'U0ALICE', channel: 'D0ALICE' }));
    const home = await h.standIn.waitFor(
      (c) => c.method === 'views.publish' && c.args.user_id === 'U0ALICE',
      'the Home tab',
    );
    const ask = buttonsOf((home.args.view as SlackView).blocks).find(
      (b) => b.text.text === 'Ask Defender Experts',
    );
    expect(ask).toBeDefined();
    const trigger = h.standIn.issueTrigger();
    const base = fixture<Record<string, unknown>>('block-actions');
    await postInteraction(h, {
      ...base,
      container: { type: 'view', view_id: 'V0HOME' },
      view: { id: 'V0HOME', type: 'home', blocks: [], private_metadata: '' },
      channel: undefined,
      message: undefined,
      response_url: undefined,
      trigger_id: trigger,
      actions: [{ ...ask, block_id: 'b1', type: 'button', action_ts: uniqueTs() }],
    });
    const view = await opened(trigger, 'the Home tab’s Ask modal');
    expect(inputBlocks(view).map((b) => b.label.text)).toEqual([
      'Topic',
      'Your question',
      'Context (device, alert, notification…)',
      'Incident number (optional)',
    ]);
    expect(JSON.stringify(view.blocks)).toMatch(NOTICE);
  });

  it('answers the clicker privately with the form when the trigger has expired', async () => {
    const channel = newChannel();
    const card = await incidentCard(channel);
    const click = clickPayload(h, button(card, 'question.form'), { channel, messageTs: postedTs(card) });
    h.standIn.expireTriggers();
    await postInteraction(h, click);
    const refused = await h.standIn.waitFor(
      (c) => c.method === 'views.open' && c.args.trigger_id === click.trigger_id,
      'the attempt to open the modal',
    );
    expect(refused.result).toMatchObject({ ok: false, error: 'expired_trigger_id' });
    const privately = await h.standIn.waitFor(
      (c) =>
        c.method === click.response_url.replace(/^.*\/hooks\//, 'hook:') && /Your question/.test(textOf(c)),
      'the form, privately',
    );
    expect(privately.args).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(h.standIn.of('chat.update').filter((c) => c.args.ts === postedTs(card))).toEqual([]);

    // A form in a message has its own Cancel: it replaces the form with "Question not sent" (the same on a
    // second click), only for the clicker, and nothing reaches the experts.
    const cancel = button(privately, 'question.cancel', 'Cancel');
    const mark = h.standIn.calls.length;
    for (const n of [1, 2]) {
      const hook = `cancel-${n}-${Math.floor(Math.random() * 1e9)}`;
      await postInteraction(
        h,
        clickPayload(h, cancel, { channel, messageTs: uniqueTs(), ephemeral: true, hook }),
      );
      const gone = await h.standIn.waitFor((c) => c.method === `hook:${hook}`, `the form replaced (${n})`);
      expect(gone.args).toMatchObject({ response_type: 'ephemeral', replace_original: true });
      expect(textOf(gone)).toMatch(/Question not sent/);
      expect(textOf(gone)).not.toMatch(/Your question/);
    }
    const later = h.standIn.calls.slice(mark);
    expect(later.filter((c) => c.args.channel === 'C0QUEUE' || /Q-[0-9A-Z]{6}/.test(textOf(c)))).toEqual([]);
    expect(later.filter((c) => c.method.startsWith('chat.') && c.args.channel === channel)).toEqual([]);
  });
});

describe('SDM contact on Slack', () => {
  it('opens Escalate as a modal and answers privately in the thread', async () => {
    const channel = newChannel();
    const sdm = await mention('sdm', channel);
    const click = clickPayload(h, button(sdm, 'sdm.form', 'Escalate'), { channel, messageTs: postedTs(sdm) });
    await postInteraction(h, click);
    const view = await opened(click.trigger_id, 'the Escalate modal');
    expect(inputBlocks(view).length).toBeGreaterThan(0);
    expect(h.standIn.of('chat.update').filter((c) => c.args.ts === postedTs(sdm))).toEqual([]);
    const labels = Object.fromEntries(
      inputBlocks(view).map((b) => [
        b.label.text,
        b.element.type === 'static_select' || b.element.type === 'radio_buttons'
          ? 'high'
          : 'The handoff came 3 hours late.',
      ]),
    );
    const mark = h.standIn.calls.length;
    await submit(view, labels);
    await h.standIn.waitFor(
      (c) =>
        h.standIn.calls.indexOf(c) >= mark &&
        c.method === 'chat.postMessage' &&
        c.args.channel === 'D0DANA' &&
        /3 hours late/.test(textOf(c)),
      'the escalation in the SDM’s DM',
    );
    const confirmation = await h.standIn.waitFor(
      (c) =>
        h.standIn.calls.indexOf(c) >= mark && c.method === 'chat.postEphemeral' && c.args.channel === channel,
      'the private confirmation',
    );
    expect(confirmation.args.user).toBe('U0ALICE');
    expect(confirmation.args.thread_ts).toBe(postedTs(sdm));
    expect(h.standIn.of('chat.update').filter((c) => c.args.ts === postedTs(sdm))).toEqual([]);
  });
});

/** An event from another workspace (the provider's), as Slack sends it to the app installed there. */
async function eventFrom(team: string, name: string, fields: Record<string, unknown>): Promise<void> {
  const base = eventEnvelope(name, { ...fields, team }) as Record<string, unknown>;
  const res = await postEvent(h, {
    ...base,
    team_id: team,
    context_team_id: team,
    authorizations: [
      { enterprise_id: null, team_id: team, user_id: 'UBOT', is_bot: true, is_enterprise_install: false },
    ],
  });
  expect(res.status).toBe(200);
}

describe('check-ins on Slack', () => {
  it('edits an item in the clicker’s modal and redraws the shared checklist, its continuation in place', async () => {
    const channel = newChannel();
    await mention('subscribe', channel, 'U0ADMIN');
    const ts = uniqueTs();
    await eventFrom('T0EXPERTS', 'message-im', {
      text: 'checkin start contoso',
      user: 'U0DANA',
      channel: 'D0DANA',
      ts,
      event_ts: ts,
    });
    const checklist = await h.standIn.waitFor(
      (c) =>
        c.method === 'chat.postMessage' && c.args.channel === channel && /Readiness check-in/.test(textOf(c)),
      'the checklist in the customer channel',
    );
    const tail = () =>
      h.standIn
        .of('chat.postMessage')
        .filter(
          (c) =>
            c.args.channel === channel &&
            c.args.thread_ts === postedTs(checklist) &&
            c.args.text === 'Continued',
        );
    // The SDM's confirmation comes once every copy (with its continuation) is out.
    await h.standIn.waitFor(
      (c) =>
        c.method === 'chat.postMessage' && c.args.channel === 'D0DANA' && /Posted check-in/.test(textOf(c)),
      'the confirmation to the SDM',
    );
    const initialTail = tail().length;
    expect(initialTail).toBeGreaterThan(0);

    const tailTs = tail().map((c) => postedTs(c));
    const tailUpdates = () => h.standIn.of('chat.update').filter((c) => tailTs.includes(String(c.args.ts)));
    for (const [round, state] of ['done', 'planned'].entries()) {
      const latest =
        h.standIn
          .of('chat.update')
          .filter((c) => c.args.ts === postedTs(checklist))
          .at(-1) ?? checklist;
      const all = [latest, ...tail()];
      const update = all
        .flatMap((c) => buttonsOf(blocksOf(c)))
        .find((b) => b.action_id.endsWith(':checkin.item'));
      expect(update).toBeDefined();
      const before = h.standIn.of('chat.update').filter((c) => c.args.ts === postedTs(checklist)).length;
      const click = clickPayload(h, update as Button, { channel, messageTs: postedTs(checklist) });
      await postInteraction(h, click);
      const view = await opened(click.trigger_id, 'the item’s edit modal');
      expect(inputBlocks(view).map((b) => b.label.text)).toContain('State');
      // Nobody else's checklist turned into a form.
      expect(h.standIn.of('chat.update').filter((c) => c.args.ts === postedTs(checklist))).toHaveLength(
        before,
      );
      const states = inputBlocks(view).find((b) => b.label.text === 'State')?.element.options ?? [];
      expect(states.map((o) => o.value)).toContain(state);
      await submit(view, { State: state });
      await h.standIn.waitFor(
        (c) =>
          c.method === 'chat.update' &&
          c.args.ts === postedTs(checklist) &&
          h.standIn.of('chat.update').filter((u) => u.args.ts === postedTs(checklist)).length > before,
        'the shared checklist redrawn',
      );
      // Each redraw updates every "Continued" message of the thread in place (the old code posted new ones).
      await h.standIn.waitFor(
        () => tailUpdates().length >= (round + 1) * initialTail,
        'the continuation updated in place',
      );
    }
    expect(tail()).toHaveLength(initialTail);
    expect(tailUpdates()).toHaveLength(initialTail * 2);
  });
});
