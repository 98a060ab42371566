import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConnectorCall } from '../../support/bot-connector-standin.js';
import { uniqueTs } from '../../support/slack-harness.js';
import type { RecordedCall } from '../../support/slack-standin.js';
import {
  EXPERT_AAD,
  EXPERTS_TENANT,
  eventually,
  newEventId,
  type RelayBot,
  slackEvent,
  startRelayBot,
  TEAMS_QUEUE,
  teamsSend,
} from './relay-e2e.js';

// End to end, the real process: a customer asks in Slack, the experts' queue is a Teams channel. Expert
// replies come back into the asker's Slack thread exactly once and in Teams' order despite duplicate and
// out-of-order deliveries; the customer's follow-up, edit and the expert's deletion are mirrored; relayed
// text stays inert; someone who is not an expert is not relayed.

let bot: RelayBot;
beforeAll(async () => {
  bot = await startRelayBot('teams');
}, 60_000);
afterAll(async () => {
  await bot?.close();
});

const HOSTILE = 'Yes <!channel> <@U0BOSS> [click](https://evil.example) <at>Alice</at> *bold*';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const slackPostsIn = (channel: string, threadTs: string): RecordedCall[] =>
  bot.slack.standIn
    .of('chat.postMessage')
    .filter((c) => c.args.channel === channel && c.args.thread_ts === threadTs);
const teamsCalls = (kind: ConnectorCall['kind'], conversationId: string): ConnectorCall[] =>
  bot.teams.calls.filter((c) => c.kind === kind && c.conversationId === conversationId && c.status < 300);
const bodyText = (c: { args?: unknown; body?: unknown }): string => JSON.stringify(c.args ?? c.body);

it('relays a Slack question to a Teams queue and back, once each, in order, escaped', async () => {
  const channel = `C0SOC${Math.floor(Math.random() * 1e6)}`;
  const askTs = uniqueTs();
  await slackEvent(bot, 'app-mention', {
    text: '<@UBOT> ask Is the sign-in of alice from Lagos expected?',
    user: 'U0ALICE',
    channel,
    ts: askTs,
    event_ts: askTs,
  });
  const request = await eventually(
    () => slackPostsIn(channel, askTs)[0],
    'the request card in the asker’s thread',
  );
  expect(bodyText(request)).toMatch(/Question Q-[0-9A-Z]+/);
  expect(bodyText(request)).toContain('not an incident-response service');
  const create = await eventually(
    () => bot.teams.calls.find((c) => c.kind === 'create' && c.conversationId === TEAMS_QUEUE),
    'the queue card in Teams',
  );
  expect(bodyText(create)).toContain('Contoso Ltd');
  expect(bodyText(create)).toContain('question.claim');
  const root = create.answeredId as string;
  const thread = `${TEAMS_QUEUE};messageid=${root}`;

  // The expert answers twice; Teams delivers the second first, and the first one twice.
  const t0 = Date.now();
  const expertSays = (id: string, text: string, at: number) =>
    teamsSend(
      bot,
      'message-channel-reply',
      (a) => {
        a.conversation.id = thread;
        a.from = { ...a.from, aadObjectId: EXPERT_AAD, name: 'Eve Expert' };
        a.text = text;
        a.timestamp = new Date(at).toISOString();
      },
      EXPERTS_TENANT,
      id,
    );
  await expertSays('9000000000002', 'second: see the sign-in logs', t0 + 2000);
  await expertSays('9000000000001', HOSTILE, t0 + 1000);
  await expertSays('9000000000001', HOSTILE, t0 + 1000);
  const relayed = () =>
    slackPostsIn(channel, askTs).filter((c) => String(c.args.text).startsWith('Defender Experts'));
  await eventually(() => (relayed().length >= 2 ? true : undefined), 'two relayed answers in Slack');
  await sleep(2500);
  const answers = relayed();
  expect(answers).toHaveLength(2);
  expect(String(answers[0]?.args.text)).toContain('Yes');
  expect(String(answers[1]?.args.text)).toContain('second');
  for (const a of answers) {
    const raw = bodyText(a);
    expect(raw).not.toContain('<!channel>');
    expect(raw).not.toContain('<@U0BOSS>');
    expect(raw).not.toContain('<https://evil.example');
    expect(raw).not.toContain('Eve Expert');
  }

  // The customer follows up in the Slack thread (with a file); Slack retries it and also sends a copy.
  const followTs = uniqueTs();
  const follow = {
    text: 'It was me, travelling',
    user: 'U0ALICE',
    channel,
    thread_ts: askTs,
    ts: followTs,
    event_ts: followTs,
    files: [{ id: 'F0FILE' }],
  };
  const eventId = newEventId();
  await slackEvent(bot, 'message-channel-thread', follow, eventId);
  await slackEvent(bot, 'message-channel-thread', follow, eventId, 1);
  await slackEvent(bot, 'message-channel-thread', follow);
  const sent = await eventually(
    () => (teamsCalls('send', thread).length > 0 ? teamsCalls('send', thread) : undefined),
    'the follow-up in the Teams queue thread',
  );
  await sleep(2500);
  expect(teamsCalls('send', thread).filter((c) => bodyText(c).includes('travelling'))).toHaveLength(1);
  expect(bodyText(sent[0] ?? {})).toContain('Contoso Ltd');
  await eventually(
    () => slackPostsIn(channel, askTs).find((c) => bodyText(c).includes('Attachments are not passed on')),
    'the attachments notice to the customer',
  );

  // The customer edits the follow-up: the Teams copy is updated in place.
  const copyId = sent[0]?.answeredId as string;
  await slackEvent(bot, 'message-changed', {
    channel,
    ts: uniqueTs(),
    message: {
      type: 'message',
      user: 'U0ALICE',
      text: 'It was me, travelling to Lagos',
      ts: followTs,
      thread_ts: askTs,
      // Edited after it was sent (an edit older than the relayed version would be ignored as stale).
      edited: { user: 'U0ALICE', ts: `${Number(followTs.split('.')[0]) + 10}.000100` },
    },
  });
  const update = await eventually(
    () => bot.teams.calls.find((c) => c.kind === 'update' && c.activityId === copyId && c.status < 300),
    'the edit in Teams',
  );
  expect(bodyText(update)).toContain('to Lagos');

  // The expert deletes the first answer: the Slack copy says so.
  await teamsSend(
    bot,
    'message-delete',
    (a) => {
      a.conversation.id = thread;
      a.from = { ...a.from, aadObjectId: EXPERT_AAD };
      a.timestamp = new Date().toISOString();
    },
    EXPERTS_TENANT,
    '9000000000001',
  );
  const removed = await eventually(
    () =>
      bot.slack.standIn
        .of('chat.update')
        .find(
          (c) =>
            c.args.channel === channel &&
            c.args.ts === (answers[0]?.result as { ts?: string } | undefined)?.ts,
        ),
    'the removal in Slack',
  );
  expect(bodyText(removed)).toContain('Message removed');
  expect(bodyText(removed)).not.toContain('Yes');

  // Someone in the experts' tenant who is not an expert: not relayed.
  const before = relayed().length;
  await teamsSend(
    bot,
    'message-channel-reply',
    (a) => {
      a.conversation.id = thread;
      a.from = { ...a.from, aadObjectId: '00000000-0000-4000-8000-00000000bad0', name: 'Mallory' };
      a.text = 'I am not an expert';
    },
    EXPERTS_TENANT,
  );
  await sleep(2500);
  expect(relayed().length).toBe(before);
}, 90_000);
