import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConnectorCall } from '../../support/bot-connector-standin.js';
import { uniqueTs } from '../../support/slack-harness.js';
import type { RecordedCall } from '../../support/slack-standin.js';
import {
  EXPERT_AAD,
  EXPERTS_TENANT,
  eventually,
  type RelayBot,
  slackEvent,
  startRelayBot,
  TEAMS_QUEUE,
  teamsSend,
} from './relay-e2e.js';

// The real process, a customer in a Slack direct message and the experts' queue in Teams: with one open
// question, the documented phrasings are answered as commands and never reach the experts; a top-level
// follow-up goes to the question (as in a Teams personal chat) with an acknowledgement that names it and
// offers Undo; the expert's answer names the question it answers.

let bot: RelayBot;
beforeAll(async () => {
  bot = await startRelayBot('teams');
}, 60_000);
afterAll(async () => {
  await bot?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const bodyText = (c: { args?: unknown; body?: unknown }): string => JSON.stringify(c.args ?? c.body);
const teamsIn = (conversationId: string): ConnectorCall[] =>
  bot.teams.calls.filter(
    (c) => (c.kind === 'send' || c.kind === 'reply') && c.conversationId === conversationId && c.status < 300,
  );

it('routes a Slack direct message predictably while one question is open', async () => {
  const dm = `D0ALICE${Math.floor(Math.random() * 1e6)}`;
  const says = async (text: string): Promise<string> => {
    const ts = uniqueTs();
    await slackEvent(bot, 'message-im', { text, user: 'U0ALICE', channel: dm, ts, event_ts: ts });
    return ts;
  };
  const inDm = (): RecordedCall[] =>
    bot.slack.standIn
      .of('chat.postMessage')
      .filter((c) => c.args.channel === dm)
      .concat(bot.slack.standIn.of('chat.postEphemeral').filter((c) => c.args.channel === dm));

  await says('ask Is the sign-in of alice from Lagos expected?');
  const request = await eventually(
    () => inDm().find((c) => /Question Q-[0-9A-Z]+/.test(bodyText(c))),
    'the request card in the DM',
  );
  const id = /Question (Q-[0-9A-Z]+)/.exec(bodyText(request))?.[1] as string;
  const create = await eventually(
    () => bot.teams.calls.find((c) => c.kind === 'create' && c.conversationId === TEAMS_QUEUE),
    'the queue card in Teams',
  );
  const thread = `${TEAMS_QUEUE};messageid=${create.answeredId as string}`;

  // Commands in the documented phrasings: answered in the DM, never passed on.
  for (const text of ['what needs my action?', 'who is my SDM?', 'status 10503', '#10503', '10503']) {
    const before = inDm().length;
    await says(text);
    await eventually(() => (inDm().length > before ? true : undefined), `an answer to "${text}"`);
    expect(bodyText(inDm().at(-1) ?? {}), text).not.toContain('Passed on');
  }

  // A top-level follow-up goes to the one open question; the answer names it and offers Undo.
  await says('It was me, travelling with the corporate VPN');
  const ack = await eventually(
    () => inDm().find((c) => bodyText(c).includes('Passed on to Defender Experts')),
    'the acknowledgement',
  );
  expect(bodyText(ack)).toContain(id);
  expect(bodyText(ack)).toContain('relay.undo');
  const copy = await eventually(
    () => teamsIn(thread).find((c) => bodyText(c).includes('corporate VPN')),
    'the follow-up in the Teams queue thread',
  );
  expect(bodyText(copy)).toContain(`Re: ${id}`);
  // Named from the Slack profile, as Teams names its members: never the member id.
  expect(bodyText(copy)).toContain('Contoso Ltd · Alice Analyst');
  expect(bodyText(copy)).not.toContain('U0ALICE');
  expect(bodyText(create)).toContain('Alice Analyst');
  await sleep(2000);
  for (const needle of ['my action', 'my SDM', '10503'])
    expect(
      teamsIn(thread).filter((c) => bodyText(c).includes(needle)),
      needle,
    ).toHaveLength(0);

  // The expert's answer comes back labelled with the question.
  await teamsSend(
    bot,
    'message-channel-reply',
    (a) => {
      a.conversation.id = thread;
      a.from = { ...a.from, aadObjectId: EXPERT_AAD, name: 'Eve Expert' };
      a.text = 'Thanks, that matches the VPN egress in Lagos.';
    },
    EXPERTS_TENANT,
    `90000${Math.floor(Math.random() * 1e8)}`,
  );
  const answer = await eventually(
    () => inDm().find((c) => bodyText(c).includes('VPN egress')),
    'the answer in the Slack DM',
  );
  expect(bodyText(answer)).toContain(`Re: ${id}`);
}, 90_000);
