import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeConversationId,
  encodeConversationId,
  kindOf,
  splitThread,
  threadConversationId,
} from '../../../../../adapters/teams/conversion/conversation-id.js';

// The Teams conversation id scheme: opaque to the core, but it must round-trip everything a proactive post
// needs, whatever characters Teams puts in its ids.

describe('Teams conversation ids', () => {
  it('round-trips tenant, conversation and service URL, whatever they contain', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), fc.webUrl(), (tenantId, raw, serviceUrl) => {
        const conversationId = raw.includes(';messageid=') ? raw.replace(/;messageid=/g, ';') : raw;
        fc.pre(conversationId !== '');
        const id = encodeConversationId({ tenantId, conversationId, serviceUrl });
        expect(id.startsWith('teams:')).toBe(true);
        expect(id.split(':')).toHaveLength(4);
        expect(decodeConversationId(id)).toEqual({ tenantId, conversationId, serviceUrl });
      }),
    );
  });

  it('reads real Teams ids', () => {
    const id = encodeConversationId({
      tenantId: '11111111-1111-4111-8111-111111111111',
      conversationId: '19:abc@thread.tacv2',
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
    });
    expect(id).toBe(
      'teams:11111111-1111-4111-8111-111111111111:19%3Aabc%40thread.tacv2:https%3A%2F%2Fsmba.trafficmanager.net%2Femea%2F',
    );
  });

  it('refuses ids it did not build', () => {
    for (const id of [
      'slack:T1:C1',
      'teams:',
      'teams:a:b',
      'teams:a:b:c:d',
      'teams:t::https%3A%2F%2Fx',
      'teams:t:%E0%A4%A:u',
    ]) {
      expect(decodeConversationId(id), id).toBeNull();
    }
  });

  it('splits and joins channel threads', () => {
    expect(splitThread('19:c@thread.tacv2;messageid=1736')).toEqual({
      base: '19:c@thread.tacv2',
      messageId: '1736',
    });
    expect(splitThread('a:1xyz')).toEqual({ base: 'a:1xyz', messageId: null });
    expect(threadConversationId('19:c@thread.tacv2', '42')).toBe('19:c@thread.tacv2;messageid=42');
  });

  it('maps Teams conversation types to the core’s kinds', () => {
    expect(kindOf('channel', true)).toBe('channel');
    expect(kindOf('groupChat', true)).toBe('group');
    expect(kindOf('personal', false)).toBe('personal');
    expect(kindOf(undefined, true)).toBe('group');
    expect(kindOf(undefined, undefined)).toBe('personal');
  });
});
