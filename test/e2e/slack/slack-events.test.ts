import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackBlock, SlackView } from '../../../adapters/slack/render/block-kit.js';
import { renderCard } from '../../../adapters/slack/render/render-card.js';
import {
  type Button,
  buttonsOf,
  clickPayload,
  eventEnvelope,
  postEvent,
  postInteraction,
  type SlackBotHarness,
  slashCommand,
  startSlackBot,
  uniqueTs,
} from '../../support/slack-harness.js';
import {
  FORM,
  fixture,
  formBody,
  JSON_TYPE,
  nowSeconds,
  postSigned,
  sign,
} from '../../support/slack-signing.js';
import type { RecordedCall } from '../../support/slack-standin.js';

// The real bot process against a Slack Web API stand-in, driven with requests signed the way Slack signs
// them: commands, mentions, DMs, clicks, modals, App Home, retries, forgeries and injection attempts.

let h: SlackBotHarness;
beforeAll(async () => {
  h = await startSlackBot();
});
afterAll(async () => {
  await h?.close();
});

const blocksOf = (c: RecordedCall): SlackBlock[] => (c.args.blocks ?? []) as SlackBlock[];
const textOf = (c: RecordedCall): string => JSON.stringify(c.args);

const ok = (c: RecordedCall): boolean => (c.result as { ok?: boolean } | null)?.ok === true;

