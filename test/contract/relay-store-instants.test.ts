import { expect } from 'vitest';
import { createRelayStore } from '../../adapters/store/relay/relay-store.js';
import type { ConversationRef } from '../../bot/domain/conversation.js';
import type { NewPair, RelayDraft, RelayStore } from '../../bot/relay/relay-ports.js';
import { onBothDatabases } from '../support/pg-feature-host.js';

// The relay store's timestamp columns take instants only: text that is none is the caller's bad_input, the
// same on both databases (PostgreSQL's timestamptz would refuse it as a database failure, SQLite's text would
// keep it and order by it as text), and nothing is written.

const NOT_AN_INSTANT = 'yesterday-ish';
const T0 = '2026-11-20T08:00:00.000Z';
const conv = (id: string): ConversationRef => ({ platform: 'slack', id, threadId: null, kind: 'channel' });

const pair = (id: string, createdAt: string): NewPair => ({
  ...{ id, kind: 'question', customerId: 'contoso', subjectId: `Q-${id}`, providerLabel: 'Defender Experts' },
  customer: { conversation: conv('slack:T1:C1'), threadId: `ts-${id}`, wholeConversation: false },
  provider: { conversation: conv('slack:T2:C2'), threadId: null, wholeConversation: false },
  createdAt,
});
const draft = (pairId: string, sourceAt: string): RelayDraft => ({
  ...{ pairId, dedupKey: `${pairId}:${sourceAt}`, to: 'provider', op: 'post', sourceId: 'src-1', sourceAt },
  ...{ message: { text: 'hello', card: null, mode: 'new' }, notBefore: T0 },
});

async function refusesText(store: RelayStore): Promise<void> {
  const badInput = { code: 'bad_input', message: expect.stringContaining(NOT_AN_INSTANT) };
  await expect(store.openPair(pair('p-bad', NOT_AN_INSTANT), () => [])).rejects.toMatchObject(badInput);
  expect(await store.getPair('p-bad')).toBeNull();

  const { pair: p } = await store.openPair(pair('p-good', T0), () => []);
  await expect(store.enqueue([draft(p.id, NOT_AN_INSTANT)], T0)).rejects.toMatchObject(badInput);
  await expect(store.enqueue([draft(p.id, T0)], NOT_AN_INSTANT)).rejects.toMatchObject(badInput);
  expect(await store.countPending()).toBe(0);
  const held = { conversationId: 'slack:T1:C1', sourceId: 'm1', author: 'slack:U1', text: 'hi' };
  await expect(store.hold({ ...held, heldAt: NOT_AN_INSTANT })).rejects.toMatchObject(badInput);
  expect(await store.getHeld('slack:T1:C1', 'm1')).toBeNull();
  await expect(store.markRead('web:dana', [p.id], NOT_AN_INSTANT)).rejects.toMatchObject(badInput);
  expect(await store.readMarks('web:dana', [p.id])).toEqual(new Map());
  const query = { customerId: null, kinds: ['question' as const], activeSince: NOT_AN_INSTANT, limit: 5 };
  await expect(store.listPairs(query)).rejects.toMatchObject(badInput);
  await expect(store.purgeInactive(NOT_AN_INSTANT)).rejects.toMatchObject(badInput);

  await store.enqueue([draft(p.id, T0)], T0);
  const [item] = await store.claimHeads(new Date(T0), 60_000, 10);
  const copy = { pairId: p.id, to: 'provider' as const, sourceId: 'src-1', copyId: 'c1', deleted: false };
  await expect(
    store.complete(item?.seq ?? -1, { copy: { ...copy, version: NOT_AN_INSTANT } }),
  ).rejects.toMatchObject(badInput);
  expect(await store.getCopy(p.id, 'provider', 'src-1')).toBeNull();
  expect(await store.countPending()).toBe(1);
  expect(await store.getPair(p.id)).toEqual(p);
}

onBothDatabases('relay store: instants only', 'relay_instants', createRelayStore, refusesText);
