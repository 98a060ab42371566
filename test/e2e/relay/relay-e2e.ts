import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ActivityJson,
  type FixtureName,
  teamsActivity,
} from '../../support/bot-connector-activities.js';
import { type BotConnectorStandIn, startBotConnectorStandIn } from '../../support/bot-connector-standin.js';
import {
  eventEnvelope,
  postEvent,
  type SlackBotHarness,
  startSlackBot,
} from '../../support/slack-harness.js';

// One real bot process with both platforms configured against their stand-ins (Slack Web API and Bot
// Connector), a customers file naming where the customer and the experts' queue are, and helpers that
// send what Slack and Teams would send for the relay's cases.

export const EXPERTS_TENANT = '22222222-2222-4222-8222-222222222222';
export const CUSTOMER_TENANT = '11111111-1111-4111-8111-111111111111';
export const EXPERT_AAD = '00000000-0000-4000-8000-0000000e0001';
export const ANALYST_AAD = '00000000-0000-4000-8000-00000000a11c';
export const TEAMS_QUEUE = '19:ExpertsQueue000000000000000@thread.tacv2';
export const TEAMS_SOC = '19:ScrubbedSocChannel0000000000000@thread.tacv2';
export const SLACK_QUEUE = 'C0QUEUE';

export interface RelayBot {
  readonly slack: SlackBotHarness;
  readonly teams: BotConnectorStandIn;
  close(): Promise<void>;
}

/**
 * Starts the Bot Connector stand-in, writes the customers file `customersYaml(teams)` builds (it needs the
 * stand-in's service URL for the experts' Teams channel) and starts the bot with both platforms configured.
 */
export async function startRelayBotWith(
  customersYaml: (teams: BotConnectorStandIn) => string,
  env: Record<string, string>,
  setup?: Parameters<typeof startSlackBot>[1],
): Promise<RelayBot> {
  const teams = await startBotConnectorStandIn();
  // The experts' Teams queue holds the provider's own people (the bot asks before posting a question there).
  teams.members.rosters.set(TEAMS_QUEUE, [
    {
      id: '29:1ExpertsQueueEveMri',
      name: 'Eve Expert',
      aadObjectId: EXPERT_AAD,
      tenantId: EXPERTS_TENANT,
      userRole: 'user',
    },
  ]);
  const file = join(mkdtempSync(join(tmpdir(), 'dxb-relay-')), 'customers.yaml');
  writeFileSync(file, customersYaml(teams));
  let slack: SlackBotHarness;
  try {
    slack = await startSlackBot({ ...teams.env('127.0.0.1'), TENANTS_FILE: file, ...env }, setup);
  } catch (error) {
    await teams.close();
    throw error;
  }
  return {
    slack,
    teams,
    async close() {
      await slack.close();
      await teams.close();
    },
  };
}

/** The experts' queue in the stand-in's Teams channel, as the customers file writes it. */
export const teamsExpertsYaml = (teams: BotConnectorStandIn): string =>
  `experts:\n  teams: { tenantId: "${EXPERTS_TENANT}", channelId: "${TEAMS_QUEUE}", serviceUrl: "${teams.serviceUrl}" }\n  members: [ "teams:${EXPERT_AAD}" ]\n`;

/** Starts the stand-ins and the bot; `experts` picks where the experts' queue is. */
export function startRelayBot(experts: 'teams' | 'slack'): Promise<RelayBot> {
  const customerYaml =
    experts === 'teams'
      ? '    slack: { teamId: T0CONTOSO }'
      : `    teams: { tenantId: "${CUSTOMER_TENANT}" }`;
  return startRelayBotWith(
    (teams) =>
      `customers:\n  - id: contoso\n    name: Contoso Ltd\n${customerYaml}\n    responders: [ "slack:U0ALICE" ]\n` +
      (experts === 'teams'
        ? teamsExpertsYaml(teams)
        : `experts:\n  slack: { teamId: T0EXPERTS, channelId: ${SLACK_QUEUE} }\n  members: [ "slack:U0EXPERT1" ]\n`),
    { RELAY_SETTLE_MS: '1500', LOG_LEVEL: 'info' },
    (st) => {
      st.users.set('U0EXPERT1', { team_id: 'T0EXPERTS', name: 'eve', real_name: 'Eve Expert' });
      st.users.set('U0MALLORY', { team_id: 'T0EXPERTS', name: 'mallory' });
    },
  );
}

export const newEventId = (): string => `Ev${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`;

/** A Slack event from a fixture with the event fields given; returns the envelope (for resending). */
export async function slackEvent(
  bot: RelayBot,
  fixture: string,
  event: Record<string, unknown>,
  eventId = newEventId(),
  retryNum?: number,
  team?: string,
) {
  const base = eventEnvelope(fixture, event, eventId) as Record<string, unknown>;
  // The workspace the event comes from (the experts' own workspace for their replies).
  const envelope =
    team === undefined
      ? base
      : {
          ...base,
          team_id: team,
          context_team_id: team,
          authorizations: [
            {
              enterprise_id: null,
              team_id: team,
              user_id: 'UBOT',
              is_bot: true,
              is_enterprise_install: false,
            },
          ],
        };
  const res = await postEvent(bot.slack, envelope, retryNum);
  if (res.status !== 200) throw new Error(`Slack event answered ${res.status}`);
  return envelope;
}

/** A Teams activity (signed with a valid channel token) from a fixture, re-addressed. */
export async function teamsSend(
  bot: RelayBot,
  fixture: FixtureName,
  change: (a: ActivityJson) => void,
  tenantId: string,
  id?: string,
): Promise<ActivityJson> {
  const activity = teamsActivity(fixture, {
    serviceUrl: bot.teams.serviceUrl,
    appId: bot.teams.appId,
    tenantId,
    ...(id === undefined ? {} : { id }),
  });
  change(activity);
  const res = await fetch(`${bot.slack.url}/api/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      authorization: `Bearer ${await bot.teams.channelToken()}`,
    },
    body: JSON.stringify(activity),
  });
  if (res.status >= 300) throw new Error(`Teams activity answered ${res.status}: ${await res.text()}`);
  return activity;
}

/** Polls until `check` returns a value (not undefined), or fails after `ms` with `what`. */
export async function eventually<T>(check: () => T | undefined, what: string, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
