import { describe, expect, it } from 'vitest';
import { mentionActivity } from '../../../../adapters/teams/conversion/teams-outbound.js';

describe('mentionActivity', () => {
  it('makes the one intended mention live, with its entity, and escapes the rest', () => {
    const a = mentionActivity('@Dana Reyes This handoff has waited 24 h <b>now</b>.', {
      id: '29:1abc',
      name: 'Dana Reyes',
    });
    expect(a.text).toBe('<at>Dana Reyes</at> This handoff has waited 24 h &lt;b&gt;now&lt;/b&gt;.');
    expect(a.textFormat).toBe('xml');
    expect(a.entities).toEqual([
      { type: 'mention', text: '<at>Dana Reyes</at>', mentioned: { id: '29:1abc', name: 'Dana Reyes' } },
    ]);
  });
});