/** Mentions the bot in a channel of its own (so pacing of one channel does not slow the suite). */
async function mention(
  text: string,
  extra: Record<string, unknown> = {},
): Promise<{ call: RecordedCall; ts: string; channel: string }> {
  const ts = uniqueTs();
  const channel = `C${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
  const res = await postEvent(
    h,
    eventEnvelope('app-mention', { text: `<@UBOT> ${text}`, ts, event_ts: ts, channel, ...extra }),
  );
  expect(res.status).toBe(200);
  const call = await h.standIn.waitFor(
    (c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts && ok(c),
    `an answer in thread ${ts}`,
  );
  return { call, ts, channel };
}

const postedTs = (c: RecordedCall): string => String((c.result as { ts: string }).ts);

async function waitForLog(pattern: RegExp): Promise<void> {
  for (let i = 0; i < 1500 && !pattern.test(h.bot.output()); i += 1)
    await new Promise((r) => setTimeout(r, 10));
  expect(h.bot.output()).toMatch(pattern);
}

describe('Slack request signatures', () => {
  const body = JSON.stringify(fixture('url-verification'));

  it('answers Slack’s URL verification when signed', async () => {
    const res = await postSigned(h.url, body, JSON_TYPE);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: fixture('url-verification').challenge });
  });

  it('refuses unsigned, forged, stale, future and tampered requests with 401 and answers none of them', async () => {
    const ts = nowSeconds();
    const cmd = (text: string) =>
      formBody({
        ...fixture<Record<string, string>>('slash-command'),
        text,
        response_url: h.standIn.responseUrl(`forged-${text}`),
      });
    const cases: [string, Promise<Response>][] = [
      ['unsigned', postSigned(h.url, cmd('unsigned'), FORM, { signature: null })],
      ['forged', postSigned(h.url, cmd('forged'), FORM, { secret: 'not-the-secret' })],
      ['stale', postSigned(h.url, cmd('stale'), FORM, { timestamp: ts - 6 * 60 })],
      ['future', postSigned(h.url, cmd('future'), FORM, { timestamp: ts + 6 * 60 })],
      [
        'tampered',
        postSigned(h.url, cmd('tampered'), FORM, {
          signature: sign('test-signing-secret-8f2c1a', ts, cmd('original')),
          timestamp: ts,
        }),
      ],
      ['garbage timestamp', postSigned(h.url, cmd('garbage'), FORM, { timestamp: Number.NaN })],
    ];
    for (const [name, pending] of cases) {
      const res = await pending;
      expect(res.status, name).toBe(401);
    }
    // A signed request after them is answered: had any forgery been processed, its hook would show up too.
    const { hook } = await slashCommand(h, 'help');
    await h.standIn.waitFor((c) => c.method === hook, 'the signed command’s answer');
    expect(h.standIn.calls.filter((c) => c.method.startsWith('hook:forged-'))).toEqual([]);
  });
});

describe('text in', () => {
  it('answers /experts with blocks through response_url, ephemerally and without the bot token', async () => {
    const { res, hook } = await slashCommand(h, 'incidents');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    const answer = await h.standIn.waitFor((c) => c.method === hook, 'the command’s answer');
    expect(answer.token).toBeNull();
    expect(answer.args).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    const blocks = blocksOf(answer);
    expect(blocks[0]).toMatchObject({
      type: 'header',
      text: { text: expect.stringMatching(/^Open incidents/) },
    });
    expect(buttonsOf(blocks).some((b) => b.action_id.includes(':incident.show'))).toBe(true);
  });

  it('answers a mention in the thread of the message, with the bot token, to the stand-in only', async () => {
    const { call } = await mention('help');
    expect(call.token).toBe('xoxb-test-0000-slack-token');
    expect(call.args.channel).toMatch(/^C/);
    expect(textOf(call)).toContain('What I can do');
    expect(call.args).toMatchObject({ unfurl_links: false, unfurl_media: false });
  });

  it('answers a direct message in the DM', async () => {
    const ts = uniqueTs();
    await postEvent(h, eventEnvelope('message-im', { text: 'summary', ts, event_ts: ts }));
    const call = await h.standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'D0ALICE' && textOf(c).includes('Contoso'),
      'a DM answer',
    );
    expect(call.args.thread_ts).toBeUndefined();
  });

  it('ignores the bot’s own messages and message edits', async () => {
    const before = h.standIn.of('chat.postMessage').length;
    await postEvent(
      h,
      eventEnvelope('message-im', { text: 'help', bot_id: 'BBOT', user: 'UBOT', ts: uniqueTs() }),
    );
    await postEvent(h, eventEnvelope('message-im', { subtype: 'message_changed', ts: uniqueTs() }));
    await mention('help');
    expect(h.standIn.of('chat.postMessage').length).toBe(before + 1);
  });
});

describe('reliability', () => {
  it('drops Slack’s retry of an event (same event_id, X-Slack-Retry-Num) before any work', async () => {
    const ts = uniqueTs();
    const envelope = eventEnvelope('app-mention', { text: '<@UBOT> help', ts, event_ts: ts });
    expect((await postEvent(h, envelope)).status).toBe(200);
    await h.standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts,
      'the first answer',
    );
    expect((await postEvent(h, envelope, 1)).status).toBe(200);
    expect((await postEvent(h, envelope, 2)).status).toBe(200);
    await waitForLog(
      new RegExp(`"eventId":"${envelope.event_id}"[^\\n]*"retry":2[^\\n]*Slack retry de-duplicated`),
    );
    expect(
      h.standIn.calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts),
    ).toHaveLength(1);
  });

  it('drops a replayed click (same payload ids)', async () => {
    const { call, channel, ts } = await mention('incidents');
    const button = buttonsOf(blocksOf(call)).find((b) => b.action_id.endsWith(':incidents.list')) as Button;
    const payload = clickPayload(h, button, { channel, messageTs: postedTs(call), threadTs: ts });
    await postInteraction(h, payload);
    await h.standIn.waitFor((c) => c.method === 'chat.update' && c.args.ts === postedTs(call), 'the update');
    await postInteraction(h, payload);
    await waitForLog(new RegExp(`${payload.actions[0]?.action_ts}[^\\n]*Slack interaction de-duplicated`));
    expect(
      h.standIn.calls.filter((c) => c.method === 'chat.update' && c.args.ts === postedTs(call)),
    ).toHaveLength(1);
  });

  it('honours a 429 on an answer: waits Retry-After, then posts once', async () => {
    h.standIn.inject429('chat.postMessage', 1);
    const { call } = await mention('help');
    const attempts = h.standIn.calls.filter(
      (c) => c.method === 'chat.postMessage' && c.args.thread_ts === call.args.thread_ts,
    );
    expect(attempts.map((c) => (c.result as { ok: boolean }).ok)).toEqual([false, true]);
  });
});

describe('interactions', () => {
  it('updates the clicked card in place (chat.update) for a replace answer', async () => {
    const { call, channel, ts } = await mention('incidents');
    const awaiting = buttonsOf(blocksOf(call)).find((b) => b.action_id.endsWith(':incidents.list'));
    expect(awaiting).toBeDefined();
    await postInteraction(
      h,
      clickPayload(h, awaiting as Button, { channel, messageTs: postedTs(call), threadTs: ts }),
    );
    const update = await h.standIn.waitFor(
      (c) => c.method === 'chat.update' && c.args.ts === postedTs(call),
      'chat.update of the list',
    );
    expect(update.args.channel).toBe(channel);
    expect(JSON.stringify(blockOf(update))).not.toBe(JSON.stringify(blockOf(call)));
  });

  it('replaces an ephemeral card through its response_url', async () => {
    const { hook } = await slashCommand(h, 'incidents');
    const answer = await h.standIn.waitFor((c) => c.method === hook, 'the list');
    const next = buttonsOf(blocksOf(answer)).find((b) => b.action_id.endsWith(':incidents.list')) as Button;
    const clickHook = `eph-${randomUUID()}`;
    await postInteraction(
      h,
      clickPayload(h, next, {
        channel: 'C0SOCALERTS',
        messageTs: uniqueTs(),
        ephemeral: true,
        hook: clickHook,
      }),
    );
    const replaced = await h.standIn.waitFor((c) => c.method === `hook:${clickHook}`, 'the replacement');
    expect(replaced.args).toMatchObject({ replace_original: true, response_type: 'ephemeral' });
  });

  it('opens an incident from its button as a new message in the thread', async () => {
    const { call, ts, channel } = await mention('incidents');
    const open = buttonsOf(blocksOf(call)).find((b) => b.action_id.endsWith(':incident.show')) as Button;
    await postInteraction(h, clickPayload(h, open, { channel, messageTs: postedTs(call), threadTs: ts }));
    const id = JSON.parse(open.value ?? '{}').id as string;
    const detail = await h.standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.channel === channel && c.seq > call.seq && ok(c),
      'the incident card',
    );
    expect(detail.args.thread_ts).toBe(ts);
    expect(textOf(detail)).toContain(id);
    expect(h.standIn.of('chat.update').filter((c) => c.args.ts === postedTs(call))).toEqual([]);
  });

  it('opens a ShowCard with inputs as a modal and sends its submission to the core', async () => {
    const card = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlock', text: 'Need help?' }],
      actions: [
        {
          type: 'Action.ShowCard',
          title: 'Ask',
          card: {
            type: 'AdaptiveCard',
            body: [{ type: 'Input.Text', id: 'question', label: 'Question', isRequired: true }],
            actions: [{ type: 'Action.Execute', title: 'Send', verb: 'help', data: { from: 'card' } }],
          },
        },
      ],
    };
    const show = buttonsOf(renderCard(card, { surface: 'message' }).blocks)[0] as Button;
    const messageTs = uniqueTs();
    await postInteraction(h, clickPayload(h, show, { channel: 'C0SOCALERTS', messageTs }));
    const opened = await h.standIn.waitFor(
      (c) => c.method === 'views.open' && textOf(c).includes('dxb:card'),
      'views.open',
    );
    const view = opened.args.view as SlackView;
    const input = view.blocks.find((b) => b.type === 'input');
    expect(input).toBeDefined();
    expect(view.submit?.text).toBe('Send');

    const submission = fixture('view-submission');
    const viewId = `V${randomUUID().slice(0, 8)}`;
    await postInteraction(h, {
      ...submission,
      view: {
        ...(submission.view as object),
        id: viewId,
        private_metadata: view.private_metadata,
        state: {
          values: {
            [(input as { block_id: string }).block_id]: {
              'dxb:in': { type: 'plain_text_input', value: 'Is 42 bad?' },
            },
          },
        },
      },
    });
    const answer = await h.standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.thread_ts === messageTs,
      'the modal’s answer in the thread',
    );
    expect(textOf(answer)).toContain('What I can do');
  });

  // The shortcut's Ask form (the same form as the cards' button) is covered in slack-forms.test.ts.

  it('publishes the App Home with the Defender Experts summary and the open incidents', async () => {
    const envelope = eventEnvelope('app-home-opened', {});
    await postEvent(h, envelope);
    const published = await h.standIn.waitFor(
      (c) => c.method === 'views.publish' && c.args.user_id === 'U0ALICE',
      'views.publish',
    );
    const view = published.args.view as SlackView;
    expect(view.type).toBe('home');
    const all = JSON.stringify(view.blocks);
    expect(all).toContain('Ask Defender Experts');
    expect(all).toMatch(/Awaiting/);
    expect(all).toMatch(/Open incidents/);
    expect(view.blocks.length).toBeLessThanOrEqual(100);

    // A click on the Home tab answers on the Home tab, with a way back to the summary.
    const open = buttonsOf(view.blocks).find((b) => b.action_id.endsWith(':incident.show')) as Button;
    const base = fixture('block-actions');
    const before = h.standIn.of('views.publish').length;
    await postInteraction(h, {
      ...base,
      container: { type: 'view', view_id: 'V0HOME' },
      view: { id: 'V0HOME', type: 'home', blocks: [], private_metadata: '' },
      channel: undefined,
      message: undefined,
      response_url: undefined,
      trigger_id: h.standIn.issueTrigger(),
      actions: [{ ...open, block_id: 'b1', type: 'button', action_ts: uniqueTs() }],
    });
    const again = await h.standIn.waitFor(
      (c) => c.method === 'views.publish' && h.standIn.of('views.publish').indexOf(c) >= before,
      'the Home update',
    );
    const blocks = (again.args.view as SlackView).blocks;
    expect(buttonsOf(blocks)[0]?.text.text).toBe('← Summary');
    expect(JSON.stringify(blocks)).toContain(JSON.parse(open.value ?? '{}').id);
  });
});

describe('who is asking', () => {
  it('shows an unlinked workspace only how to link it on the App Home: no Ask button, no data', async () => {
    h.standIn.users.set('U0NEWCOMER', { team_id: 'T0NEWCO', name: 'newcomer' });
    await postEvent(h, eventEnvelope('app-home-opened', { user: 'U0NEWCOMER', channel: 'D0NEWCOMER' }));
    const published = await h.standIn.waitFor(
      (c) => c.method === 'views.publish' && c.args.user_id === 'U0NEWCOMER',
      'the unlinked Home',
    );
    const all = JSON.stringify((published.args.view as SlackView).blocks);
    expect(all).toMatch(/not linked/);
    expect(all).toContain('T0NEWCO');
    expect(all).not.toContain('Ask Defender Experts');
    expect(all).not.toMatch(/Open incidents|Awaiting|Contoso/);
    expect(buttonsOf((published.args.view as SlackView).blocks)).toEqual([]);
  });

  it('welcomes a person in the Messages tab the first time they open it, and never again', async () => {
    const open = () =>
      postEvent(
        h,
        eventEnvelope('app-home-opened', { user: 'U0ADMIN', channel: 'D0ADMIN', tab: 'messages' }),
      );
    await open();
    const greeting = await h.standIn.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.channel === 'D0ADMIN' &&
        /Welcome to Defender Experts/.test(textOf(c)),
      'the welcome',
    );
    // The core's own help follows: what this person can ask.
    await h.standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'D0ADMIN' && c.seq > greeting.seq,
      'the help after the welcome',
    );
    await open();
    await open();
    // Both later opens were seen and skipped (logged), so the count below is final.
    const skipped = () => h.bot.output().match(/"user":"U0ADMIN"[^\n]*welcome already sent/g) ?? [];
    for (let i = 0; i < 1500 && skipped().length < 2; i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(skipped()).toHaveLength(2);
    const welcomes = h.standIn
      .of('chat.postMessage')
      .filter((c) => c.args.channel === 'D0ADMIN' && /Welcome to Defender Experts/.test(textOf(c)));
    expect(welcomes).toHaveLength(1);
    // Opening the Home tab does not welcome.
    expect(
      h.standIn
        .of('chat.postMessage')
        .filter((c) => c.args.channel === 'D0ALICE' && /Welcome/.test(textOf(c))),
    ).toEqual([]);
  });

  it('resolves a Slack Connect outsider by their own team: told to link, shown no data', async () => {
    const { hook } = await slashCommand(h, 'incidents', { user: 'U0OUTSIDER', team: 'T0CONTOSO' });
    const answer = await h.standIn.waitFor((c) => c.method === hook, 'the outsider’s answer');
    expect(textOf(answer)).toMatch(/not linked/);
    expect(textOf(answer)).toContain('T0STRANGER');
    expect(textOf(answer)).not.toContain('Contoso');
    // The outsider's own organisation is in the channel, so the answer is theirs alone (ephemeral).
    const ts = uniqueTs();
    const channel = `C${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
    const fields = { text: '<@UBOT> incidents', ts, event_ts: ts, channel };
    const who = { user: 'U0OUTSIDER', user_team: 'T0STRANGER', team: 'T0STRANGER' };
    await postEvent(h, eventEnvelope('app-mention', { ...fields, ...who }));
    const call = await h.standIn.waitFor(
      (c) => c.method === 'chat.postEphemeral' && c.args.channel === channel,
      'the outsider’s private answer',
    );
    expect(call.args.user).toBe('U0OUTSIDER');
    expect(textOf(call)).toMatch(/not linked/);
    expect(
      h.standIn.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel),
    ).toEqual([]);
  });
});

