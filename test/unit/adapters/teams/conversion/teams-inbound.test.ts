import { describe, expect, it } from 'vitest';
import { decodeConversationId } from '../../../../../adapters/teams/conversion/conversation-id.js';
import {
  attachmentCountOf,
  invokeToTurn,
  messageToTurn,
  originOf,
  stripBotMention,
} from '../../../../../adapters/teams/conversion/teams-inbound.js';
import {
  FIXTURE_BOT_ID,
  FIXTURE_SERVICE_URL,
  FIXTURE_TENANT,
  FIXTURE_USER_MRI,
  teamsFixture,
} from '../../../../support/bot-connector-activities.js';

// Captured Teams activities (test/fixtures/teams) through the pure converters.

const ok = <T extends { ok: boolean }>(c: T): Extract<T, { ok: true }> => {
  if (!c.ok) throw new Error(`expected a turn, got ${JSON.stringify(c)}`);
  return c as Extract<T, { ok: true }>;
};

describe('Teams activity → core turn', () => {
  it('reads a personal message: AAD object id, tenant, personal conversation, text as typed', () => {
    const a = teamsFixture('message-personal');
    const { turn, origin, trigger } = ok(messageToTurn(a));
    expect(turn.principal).toEqual({
      platform: 'teams',
      userId: '00000000-0000-4000-8000-00000000a11c',
      workspaceId: FIXTURE_TENANT,
      displayName: 'Alex Analyst',
    });
    expect(turn.conversation).toMatchObject({ platform: 'teams', kind: 'personal', threadId: null });
    expect(decodeConversationId(turn.conversation.id)).toEqual({
      tenantId: FIXTURE_TENANT,
      conversationId: 'a:1ScrubbedPersonalConversationWithAlex',
      serviceUrl: FIXTURE_SERVICE_URL,
    });
    // The message's own id and timestamp ride along for the relay.
    expect(turn.input).toMatchObject({ kind: 'message', text: 'incidents awaiting', attachmentCount: 0 });
    expect(turn.input).toHaveProperty('messageId');
    expect(turn.deliveryId).toBe(`a:1ScrubbedPersonalConversationWithAlex|${a.id}`);
    expect(origin.memberId).toBe(FIXTURE_USER_MRI);
    expect(trigger).toBe('manual');
  });

  it('reads a channel @mention: mention stripped, thread root kept apart from the channel id', () => {
    const { turn } = ok(messageToTurn(teamsFixture('message-channel-mention')));
    expect(turn.input).toMatchObject({ kind: 'message', text: 'incidents awaiting', attachmentCount: 0 });
    expect(turn.input).not.toHaveProperty('addressed');
    expect(turn.conversation).toMatchObject({ kind: 'channel', threadId: '1736932811231' });
    expect(decodeConversationId(turn.conversation.id)?.conversationId).toBe(
      '19:ScrubbedSocChannel0000000000000@thread.tacv2',
    );
  });

  it('gives every thread of a channel the same conversation id', () => {
    const a = teamsFixture('message-channel-mention');
    const b = teamsFixture('message-channel-mention');
    b.conversation.id = '19:ScrubbedSocChannel0000000000000@thread.tacv2;messageid=1736999999999';
    expect(ok(messageToTurn(b)).turn.conversation.id).toBe(ok(messageToTurn(a)).turn.conversation.id);
  });

  it('ignores group messages that do not @mention the bot; channel ones go to the relay only', () => {
    const a = teamsFixture('message-channel-mention');
    a.entities = [
      { type: 'mention', mentioned: { id: '29:someone-else', name: 'Sam' }, text: '<at>Sam</at>' },
    ];
    // In a channel it is kept for the relay (a reply in a relayed thread), marked as not addressed to the bot.
    expect(messageToTurn(a)).toMatchObject({ ok: true, turn: { input: { addressed: false } } });
    const g = teamsFixture('message-group-chat');
    g.entities = [];
    expect(messageToTurn(g)).toMatchObject({ ok: false });
  });

  it('counts files and images, not the HTML copy of the message', () => {
    const g = teamsFixture('message-group-chat');
    expect(attachmentCountOf(g)).toBe(1);
    expect(ok(messageToTurn(g)).turn.input).toMatchObject({
      kind: 'message',
      text: 'help',
      attachmentCount: 1,
    });
    expect(attachmentCountOf(teamsFixture('message-personal'))).toBe(0);
  });

  it('strips only the bot’s own mention and tidies entities and whitespace', () => {
    const a = teamsFixture('message-channel-mention');
    a.text = '<at>Defender Experts</at>&nbsp;incident  42 for <at>Sam</at>\n';
    a.entities?.push({ type: 'mention', mentioned: { id: '29:sam', name: 'Sam' }, text: '<at>Sam</at>' });
    expect(stripBotMention(a)).toBe('incident 42 for <at>Sam</at>');
  });

  it('turns an Action.Submit click (older clients) into the action it stands for', () => {
    const { turn } = ok(messageToTurn(teamsFixture('message-action-submit')));
    expect(turn.input).toEqual({
      kind: 'action',
      verb: 'incidents.list',
      data: { view: 'open', severity: null, offset: 0 },
    });
    const flat = teamsFixture('message-action-submit');
    flat.value = { verb: 'incident.show', id: '42', msteams: { type: 'messageBack' } };
    expect(ok(messageToTurn(flat)).turn.input).toEqual({
      kind: 'action',
      verb: 'incident.show',
      data: { id: '42' },
    });
  });

  it('turns an adaptiveCard/action invoke into an action turn, and knows a refresh from a click', () => {
    const click = ok(invokeToTurn(teamsFixture('invoke-action-execute')));
    expect(click.turn.input).toEqual({
      kind: 'action',
      verb: 'incidents.list',
      data: { view: 'open', severity: null, offset: 0 },
    });
    expect(click.trigger).toBe('manual');
    const refresh = ok(invokeToTurn(teamsFixture('invoke-refresh')));
    expect(refresh.trigger).toBe('automatic');
    expect(refresh.turn.conversation.kind).toBe('channel');
    expect(refresh.origin.memberId).toBe('29:1ScrubbedDanaResponderMri');
  });

  it('refuses invokes without an Action.Execute verb and activities without sender or service URL', () => {
    const a = teamsFixture('invoke-action-execute');
    a.value = { action: { type: 'Action.Submit', data: {} } };
    expect(invokeToTurn(a)).toMatchObject({ ok: false });
    const b = teamsFixture('message-personal');
    delete (b as Record<string, unknown>).serviceUrl;
    expect(messageToTurn(b)).toMatchObject({ ok: false });
    const c = teamsFixture('invoke-action-execute');
    c.value = { action: { type: 'Action.Execute', verb: 'incident.show', data: ['42'] } };
    expect(ok(invokeToTurn(c)).turn.input).toEqual({ kind: 'action', verb: 'incident.show', data: {} });
  });

  it('takes the tenant from channelData when the conversation lacks it, and never trusts a missing one', () => {
    const a = teamsFixture('conversation-update-team-install');
    delete (a.conversation as Record<string, unknown>).tenantId;
    expect(originOf(a)?.principal.workspaceId).toBe(FIXTURE_TENANT);
    delete (a as Record<string, unknown>).channelData;
    expect(originOf(a)?.principal.workspaceId).toBe('');
    expect(originOf(a)?.conversation.kind).toBe('channel');
    expect(FIXTURE_BOT_ID).toMatch(/^28:/);
  });
});
