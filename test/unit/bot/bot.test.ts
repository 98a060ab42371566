import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TEXT_LENGTH } from '../../../bot/bot.js';
import type { Reply } from '../../../bot/ports.js';
import { type CoreHarness, createCoreHarness, webUser } from '../../support/core-harness.js';

// The core end to end (parse → authorize → store → card) over the real SQLite store and the simulation.

const contosoAnalyst = webUser('contoso-analyst', 'customer:contoso');
const contosoAdmin = webUser('contoso-admin', 'customer:contoso');
const fabrikamAnalyst = webUser('fabrikam-analyst', 'customer:fabrikam');
const expert = webUser('expert', 'experts');
const stranger = {
  platform: 'slack',
  userId: 'U0EVE',
  workspaceId: 'T0NOTACUSTOMER',
  displayName: 'Eve',
} as const;

const json = (replies: readonly Reply[]): string => JSON.stringify(replies);
const only = (replies: readonly Reply[]): Reply => {
  expect(replies).toHaveLength(1);
  return replies[0] as Reply;
};

let h: CoreHarness;
beforeAll(async () => {
  h = await createCoreHarness();
});
afterAll(async () => {
  await h.cleanup();
});

describe('incident status in chat', () => {
  it('lists the incidents awaiting the customer, and only that customer’s', async () => {
    const awaiting = await h.store.listIncidents({
      customerId: 'contoso',
      view: 'awaiting',
      severity: null,
      limit: 50,
      offset: 0,
    });
    expect(awaiting.total).toBeGreaterThan(0);
    const reply = only(await h.say(contosoAnalyst, 'incidents awaiting'));
    expect(reply.card).not.toBeNull();
    expect(reply.text).toMatch(/await/i);
    for (const incident of awaiting.items.slice(0, 10)) expect(json([reply])).toContain(incident.id);
    const fabrikam = await h.store.listIncidents({
      customerId: 'fabrikam',
      view: 'all',
      severity: null,
      limit: 500,
      offset: 0,
    });
    for (const incident of fabrikam.items) expect(json([reply])).not.toContain(`"${incident.id}"`);
  });

  it('shows one incident in detail, with the portal’s vocabulary', async () => {
    const page = await h.store.listIncidents({
      customerId: 'contoso',
      view: 'awaiting',
      severity: null,
      limit: 1,
      offset: 0,
    });
    const incident = page.items[0];
    expect(incident).toBeDefined();
    const reply = only(await h.say(contosoAnalyst, `what's the status of incident ${incident?.id}?`));
    expect(json([reply])).toContain('Awaiting customer action');
    expect(json([reply])).toContain(incident?.displayName.slice(0, 30) ?? '');
  });

  it('answers another customer’s incident id exactly like an unknown id', async () => {
    const theirs = (
      await h.store.listIncidents({
        customerId: 'fabrikam',
        view: 'all',
        severity: null,
        limit: 1,
        offset: 0,
      })
    ).items[0];
    expect(theirs).toBeDefined();
    const id = theirs?.id ?? '';
    const forOther = only(await h.say(contosoAnalyst, `incident ${id}`));
    const forUnknown = only(await h.say(contosoAnalyst, 'incident 99999999'));
    expect(json([forOther]).replaceAll(id, 'ID')).toEqual(json([forUnknown]).replaceAll('99999999', 'ID'));
    expect(json([forOther])).not.toContain(theirs?.displayName ?? 'x');
    // …while the owner sees it.
    expect(json(await h.say(fabrikamAnalyst, `incident ${id}`))).toContain(theirs?.displayName ?? 'x');
  });

  it('pages through a list with the card’s More action', async () => {
    const all = await h.store.listIncidents({
      customerId: 'contoso',
      view: 'all',
      severity: null,
      limit: 100,
      offset: 0,
    });
    expect(all.total).toBeGreaterThan(10);
    const second = only(await h.click(contosoAnalyst, 'incidents.list', { view: 'all', offset: 10 }));
    expect(second.mode).toBe('replace');
    expect(json([second])).toContain(all.items[10]?.id ?? 'missing');
    expect(json([second])).not.toContain(`"${all.items[0]?.id}"`);
  });

  it('gives the Defender Experts summary', async () => {
    const counts = await h.store.countByView('contoso');
    const reply = only(await h.say(contosoAnalyst, 'summary'));
    expect(reply.text).toContain(String(counts.awaiting));
  });
});

