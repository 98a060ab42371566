import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../../../bot/domain/actor.js';
import type { Reply } from '../../../../bot/ports.js';
import { type CoreHarness, createCoreHarness, webUser } from '../../../support/core-harness.js';

// `subscribe` / `unsubscribe` through the core, in a channel conversation.

const admin = webUser('contoso-admin', 'customer:contoso');
const analyst = webUser('contoso-analyst', 'customer:contoso');
const fabrikamAdmin = webUser('fabrikam-admin', 'customer:fabrikam');
const channel = {
  platform: 'web' as const,
  id: 'web:alerts:contoso',
  threadId: null,
  kind: 'channel' as const,
};

let h: CoreHarness;
let n = 0;
const inChannel = (principal: Principal, text: string, conversation = channel): Promise<readonly Reply[]> => {
  n += 1;
  return h.bot.handleTurn({
    deliveryId: `sub-${n}`,
    principal,
    conversation,
    input: { kind: 'message', text, attachmentCount: 0 },
  });
};

beforeAll(async () => {
  h = await createCoreHarness();
});
afterAll(async () => {
  await h.cleanup();
});

describe('subscribe', () => {
  it('binds this channel with the default events, then re-configures the same binding', async () => {
    const first = await inChannel(admin, 'subscribe');
    expect(first[0]?.text).toMatch(
      /will now be posted in this channel for: handoffs to your team; true positives resolved/,
    );
    const [binding] = await h.store.listBindings('contoso');
    expect(binding).toMatchObject({
      customerId: 'contoso',
      conversation: channel,
      events: ['handedOff', 'resolvedTruePositive'],
      onCall: null,
      createdBy: 'web:contoso-admin',
      paused: false,
    });
    const again = await inChannel(admin, 'subscribe all oncall U0ONCALL');
    expect(again[0]?.text).toMatch(/new comments/);
    const after = await h.store.listBindings('contoso');
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: binding?.id, onCall: 'U0ONCALL', createdAt: binding?.createdAt });
    expect(after[0]?.events).toHaveLength(8);
  });

  it('is refused to non-admins and changes nothing', async () => {
    const before = await h.store.listBindings('contoso');
    expect((await inChannel(analyst, 'unsubscribe'))[0]?.text).toMatch(/Not allowed/);
    expect(await h.store.listBindings('contoso')).toEqual(before);
  });

  it('keeps each customer’s bindings apart', async () => {
    const theirs = { ...channel, id: 'web:alerts:fabrikam' };
    await inChannel(fabrikamAdmin, 'subscribe', theirs);
    expect((await h.store.listBindings('fabrikam')).map((b) => b.conversation.id)).toEqual([
      'web:alerts:fabrikam',
    ]);
    expect((await h.store.listBindings('contoso')).map((b) => b.conversation.id)).toEqual([
      'web:alerts:contoso',
    ]);
  });

  it('unsubscribes, and says so when there was nothing to remove', async () => {
    expect((await inChannel(admin, 'unsubscribe'))[0]?.text).toMatch(/no longer receives incident alerts/);
    expect(await h.store.listBindings('contoso')).toEqual([]);
    expect((await inChannel(admin, 'unsubscribe'))[0]?.text).toMatch(/was not subscribed/);
  });
});
