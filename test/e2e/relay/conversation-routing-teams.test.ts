import { afterAll, beforeAll, expect, it } from 'vitest';
import { teamsActivity } from '../../support/bot-connector-activities.js';
import type { ConnectorCall } from '../../support/bot-connector-standin.js';
import { uniqueTs } from '../../support/slack-harness.js';
import {
  CUSTOMER_TENANT,
  eventually,
  type RelayBot,
  SLACK_QUEUE,
  slackEvent,
  startRelayBot,
  teamsSend,
} from './relay-e2e.js';

// The real process, a customer in a Teams personal chat and the experts' queue in Slack: with one open
// question the documented phrasings are answered as commands, prose goes to the question with an
// acknowledgement that names it, Undo withdraws the copy from the queue thread, and the expert's answer
// names the question it answers.

let bot: RelayBot;
beforeAll(async () => {
  bot = await startRelayBot('slack');
}, 60_000);
afterAll(async () => {
  await bot?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const bodyText = (c: { args?: unknown; body?: unknown }): string => JSON.stringify(c.args ?? c.body);
const CHAT = `a:1RoutingPersonal${Math.floor(Math.random() * 1e8)}`;
const inChat = (): ConnectorCall[] =>
  bot.teams.calls.filter(
    (c) => (c.kind === 'send' || c.kind === 'reply') && c.conversationId === CHAT && c.status < 300,
  );
let n = 0;
const says = (text: string) => {
  n += 1;
  return teamsSend(
    bot,
    'message-personal',
    (a) => {
      a.conversation.id = CHAT;
      a.text = text;
    },
    CUSTOMER_TENANT,
    `17400000${n}`.padEnd(13, '0'),
  );
};

it('routes a Teams personal chat predictably while one question is open', async () => {
  await says('ask Is the sign-in of alex from Lagos expected?');
  const request = await eventually(
    () => inChat().find((c) => /Question Q-[0-9A-Z]+/.test(bodyText(c))),
    'the request card in the chat',
  );
  const id = /Question (Q-[0-9A-Z]+)/.exec(bodyText(request))?.[1] as string;
  const root = await bot.slack.standIn.waitFor(
    (c) =>
      c.method === 'chat.postMessage' && c.args.channel === SLACK_QUEUE && c.args.thread_ts === undefined,
    'the queue card in Slack',
  );
  const rootTs = (root.result as { ts: string }).ts;
  const queueThread = () =>
    bot.slack.standIn
      .of('chat.postMessage')
      .filter((c) => c.args.channel === SLACK_QUEUE && c.args.thread_ts === rootTs);

  for (const text of ['what needs my action?', 'who is my SDM?', "what's the status of 30263", '#10503']) {
    const before = inChat().length;
    await says(text);
    await eventually(() => (inChat().length > before ? true : undefined), `an answer to "${text}"`);
    expect(bodyText(inChat().at(-1) ?? {}), text).not.toContain('Passed on');
  }

  await says('Sorry, that was for my colleague: lunch at noon?');
  const ack = await eventually(
    () => inChat().find((c) => bodyText(c).includes('Passed on to Defender Experts')),
    'the acknowledgement',
  );
  expect(bodyText(ack)).toContain(id);
  const copy = await eventually(
    () => queueThread().find((c) => bodyText(c).includes('lunch at noon')),
    'the copy in the Slack queue thread',
  );
  expect(String(copy.args.text)).toContain(`(re ${id}`);
  await sleep(1500);
  for (const needle of ['my action', 'my SDM', '30263', '10503'])
    expect(
      queueThread().filter((c) => bodyText(c).includes(needle)),
      needle,
    ).toHaveLength(0);

  // Undo, clicked in Teams (a Universal Action): the copy in the queue thread becomes "Message removed".
  const undo = JSON.stringify((ack.body as { attachments?: unknown }).attachments ?? []).match(
    /"verb":"relay\.undo","data":(\{[^}]*\})/,
  )?.[1];
  expect(undo).toBeDefined();
  const invoke = teamsActivity('invoke-action-execute', {
    serviceUrl: bot.teams.serviceUrl,
    appId: bot.teams.appId,
    tenantId: CUSTOMER_TENANT,
  });
  invoke.conversation.id = CHAT;
  (invoke as unknown as { value: unknown }).value = {
    action: { type: 'Action.Execute', title: 'Undo', verb: 'relay.undo', data: JSON.parse(undo as string) },
    trigger: 'manual',
  };
  const res = await fetch(`${bot.slack.url}/api/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      authorization: `Bearer ${await bot.teams.channelToken()}`,
    },
    body: JSON.stringify(invoke),
  });
  expect(JSON.stringify(await res.json())).toContain('Withdrawn');
  await eventually(
    () =>
      bot.slack.standIn
        .of('chat.update')
        .find((c) => c.args.channel === SLACK_QUEUE && bodyText(c).includes('Message removed')),
    'the copy withdrawn in Slack',
  );

  // The expert's answer comes back into the chat, naming the question.
  const ts = uniqueTs();
  await slackEvent(
    bot,
    'message-channel-thread',
    {
      channel: SLACK_QUEUE,
      thread_ts: rootTs,
      ts,
      event_ts: ts,
      user: 'U0EXPERT1',
      team: 'T0EXPERTS',
      text: 'It is the corporate VPN egress.',
    },
    undefined,
    undefined,
    'T0EXPERTS',
  );
  const answer = await eventually(
    () => inChat().find((c) => bodyText(c).includes('corporate VPN egress')),
    'the answer in the Teams chat',
  );
  expect(bodyText(answer)).toContain(`Re: ${id}`);
}, 90_000);
