import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeConversationId } from '../../adapters/teams/conversion/conversation-id.js';
import type { ConversationRef } from '../../bot/domain/conversation.js';
import { FIXTURE_TENANT } from '../support/bot-connector-activities.js';
import { FIXTURE_MEMBERS, type TeamsMember } from '../support/bot-connector-members.js';
import { type ProactiveRunner, startProactiveRunner } from '../support/bot-connector-proactive.js';
import { type BotConnectorStandIn, startBotConnectorStandIn } from '../support/bot-connector-standin.js';

// Posts the bot makes on its own (alerts, relayed replies, reports) into a Teams conversation bound earlier
// ask the Teams ChatPort who reads it now, as Slack's port does: a group chat or shared channel that took in
// someone of another tenant after `subscribe` must say so, so the dispatcher pauses the binding. A channel
// whose activities showed it standard is not asked for its members (large teams would make every alert a
// paged member read); one of unknown shape is.

const FABRIKAM = '22222222-2222-4222-8222-222222222222';
const FABI: TeamsMember = {
  id: '29:1FabrikamAnalystMri',
  name: 'Fabi Analyst',
  aadObjectId: '00000000-0000-4000-8000-0000000fab01',
  tenantId: FABRIKAM,
  userRole: 'user',
};

let s: BotConnectorStandIn;
let runner: ProactiveRunner;
beforeAll(async () => {
  s = await startBotConnectorStandIn();
  runner = await startProactiveRunner(s.env('127.0.0.1'));
});
afterAll(async () => {
  await runner?.close();
  await s?.close();
});

const ref = (base: string, kind: ConversationRef['kind']): ConversationRef => ({
  platform: 'teams',
  id: encodeConversationId({ tenantId: FIXTURE_TENANT, conversationId: base, serviceUrl: s.serviceUrl }),
  threadId: null,
  kind,
});

describe('who reads a bound Teams conversation, asked before a post the bot makes on its own', () => {
  it('names the other tenant of a group chat that took in an external member', async () => {
    const base = '19:ChatLaterWithFabrikam000000000@thread.v2';
    s.members.rosters.set(base, [...FIXTURE_MEMBERS, FABI]);
    const facts = await runner.audience(ref(base, 'group'));
    expect(facts).toEqual({ kind: 'organisations', organisations: [FIXTURE_TENANT, FABRIKAM] });
    expect(s.members.reads).toContain(base);
  });

  it('reads the members of a channel whose shape it has not seen, and of a shared one', async () => {
    const unknown = '19:ChannelNeverSeen00000000000000@thread.tacv2';
    s.members.rosters.set(unknown, [...FIXTURE_MEMBERS, FABI]);
    expect(await runner.audience(ref(unknown, 'channel'))).toEqual({
      kind: 'organisations',
      organisations: [FIXTURE_TENANT, FABRIKAM],
    });

    const shared = '19:SharedLaterWithFabrikam0000000@thread.tacv2';
    s.members.rosters.set(shared, [...FIXTURE_MEMBERS, FABI]);
    await runner.rememberShape(ref(shared, 'channel'), 'shared', FIXTURE_TENANT);
    const facts = await runner.audience(ref(shared, 'channel'));
    expect(facts.kind === 'organisations' && facts.organisations).toContain(FABRIKAM);
  });

  it('trusts a channel seen as standard in its own tenant without a member read', async () => {
    const base = '19:StandardSocChannel000000000000@thread.tacv2';
    await runner.rememberShape(ref(base, 'channel'), 'standard', FIXTURE_TENANT);
    expect(await runner.audience(ref(base, 'channel'))).toEqual({
      kind: 'organisations',
      organisations: [FIXTURE_TENANT],
    });
    expect(s.members.reads).not.toContain(base);
  });

  it('cannot tell when the member list fails, so nothing is posted rather than guessed', async () => {
    const base = '19:ChatWithBrokenRoster00000000000@thread.v2';
    s.members.rosters.set(base, [...FIXTURE_MEMBERS, { ...FABI, tenantId: '' }]);
    expect((await runner.audience(ref(base, 'group'))).kind).toBe('unknown');
  });

  it('a personal chat is the person alone', async () => {
    expect(await runner.audience(ref('a:1ScrubbedPersonalConversationWithAlex', 'personal'))).toEqual({
      kind: 'private',
    });
  });
});