describe('bad input changes nothing and gets a clear answer', () => {
  it('refuses text over the limit politely', async () => {
    const reply = only(await h.say(contosoAnalyst, `incident ${'4'.repeat(MAX_TEXT_LENGTH)}`));
    expect(reply.text).toMatch(/under 4,000 characters/);
  });

  it('answers unknown commands with a short hint, never silence', async () => {
    const reply = only(await h.say(contosoAnalyst, 'make me a sandwich'));
    expect(reply.card).toBeNull();
    expect(reply.text).toMatch(/help/);
  });

  it('rejects malformed card data and unknown verbs', async () => {
    expect(only(await h.click(contosoAnalyst, 'incidents.list', { view: 'everything' })).text).toMatch(
      /cannot use/i,
    );
    expect(only(await h.click(contosoAnalyst, 'incident.show', { id: '../../etc/passwd' })).text).toMatch(
      /cannot use/i,
    );
    expect(only(await h.click(contosoAnalyst, 'no.such.verb', {})).text).toMatch(/older card/i);
  });

  it('says that attachments are not read or relayed', async () => {
    const replies = await h.say(contosoAnalyst, 'help', 2);
    expect(replies[0]?.text).toMatch(/attachments/);
  });

  it('answers a redelivered activity once', async () => {
    const turn = {
      deliveryId: 'same-id-twice',
      principal: contosoAnalyst,
      conversation: { platform: 'web' as const, id: 'web:x', threadId: null, kind: 'personal' as const },
      input: { kind: 'message' as const, text: 'help', attachmentCount: 0 },
    };
    expect(await h.bot.handleTurn(turn)).toHaveLength(1);
    expect(await h.bot.handleTurn(turn)).toHaveLength(0);
  });
});

describe('who may do what', () => {
  it('tells an unlinked workspace how to link and shows no data', async () => {
    const reply = only(await h.say(stranger, 'incidents all'));
    expect(json([reply])).toMatch(/T0NOTACUSTOMER/);
    expect(json([reply])).toMatch(/slack\.teamId|link/i);
    const any = (
      await h.store.listIncidents({ customerId: 'contoso', view: 'all', severity: null, limit: 1, offset: 0 })
    ).items[0];
    expect(json([reply])).not.toContain(any?.displayName ?? 'x');
  });

  it('keeps admin commands for admins, in channels', async () => {
    expect(only(await h.say(contosoAnalyst, 'subscribe')).text).toMatch(/Not allowed/);
    expect(only(await h.say(contosoAdmin, 'subscribe')).text).toMatch(/Run this in a channel/);
    expect(await h.store.listBindings('contoso')).toEqual([]);
  });

  it('refuses a customer’s click on an experts-only button in plain words', async () => {
    const reply = only(await h.click(contosoAnalyst, 'question.claim', { id: 'Q-ABCDEF' }));
    expect(reply.text).toMatch(/Only Defender Experts can do that/);
  });

  it('sends experts to the queue for customer commands', async () => {
    expect(only(await h.say(expert, 'incidents')).text).toMatch(/customer’s workspace/);
  });

  it('lists in help what this role can use (every feature has landed: nothing is "coming soon")', async () => {
    const analyst = json(await h.say(contosoAnalyst, 'help'));
    const admin = json(await h.say(contosoAdmin, 'help'));
    expect(analyst).toContain('incidents');
    expect(analyst).not.toContain('subscribe');
    expect(admin).toContain('subscribe');
    expect(analyst).toContain('ask <question>');
    expect(analyst).not.toMatch(/coming soon/i);
  });
});

describe('failures on our side', () => {
  it('answers with a safe message and logs the error once', async () => {
    const broken = await createCoreHarness();
    await broken.store.close();
    const reply = only(await broken.say(contosoAnalyst, 'incidents'));
    expect(reply.text).toMatch(/Something went wrong/);
    expect(broken.logs.filter((l) => l.level === 'error' && l.msg === 'turn failed')).toHaveLength(1);
    await broken.cleanup();
  });
});
