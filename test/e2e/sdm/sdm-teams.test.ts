import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
} from '../relay/relay-e2e.js';

// End to end with the real process against the Bot Connector and Slack stand-ins: the report card reaches
// Teams with an Image element at the signed public link; an escalation from a customer in Slack opens a
// Teams 1:1 chat with their SDM (the provider's tenant), and the SDM's answer there comes back into the
// customer's Slack thread.

const SDM_AAD = '00000000-0000-4000-8000-0000000005d0';
const PUBLIC = 'https://bot.example.com';
let bot: RelayBot;

beforeAll(async () => {
  bot = await startRelayBotWith(
    (teams) =>
      `${[
        'customers:',
        '  - id: contoso',
        '    name: Contoso Ltd',
        '    slack: { teamId: T0CONTOSO }',
        `    teams: { tenantId: "${CUSTOMER_TENANT}" }`,
        `    sdm: { name: Dana Reyes, email: dana@provider.example, teamsUserId: "${SDM_AAD}" }`,
        '    responders: [ "slack:U0ALICE" ]',
      ].join('\n')}\n${teamsExpertsYaml(teams)}`,
    { PUBLIC_BASE_URL: PUBLIC, RELAY_SETTLE_MS: '200' },
  );
}, 60_000);

afterAll(async () => {
  await bot?.close();
});

const body = (c: { body?: unknown; args?: unknown }): string => JSON.stringify(c.body ?? c.args);

describe('SDM features in Teams', () => {
  it('answers `report` with an Image element at a signed PUBLIC_BASE_URL link', async () => {
    await teamsSend(
      bot,
      'message-personal',
      (a) => {
        a.text = 'report 7d';
      },
      CUSTOMER_TENANT,
    );
    const answer = await eventually(
      () => bot.teams.calls.find((c) => c.status < 300 && body(c).includes('Defender Experts report')),
      'the report card in Teams',
    );
    const card = body(answer);
    expect(card).toContain('"type":"Image"');
    expect(card).toMatch(
      /"url":"https:\/\/bot\.example\.com\/reports\/contoso\/7d-[a-f0-9]+\/chart\.png\?exp=\d+&sig=[A-Za-z0-9_-]+"/,
    );
    const url = /"url":"(https:\/\/bot\.example\.com\/reports\/[^"]+chart\.png[^"]+)"/.exec(card)?.[1] ?? '';
    const res = await fetch(url.replace(PUBLIC, bot.slack.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
  });

  it('answers `messages` with the grouped threads and a signed CSV link', async () => {
    await teamsSend(
      bot,
      'message-personal',
      (a) => {
        a.text = 'messages 7d';
      },
      CUSTOMER_TENANT,
    );
    const answer = await eventually(
      () => bot.teams.calls.find((c) => c.status < 300 && body(c).includes('Ask Defender Experts (')),
      'the messages card in Teams',
    );
    const card = body(answer);
    expect(card).toContain('Managed response (');
    const url = /"url":"(https:\/\/bot\.example\.com\/messages\/contoso\/7d\/[^"]+messages\.csv[^"]+)"/.exec(
      card,
    )?.[1];
    expect(url).toBeDefined();
    const res = await fetch(String(url).replace(PUBLIC, bot.slack.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  });

  it('opens a Teams chat with the SDM for an escalation from Slack, and relays the answer back', async () => {
    const channel = `C0SOC${Math.floor(Math.random() * 1e6)}`;
    const ts = uniqueTs();
    await slackEvent(bot, 'app-mention', {
      text: '<@UBOT> escalate medium nobody called us back about incident 42',
      user: 'U0ALICE',
      channel,
      ts,
      event_ts: ts,
    });
    const created = await eventually(
      () => bot.teams.calls.find((c) => c.kind === 'create' && body(c).includes(SDM_AAD) && c.status < 300),
      'the 1:1 chat with the SDM',
    );
    const chat = created.conversationId;
    expect(chat).toBe(`a:dm-${SDM_AAD}`);
    await eventually(
      () =>
        bot.teams.calls.find(
          (c) => c.kind === 'send' && c.conversationId === chat && /Escalation/.test(body(c)),
        ),
      'the escalation in the SDM’s chat',
    );
    const customerRoot = await eventually(
      () =>
        bot.slack.standIn
          .of('chat.postMessage')
          .find((c) => c.args.channel === channel && /to your SDM Dana Reyes/.test(body(c))),
      'the customer-side root in Slack',
    );
    const rootTs = String((customerRoot.result as { ts?: unknown } | null)?.ts ?? '');
    await teamsSend(
      bot,
      'message-personal',
      (a) => {
        a.conversation.id = chat;
        a.from = { id: '29:1ScrubbedDana', name: 'Dana Reyes', aadObjectId: SDM_AAD };
        a.text = 'Calling you in ten minutes.';
      },
      EXPERTS_TENANT,
    );
    const back = await eventually(
      () =>
        bot.slack.standIn
          .of('chat.postMessage')
          .find(
            (c) => c.args.channel === channel && c.args.thread_ts === rootTs && /ten minutes/.test(body(c)),
          ),
      'the SDM’s answer in the customer’s Slack thread',
    );
    expect(body(back)).toMatch(/Your SDM \(Dana Reyes\)/);
  });
});
