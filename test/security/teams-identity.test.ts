import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  CUSTOMER_TENANT,
  EXPERTS_TENANT,
  eventually,
  type RelayBot,
  startRelayBotWith,
  teamsExpertsYaml,
  teamsSend,
} from '../e2e/relay/relay-e2e.js';

// Teams names a person by their Entra object id (activity.from.aadObjectId); their "29:" id is only an
// address. An SDM configured as documented — the object id, here pasted in capitals as some Entra tools
// show it — is recognised as the SDM when they write to the bot from the provider's tenant, through the
// real process and the Bot Connector stand-in.

const SDM_AAD = '3f2b0c1e-0000-4000-8000-0000000005d0';
let bot: RelayBot;

beforeAll(async () => {
  bot = await startRelayBotWith(
    (teams) =>
      `${[
        'customers:',
        '  - id: contoso',
        '    name: Contoso Ltd',
        `    teams: { tenantId: "${CUSTOMER_TENANT}" }`,
        `    sdm: { name: Dana Reyes, email: dana@provider.example, teamsUserId: "${SDM_AAD.toUpperCase()}" }`,
      ].join('\n')}\n${teamsExpertsYaml(teams)}`,
    { RELAY_SETTLE_MS: '0' },
  );
}, 60_000);

afterAll(async () => {
  await bot?.close();
});

const body = (c: { body?: unknown }): string => JSON.stringify(c.body);

it('recognises the SDM by the Entra object id Teams sends, not by the 29: id', async () => {
  const before = bot.teams.calls.length;
  await teamsSend(
    bot,
    'message-personal',
    (a) => {
      a.text = 'checkin';
      a.from = { id: '29:1ScrubbedDanaMri', name: 'Dana Reyes', aadObjectId: SDM_AAD };
    },
    EXPERTS_TENANT,
  );
  const answer = await eventually(
    () => bot.teams.calls.slice(before).find((c) => c.kind !== 'other' && c.status < 300),
    'the answer to the SDM',
  );
  expect(body(answer)).toContain('Contoso');
  expect(body(answer)).not.toMatch(/Only a customer’s people and their SDM/);
});
