import { describe, expect, it } from 'vitest';
import { changeToTurn } from '../../../../../adapters/teams/conversion/relay-activities.js';
import { messageToTurn } from '../../../../../adapters/teams/conversion/teams-inbound.js';
import { teamsFixture } from '../../../../support/bot-connector-activities.js';

// Teams activities as the relay sees them (test/fixtures/teams): a channel reply without a mention, an edit
// (messageUpdate / editMessage) and a deletion (messageDelete / softDeleteMessage).

describe('Teams relay activities', () => {
  it('keeps an un-mentioned channel reply as an unaddressed turn in its thread', () => {
    const c = messageToTurn(teamsFixture('message-channel-reply'));
    if (!c.ok) throw new Error(c.reason);
    expect(c.turn.conversation.threadId).toBe('1736932811231');
    expect(c.turn.input).toMatchObject({
      kind: 'message',
      text: 'Confirmed: expected travel',
      messageId: '1736933111231',
      sentAt: '2026-01-15T09:25:11.231Z',
      addressed: false,
    });
  });

  it('still drops an un-mentioned group chat message', () => {
    expect(messageToTurn(teamsFixture('message-group-chat')).ok).toBe(true);
    const fixture = teamsFixture('message-group-chat');
    fixture.entities = [];
    expect(messageToTurn(fixture).ok).toBe(false);
  });

  it('reads an edit and a deletion with their own delivery ids', () => {
    const edit = changeToTurn(teamsFixture('message-update'));
    const del = changeToTurn(teamsFixture('message-delete'));
    if (!edit.ok || !del.ok) throw new Error('not converted');
    expect(edit.turn.input).toMatchObject({
      text: 'Confirmed: expected travel (edited)',
      change: 'edited',
      messageId: '1736933111231',
    });
    expect(del.turn.input).toMatchObject({ text: '', change: 'deleted', messageId: '1736933111231' });
    expect(new Set([edit.turn.deliveryId, del.turn.deliveryId]).size).toBe(2);
    expect(edit.turn.conversation.threadId).toBe('1736932811231');
  });

  it('ignores other kinds of change', () => {
    const undelete = teamsFixture('message-update');
    undelete.channelData = { ...(undelete.channelData as object), eventType: 'undeleteMessage' };
    expect(changeToTurn(undelete).ok).toBe(false);
  });
});
