import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConnectorCall } from '../../support/bot-connector-standin.js';
import { uniqueTs } from '../../support/slack-harness.js';
import type { RecordedCall } from '../../support/slack-standin.js';
import {
  ANALYST_AAD,
  CUSTOMER_TENANT,
  eventually,
  newEventId,
  type RelayBot,
  SLACK_QUEUE,
  slackEvent,
  startRelayBot,
  TEAMS_SOC,
  teamsSend,
} from './relay-e2e.js';

// End to end, the reverse: a customer asks in a Teams channel, the experts' queue is a Slack channel in the
// provider's own workspace. Slack's retries and out-of-order events are relayed once and in Slack's order;
// the customer's thread reply and edit reach the queue thread; the expert's deletion reaches Teams.

let bot: RelayBot;
beforeAll(async () => {
  bot = await startRelayBot('slack');
}, 60_000);
afterAll(async () => {
  await bot?.close();
});

const HOSTILE = 'Yes <!channel> <@U0BOSS> [click](https://evil.example) <at>Alice</at>';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const bodyText = (c: { args?: unknown; body?: unknown }): string => JSON.stringify(c.args ?? c.body);
/** Messages the bot put in a Teams thread (a reply to the turn, or a proactive send into the thread). */
const teamsOk = (conversationId: string): ConnectorCall[] =>
  bot.teams.calls.filter(
    (c) => (c.kind === 'send' || c.kind === 'reply') && c.conversationId === conversationId && c.status < 300,
  );

it('relays a Teams question to a Slack queue and back, once each, in order, escaped', async () => {
  const askId = `17369${Math.floor(Math.random() * 1e8)}`;
  const thread = `${TEAMS_SOC};messageid=${askId}`;
  await teamsSend(
    bot,
    'message-channel-mention',
    (a) => {
      a.conversation.id = thread;
      a.text = '<at>Defender Experts</at> ask Is the sign-in of alex from Lagos expected?';
    },
    CUSTOMER_TENANT,
    askId,
  );
  const request = await eventually(() => teamsOk(thread)[0], 'the request card in the Teams thread');
  expect(bodyText(request)).toMatch(/Question Q-[0-9A-Z]+/);
  const root: RecordedCall = await bot.slack.standIn.waitFor(
    (c) =>
      c.method === 'chat.postMessage' && c.args.channel === SLACK_QUEUE && c.args.thread_ts === undefined,
    'the queue card in Slack',
  );
  expect(bodyText(root)).toContain('Contoso Ltd');
  const rootTs = (root.result as { ts: string }).ts;

  // The expert answers twice in the Slack thread; Slack delivers them out of order and retries one.
  const first = uniqueTs();
  const second = `${Number(first.split('.')[0]) + 5}.000100`;
  const expertSays = (ts: string, text: string, eventId = newEventId(), retry?: number) =>
    slackEvent(
      bot,
      'message-channel-thread',
      {
        channel: SLACK_QUEUE,
        thread_ts: rootTs,
        ts,
        event_ts: ts,
        user: 'U0EXPERT1',
        team: 'T0EXPERTS',
        text,
      },
      eventId,
      retry,
      'T0EXPERTS',
    );
  await expertSays(second, 'second: check the sign-in logs');
  const firstEvent = newEventId();
  await expertSays(first, HOSTILE, firstEvent);
  await expertSays(first, HOSTILE, firstEvent, 1);
  const relayed = () =>
    teamsOk(thread)
      .filter((c) => bodyText(c).includes('Defender Experts:') || bodyText(c).includes('Defender Experts'))
      .slice(1);
  await eventually(() => (relayed().length >= 2 ? true : undefined), 'two relayed answers in Teams');
  await sleep(2500);
  const answers = relayed();
  expect(answers).toHaveLength(2);
  expect(bodyText(answers[0] ?? {})).toContain('Yes');
  expect(bodyText(answers[1] ?? {})).toContain('second');
  for (const a of answers) {
    // The card is what Teams renders (the summary is plain text for notifications); no mention entity.
    const raw = JSON.stringify(a.body.attachments);
    expect(a.body.entities).toBeUndefined();
    expect(raw).not.toContain('<at>Alice');
    expect(raw).not.toContain('](https://evil.example)');
  }

  // The customer replies in the Teams thread without mentioning the bot, then edits it.
  const replyId = `17370${Math.floor(Math.random() * 1e8)}`;
  await teamsSend(
    bot,
    'message-channel-reply',
    (a) => {
      a.conversation.id = thread;
      a.from = { ...a.from, aadObjectId: ANALYST_AAD, name: 'Alex Analyst' };
      a.text = 'It was me, travelling';
      a.timestamp = new Date().toISOString();
    },
    CUSTOMER_TENANT,
    replyId,
  );
  const copy = await bot.slack.standIn.waitFor(
    (c) => c.method === 'chat.postMessage' && c.args.channel === SLACK_QUEUE && c.args.thread_ts === rootTs,
    'the follow-up in the Slack queue thread',
  );
  expect(String(copy.args.text)).toContain('Contoso Ltd · Alex Analyst');
  await teamsSend(
    bot,
    'message-update',
    (a) => {
      a.conversation.id = thread;
      a.from = { ...a.from, aadObjectId: ANALYST_AAD };
      a.text = 'It was me, travelling to Lagos';
      a.timestamp = new Date(Date.now() + 1000).toISOString();
    },
    CUSTOMER_TENANT,
    replyId,
  );
  const edited = await bot.slack.standIn.waitFor(
    (c) => c.method === 'chat.update' && c.args.ts === (copy.result as { ts: string }).ts,
    'the edit in Slack',
  );
  expect(bodyText(edited)).toContain('to Lagos');

  // The expert deletes the first answer: the Teams copy says "Message removed".
  await slackEvent(
    bot,
    'message-deleted',
    {
      channel: SLACK_QUEUE,
      deleted_ts: first,
      ts: uniqueTs(),
      previous_message: { type: 'message', user: 'U0EXPERT1', text: HOSTILE, ts: first, thread_ts: rootTs },
    },
    newEventId(),
    undefined,
    'T0EXPERTS',
  );
  const removed = await eventually(
    () =>
      bot.teams.calls.find(
        (c) => c.kind === 'update' && c.activityId === answers[0]?.answeredId && c.status < 300,
      ),
    'the removal in Teams',
  );
  expect(bodyText(removed)).toContain('Message removed');
  expect(bodyText(removed)).not.toContain('Yes');
}, 90_000);