describe('injection', () => {
  const HOSTILE = ['&lt;!channel&gt;', '&lt;@U123&gt;', '&lt;https://evil.example|click&gt;', '&amp;lt;'];

  it('keeps mentions, broadcasts and links typed by users inert in every answer', async () => {
    // Slack sends what a user typed with &, < and > as entities; the bot must send them back as entities.
    const { call } = await mention(`incidents ${HOSTILE.join('')}`);
    const { hook } = await slashCommand(h, `incidents ${HOSTILE.join('')}`);
    const slash = await h.standIn.waitFor((c) => c.method === hook, 'the slash answer');
    // Real mentions and links (Slack's own markup in the text) are turned into plain words before the core.
    const raw = await slashCommand(h, 'incidents <!channel> <@U123> <https://evil.example|click>');
    const rawAnswer = await h.standIn.waitFor((c) => c.method === raw.hook, 'the raw answer');
    for (const live of ['<!channel>', '<@U123>', '<https://evil.example'])
      expect(textOf(rawAnswer)).not.toContain(live);
    for (const answer of [call, slash]) {
      const sent = textOf(answer);
      for (const live of ['<!channel>', '<@U123>', '<https://evil.example']) expect(sent).not.toContain(live);
      expect(sent).toMatch(/&lt;!channel&gt;/);
      expect(sent).toMatch(/&lt;@U123&gt;/i);
      expect(sent).toMatch(/&lt;https:\/\/evil\.example\|click&gt;/i);
    }
    expect(textOf(call)).toContain('&amp;lt;');
    for (const c of h.standIn.calls) {
      const objects =
        JSON.stringify(c.args).match(
          /"type":"mrkdwn","text":"(?:[^"\\]|\\.)*"(,"verbatim":(true|false))?/g,
        ) ?? [];
      for (const o of objects) expect(o).toContain('"verbatim":true');
    }
  });
});

describe('the log', () => {
  it('never holds the bot token or the signing secret, and shows no failed answer', () => {
    const out = h.bot.output();
    expect(out).not.toContain('xoxb-test-0000-slack-token');
    expect(out).not.toContain('test-signing-secret-8f2c1a');
    expect(out).not.toMatch(/answer not delivered|request handling failed/);
  });
});

function blockOf(c: RecordedCall): SlackBlock[] {
  return blocksOf(c);
}
