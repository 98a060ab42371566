import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AudienceFacts } from '../../bot/audience.js';
import {
  type AlertsHarness,
  createAlertsHarness,
  slackChannel,
  webChannel,
} from '../support/alerts-harness.js';

// A channel bound to Contoso's alerts that is later shared with Fabrikam (a Slack Connect invitation
// accepted after `subscribe`) receives nothing more of Contoso: the dispatcher asks the chat platform who
// reads the channel before each alert, pauses the binding and tells Contoso's other channels why.

let h: AlertsHarness;
let facts: AudienceFacts;
beforeEach(async () => {
  h = await createAlertsHarness();
  facts = { kind: 'organisations', organisations: [] };
  // Only the Slack channel can be shared; the console channel always holds Contoso alone.
  h.chat.audience = async (c) =>
    c.platform === 'slack' ? facts : { kind: 'organisations', organisations: [] };
});
afterEach(async () => {
  await h.cleanup();
});

const SOC = 'slack:T0CONTOSO:C0SOCALERTS';

describe('alerts in a channel that became shared', () => {
  it('stops posting Contoso’s alerts once the channel also holds Fabrikam, and says so elsewhere', async () => {
    await h.bind('b-soc', slackChannel(SOC));
    await h.bind('b-web', webChannel('web:contoso-soc'));
    await h.handOffNew();
    await h.settle();
    expect(h.chat.postsIn(SOC)).toHaveLength(1);

    facts = { kind: 'organisations', organisations: ['T0CONTOSO', 'T0FABRIKAM'] };
    const before = h.chat.deliveries.filter((d) => d.conversationId === SOC).length;
    const second = await h.handOffNew();
    await h.settle();
    const after = h.chat.deliveries.filter((d) => d.conversationId === SOC);
    expect(after).toHaveLength(before);
    expect(after.map((d) => d.text).join('\n')).not.toContain(second.displayName);
    expect((await h.store.getBinding('b-soc'))?.paused).toBe(true);
    expect(
      h.chat.deliveries.some(
        (d) => d.conversationId === 'web:contoso-soc' && /other organisations/.test(d.text),
      ),
    ).toBe(true);
  });

  it('keeps posting where only Contoso and the provider read, and holds alerts while it cannot tell', async () => {
    facts = { kind: 'organisations', organisations: ['T0CONTOSO', 'T0EXPERTS'] };
    await h.bind('b-soc', slackChannel(SOC));
    await h.handOffNew();
    await h.settle();
    expect(h.chat.postsIn(SOC)).toHaveLength(1);

    facts = { kind: 'unknown', reason: 'conversations.info failed' };
    const count = h.chat.deliveries.length;
    await h.handOffNew();
    await h.settle();
    expect(h.chat.deliveries).toHaveLength(count);
    expect((await h.store.getBinding('b-soc'))?.paused).toBe(false);
  });
});
