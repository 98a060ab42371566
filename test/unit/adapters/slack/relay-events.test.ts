import { describe, expect, it } from 'vitest';
import { type Rec, rec } from '../../../../adapters/slack/listeners/common.js';
import { relayTurnOf, tsToIso } from '../../../../adapters/slack/listeners/relay-events.js';
import { fixture } from '../../../support/slack-signing.js';

// Slack message events as the relay sees them, from the documented payload shapes (test/fixtures/slack):
// a thread reply, an edit (message_changed) and a deletion (message_deleted), each with its message ts.

const INSTALLED = { token: 'xoxb-x', installation: 'T0CONTOSO' };
const eventOf = (name: string, patch: Record<string, unknown> = {}): Rec => ({
  ...rec(fixture(name).event),
  ...patch,
});

describe('Slack relay events', () => {
  it('turns a channel thread reply into an unaddressed turn with its ts and thread', () => {
    const t = relayTurnOf(eventOf('message-channel-thread'), 'Ev1', INSTALLED, 'UBOT');
    expect(t?.conversation).toEqual({
      platform: 'slack',
      id: 'slack:T0CONTOSO:C0SOCALERTS',
      threadId: '1700000100.000200',
      kind: 'channel',
    });
    expect(t?.input).toEqual({
      kind: 'message',
      text: 'It was me, travelling',
      attachmentCount: 0,
      messageId: '1700000200.000300',
      sentAt: '2023-11-14T22:16:40.000Z',
      addressed: false,
    });
    expect(t?.target).toEqual({
      kind: 'channel',
      channel: 'C0SOCALERTS',
      threadTs: '1700000100.000200',
      messageTs: null,
      // Private notices (where the channel is shared with other organisations) go to the author alone.
      asker: { user: t?.user.userId, responseUrl: null },
    });
  });

  it('reads an edit as the new text of the original ts, versioned by the edit ts', () => {
    const t = relayTurnOf(eventOf('message-changed'), 'Ev2', INSTALLED, 'UBOT');
    expect(t?.input).toMatchObject({
      text: 'It was me, travelling to Lagos',
      messageId: '1700000200.000300',
      change: 'edited',
      sentAt: tsToIso('1700000260.000000'),
    });
    expect(t?.conversation.threadId).toBe('1700000100.000200');
    expect(t?.user.userId).toBe('U0ALICE');
  });

  it('reads a deletion as the deleted ts, without text', () => {
    const t = relayTurnOf(eventOf('message-deleted'), 'Ev3', INSTALLED, 'UBOT');
    expect(t?.input).toMatchObject({ text: '', messageId: '1700000200.000300', change: 'deleted' });
    expect(t?.conversation.threadId).toBe('1700000100.000200');
  });

  it('leaves out bots, unfurl-only edits, mentions (app_mention has them) and new DM messages', () => {
    expect(
      relayTurnOf(eventOf('message-channel-thread', { bot_id: 'B1' }), 'E', INSTALLED, 'UBOT'),
    ).toBeNull();
    const unfurl = eventOf('message-changed');
    const message = { ...rec(unfurl.message) };
    delete message.edited;
    expect(relayTurnOf({ ...unfurl, message }, 'E', INSTALLED, 'UBOT')).toBeNull();
    expect(
      relayTurnOf(eventOf('message-channel-thread', { text: '<@UBOT> help' }), 'E', INSTALLED, 'UBOT'),
    ).toBeNull();
    expect(
      relayTurnOf(eventOf('message-channel-thread', { channel_type: 'im' }), 'E', INSTALLED, 'UBOT'),
    ).toBeNull();
    expect(
      relayTurnOf(eventOf('message-channel-thread', { subtype: 'channel_join' }), 'E', INSTALLED, 'UBOT'),
    ).toBeNull();
  });

  it('converts Slack timestamps and refuses junk', () => {
    expect(tsToIso('1700000000.123456')).toBe('2023-11-14T22:13:20.123Z');
    expect(tsToIso('not-a-ts')).toBeUndefined();
    expect(tsToIso(null)).toBeUndefined();
  });
});
