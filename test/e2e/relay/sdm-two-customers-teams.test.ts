import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamsActivity } from '../../support/bot-connector-activities.js';
import { uniqueTs } from '../../support/slack-harness.js';
import {
  CUSTOMER_TENANT,
  EXPERTS_TENANT,
  eventually,
  type RelayBot,
  slackEvent,
  startRelayBotWith,
  teamsExpertsYaml,
  teamsSend,
} from './relay-e2e.js';

// Review finding B1, end to end with the real process: Dana is the SDM of Contoso and Woodgrove and is reached
// in one Teams 1:1 chat (no threads). Both customers escalate from Slack; Dana's answer in that chat reaches
// neither until she picks a customer on the choice card, then only that customer's Slack thread.

const SDM_AAD = '00000000-0000-4000-8000-0000000005d0';
let bot: RelayBot;

beforeAll(async () => {
  const dana = `    sdm: { name: Dana Reyes, email: dana@provider.example, teamsUserId: "${SDM_AAD}" }`;
  bot = await startRelayBotWith(
    (teams) =>
      `${[
        'customers:',
        '  - id: contoso',
        '    name: Contoso Ltd',
        '    slack: { teamId: T0CONTOSO }',
        `    teams: { tenantId: "${CUSTOMER_TENANT}" }`,
        dana,
        '  - id: woodgrove',
        '    name: Woodgrove Bank',
        '    slack: { teamId: T0WOODGROVE }',
        dana,
      ].join('\n')}\n${teamsExpertsYaml(teams)}`,
    { RELAY_SETTLE_MS: '200' },
  );
}, 60_000);

afterAll(async () => {
  await bot?.close();
});

const body = (c: { body?: unknown; args?: unknown }): string => JSON.stringify(c.body ?? c.args);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Clicks a button of a card in the chat (an adaptiveCard/action invoke); returns the invoke response body. */
async function danaClicks(chat: string, verb: string, data: Record<string, unknown>): Promise<string> {
  const activity = teamsActivity('invoke-action-execute', {
    serviceUrl: bot.teams.serviceUrl,
    appId: bot.teams.appId,
    tenantId: EXPERTS_TENANT,
    conversationId: chat,
    value: { action: { type: 'Action.Execute', title: 'Send', verb, data }, trigger: 'manual' },
  });
  activity.from = { id: '29:1ScrubbedDana', name: 'Dana Reyes', aadObjectId: SDM_AAD };
  const res = await fetch(`${bot.slack.url}/api/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      authorization: `Bearer ${await bot.teams.channelToken()}`,
    },
    body: JSON.stringify(activity),
  });
  expect(res.status).toBe(200);
  return res.text();
}

describe('one SDM, two customers, one Teams chat', () => {
  it('relays Dana’s answer only to the customer she picks, never by recency', async () => {
    const channels = { contoso: `C0CON${uniqueTs().slice(-6)}`, woodgrove: `C0WOO${uniqueTs().slice(-6)}` };
    const escalate = (team: string, channel: string, text: string) => {
      const ts = uniqueTs();
      return slackEvent(
        bot,
        'app-mention',
        { text: `<@UBOT> ${text}`, user: 'U0ALICE', team, channel, ts, event_ts: ts },
        undefined,
        undefined,
        team,
      );
    };
    await escalate('T0CONTOSO', channels.contoso, 'escalate high the alert on CONTOSO-DC01 was missed');
    const created = await eventually(
      () => bot.teams.calls.find((c) => c.kind === 'create' && body(c).includes(SDM_AAD) && c.status < 300),
      'the 1:1 chat with the SDM',
    );
    const chat = created.conversationId;
    await eventually(
      () => bot.teams.calls.find((c) => c.conversationId === chat && /CONTOSO-DC01/.test(body(c))),
      'Contoso’s escalation in Dana’s chat',
    );
    await escalate('T0WOODGROVE', channels.woodgrove, 'sdm please send the invoice');
    await eventually(
      () => bot.teams.calls.find((c) => c.conversationId === chat && /send the invoice/.test(body(c))),
      'Woodgrove’s message in Dana’s chat',
    );

    const answer = 'Contoso: CONTOSO-DC01 was isolated at 03:10';
    const sent = await teamsSend(
      bot,
      'message-personal',
      (a) => {
        a.conversation.id = chat;
        a.from = { id: '29:1ScrubbedDana', name: 'Dana Reyes', aadObjectId: SDM_AAD };
        a.text = answer;
      },
      EXPERTS_TENANT,
    );
    const choice = await eventually(
      () => bot.teams.calls.find((c) => c.conversationId === chat && /Which one is this for/.test(body(c))),
      'the choice card in Dana’s chat',
    );
    await sleep(1_500); // well past the settle window: nothing may have been relayed
    const relayed = (channel: string) =>
      bot.slack.standIn
        .of('chat.postMessage')
        .filter((c) => c.args.channel === channel && /was isolated at 03:10/.test(body(c)));
    expect(relayed(channels.contoso)).toHaveLength(0);
    expect(relayed(channels.woodgrove)).toHaveLength(0);

    const actions = [
      ...body(choice).matchAll(
        /"title":"Send to (\d) · ([^"]+)","verb":"relay\.reply","data":\{"pairId":"(rp-[0-9a-f-]+)"/g,
      ),
    ];
    const contoso = actions.find((m) => m[2] === 'Contoso Ltd');
    expect(actions.map((m) => m[2]).sort()).toEqual(['Contoso Ltd', 'Woodgrove Bank']);
    expect(contoso).toBeDefined();
    const answered = await danaClicks(chat, 'relay.reply', { pairId: contoso?.[3], sourceId: sent.id });
    expect(answered).toContain('Passed on to Contoso Ltd');
    const back = await eventually(
      () => relayed(channels.contoso)[0],
      'Dana’s answer in Contoso’s Slack thread',
    );
    expect(body(back)).toMatch(/Your SDM \(Dana Reyes\)/);
    expect(typeof back.args.thread_ts).toBe('string');
    await sleep(1_000);
    expect(relayed(channels.woodgrove)).toHaveLength(0);
    expect(relayed(channels.contoso)).toHaveLength(1);
  });
});
