import { describe, expect, it } from 'vitest';
import { regenerationFor } from '../../../../../adapters/teams/conversion/refresh.js';

// A card's refresh replays its request as the viewer: only read-only requests are ever replayed.

const say = (text: string) => regenerationFor({ kind: 'message', text, attachmentCount: 0 });
const click = (verb: string, data: Record<string, unknown>) =>
  regenerationFor({ kind: 'action', verb, data });

describe('refresh regeneration', () => {
  it('maps read-only commands to the verb their buttons use', () => {
    expect(say('help')).toEqual({ verb: 'help', data: {} });
    expect(say('incidents awaiting high')).toEqual({
      verb: 'incidents.list',
      data: { view: 'awaiting', severity: 'high', offset: 0 },
    });
    expect(say("what's the status of incident 42")).toEqual({ verb: 'incident.show', data: { id: '42' } });
    expect(click('incident.comments', { id: '42', extra: 'dropped' })).toEqual({
      verb: 'incident.comments',
      data: { id: '42' },
    });
  });

  it('never replays anything that may change something, or that it cannot parse', () => {
    for (const text of [
      'ask is this phishing?',
      'escalate now',
      'subscribe',
      'sdm call me',
      'summary',
      'gibberish',
    ]) {
      expect(say(text), text).toBeNull();
    }
    expect(click('incident.show', { id: '../etc' })).toBeNull();
    expect(click('action.isolate', { id: '42' })).toBeNull();
  });
});
