import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelBinding } from '../../bot/domain/conversation.js';
import type { IncidentChange, OutboxDraft, OutboxItem, OutboxPlanner, Store } from '../../bot/ports.js';
import { makeIncident } from '../support/make-incident.js';
import { testClock } from '../support/test-clock.js';
import type { StoreFixture, StoreMaker } from './store-contract.js';

// The Store contract's second half: the alert outbox, incident posts, binding lookups and platform
// installations. Backend-agnostic like store-contract.ts; ids are random so a shared database is fine.

const uid = (label: string): string => `${label}-${randomUUID().slice(0, 8)}`;
const T0 = new Date('2026-11-27T09:00:00.000Z');
const later = (ms: number): Date => new Date(T0.getTime() + ms);

function draft(
  bindingId: string,
  customerId: string,
  incidentId: string,
  kind: string,
  version: string,
): OutboxDraft {
  return { bindingId, customerId, incidentId, kind, version, payload: { kind, note: 'é <b>' } };
}

const binding = (customerId: string, id: string): ChannelBinding => ({
  id,
  customerId,
  conversation: { platform: 'web', id: `web:alerts:${id}`, threadId: null, kind: 'channel' },
  events: ['handedOff'],
  onCall: null,
  createdBy: 'web:admin',
  createdAt: T0.toISOString(),
  paused: false,
});

/** Runs the outbox/installation contract against one backend. */
export function storeOutboxContract(name: string, makeStore: StoreMaker): void {
  describe(`Store contract (outbox, posts, installations): ${name}`, () => {
    let fixture: StoreFixture;
    let store: Store;
    beforeEach(async () => {
      // The store stamps rows with this clock; the test claims at instants on the same clock.
      fixture = await makeStore(testClock(T0));
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    /** Claims everything due and keeps only this test's rows (other tests' rows may share the database). */
    const claimMine = async (prefix: string, now: Date, leaseMs = 60_000): Promise<OutboxItem[]> =>
      (await store.claimOutbox(1000, leaseMs, now)).filter((i) => i.bindingId.startsWith(prefix));

    it('writes planned rows in the same transaction as the incidents, and tells the planner about the first sync', async () => {
      const c = uid('cust');
      const b = uid('b');
      const seen: Array<{ changes: number; firstSync: boolean }> = [];
      const plan: OutboxPlanner = (changes, firstSync) => {
        seen.push({ changes: changes.length, firstSync });
        return changes.map((ch) => draft(b, c, ch.current.id, 'handedOff', ch.current.lastUpdateDateTime));
      };
      const v1 = makeIncident(c, { id: '1', lastUpdateDateTime: '2026-11-27T08:00:00.000Z' });
      await store.saveIncidentChanges(c, [v1], 'c1', plan);
      await store.saveIncidentChanges(c, [v1], 'c2', plan); // identical: no change, planner not called
      const v2 = makeIncident(c, {
        id: '1',
        status: 'awaitingAction',
        lastUpdateDateTime: '2026-11-27T08:05:00.000Z',
      });
      await store.saveIncidentChanges(c, [v2], 'c3', plan);
      expect(seen).toEqual([
        { changes: 1, firstSync: true },
        { changes: 1, firstSync: false },
      ]);
      const items = await claimMine(b, later(0));
      expect(items.map((i) => [i.incidentId, i.kind, i.version])).toEqual([
        ['1', 'handedOff', '2026-11-27T08:00:00.000Z'],
      ]);
      expect(items[0]?.payload).toEqual({ kind: 'handedOff', note: 'é <b>' });
      expect(await store.countPendingOutbox()).toBeGreaterThanOrEqual(2);
    });

    it('rolls back incidents, cursor and rows together when planning fails', async () => {
      const c = uid('cust');
      const boom: OutboxPlanner = () => {
        throw new Error('planner failed');
      };
      await expect(
        store.saveIncidentChanges(c, [makeIncident(c, { id: '7' })], 'cursor-x', boom),
      ).rejects.toThrow();
      expect(await store.getIncident(c, '7')).toBeNull();
      expect(await store.getCursor(c)).toBeNull();
      const foreign: OutboxPlanner = (changes: readonly IncidentChange[]) =>
        changes.map((ch) => draft(uid('b'), 'someone-else', ch.current.id, 'k', 'v'));
      await expect(
        store.saveIncidentChanges(c, [makeIncident(c, { id: '8' })], 'cursor-y', foreign),
      ).rejects.toThrow();
      expect(await store.getIncident(c, '8')).toBeNull();
    });

    it('ignores a draft it already has (the de-duplication key)', async () => {
      const c = uid('cust');
      const b = uid('b');
      expect(
        await store.enqueueOutbox([draft(b, c, '1', 'reminder', '4h'), draft(b, c, '1', 'reminder', '4h')]),
      ).toBe(1);
      expect(
        await store.enqueueOutbox([draft(b, c, '1', 'reminder', '4h'), draft(b, c, '1', 'reminder', '24h')]),
      ).toBe(1);
      expect(await claimMine(b, later(0))).toHaveLength(1);
    });

    it('hands out one incident’s rows in order, one at a time, and other incidents in parallel', async () => {
      const c = uid('cust');
      const b = uid('b');
      await store.enqueueOutbox([
        draft(b, c, 'A', 'handedOff', 'v1'),
        draft(b, c, 'B', 'handedOff', 'v1'),
        draft(b, c, 'A', 'commentAdded', 'v2'),
        draft(b, c, 'A', 'resolved', 'v3'),
      ]);
      const first = await claimMine(b, later(0));
      expect(first.map((i) => `${i.incidentId}:${i.kind}`)).toEqual(['A:handedOff', 'B:handedOff']);
      expect(await claimMine(b, later(1))).toEqual([]); // leased, and A's next row waits behind its head
      const a1 = first[0] as OutboxItem;
      await store.completeOutbox(a1.id);
      expect((await claimMine(b, later(2))).map((i) => `${i.incidentId}:${i.kind}`)).toEqual([
        'A:commentAdded',
      ]);
    });

    it('lets an expired lease be claimed again (a crashed dispatcher), and retries after notBefore', async () => {
      const c = uid('cust');
      const b = uid('b');
      await store.enqueueOutbox([draft(b, c, '1', 'handedOff', 'v1')]);
      const [item] = await claimMine(b, later(0), 1_000);
      expect(item).toBeDefined();
      expect(await claimMine(b, later(999))).toEqual([]);
      const again = await claimMine(b, later(1_000));
      expect(again.map((i) => i.id)).toEqual([item?.id]);
      await store.retryOutbox(item?.id ?? -1, later(60_000), '429 Too Many Requests');
      expect(await claimMine(b, later(59_999))).toEqual([]);
      const retried = await claimMine(b, later(60_000));
      expect(retried[0]?.attempts).toBe(1);
    });

    it('frees orphaned leases on recovery so interrupted deliveries resume at once', async () => {
      const c = uid('cust');
      const b = uid('b');
      await store.enqueueOutbox([draft(b, c, '1', 'handedOff', 'v1'), draft(b, c, '1', 'resolved', 'v2')]);
      expect(await claimMine(b, later(0))).toHaveLength(1);
      expect(await claimMine(b, later(1))).toEqual([]);
      expect(await store.recoverOutbox()).toBeGreaterThanOrEqual(1);
      expect((await claimMine(b, later(2))).map((i) => i.kind)).toEqual(['handedOff']);
    });

    it('abandons a row for good and lets its incident’s later rows proceed', async () => {
      const c = uid('cust');
      const b = uid('b');
      await store.enqueueOutbox([draft(b, c, '1', 'handedOff', 'v1'), draft(b, c, '1', 'resolved', 'v2')]);
      const [head] = await claimMine(b, later(0));
      await store.abandonOutbox(head?.id ?? -1, 'channel_not_found');
      const next = await claimMine(b, later(1));
      expect(next.map((i) => i.kind)).toEqual(['resolved']);
      await store.completeOutbox(next[0]?.id ?? -1);
      expect(await claimMine(b, later(120_000))).toEqual([]);
    });

    it('holds scheduled rows until due without blocking their incident, and counts only real attempts', async () => {
      const c = uid('cust');
      const b = uid('b');
      await store.enqueueOutbox([
        { ...draft(b, c, '1', 'reminder', '4h'), notBefore: later(4 * 3_600_000) },
        draft(b, c, '1', 'resolved', 'v2'),
      ]);
      const now = await claimMine(b, later(0));
      expect(now.map((i) => i.kind)).toEqual(['resolved']);
      await store.retryOutbox(now[0]?.id ?? -1, later(1_000), 'paced', false);
      const again = await claimMine(b, later(1_000));
      expect(again.map((i) => [i.kind, i.attempts])).toEqual([['resolved', 0]]);
      await store.completeOutbox(again[0]?.id ?? -1);
      expect(await claimMine(b, later(4 * 3_600_000 - 1))).toEqual([]);
      expect((await claimMine(b, later(4 * 3_600_000))).map((i) => i.kind)).toEqual(['reminder']);
    });

    it('completes a row together with the post it made and the rows it schedules', async () => {
      const c = uid('cust');
      const b = uid('b');
      await store.enqueueOutbox([draft(b, c, '1', 'handedOff', 'v1')]);
      const [item] = await claimMine(b, later(0));
      const post = {
        bindingId: b,
        customerId: c,
        incidentId: '1',
        messageId: 'ts-1',
        postedAt: T0.toISOString(),
      };
      await store.completeOutbox(item?.id ?? -1, {
        post,
        enqueue: [{ ...draft(b, c, '1', 'reminder', 'v1:0'), notBefore: later(10_000) }],
      });
      expect(await store.getIncidentPost(b, '1')).toEqual(post);
      expect(await claimMine(b, later(9_999))).toEqual([]);
      expect((await claimMine(b, later(10_000))).map((i) => i.kind)).toEqual(['reminder']);
    });

    it('keeps one post per (binding, incident), replaced on save', async () => {
      const c = uid('cust');
      const b = uid('b');
      expect(await store.getIncidentPost(b, '1')).toBeNull();
      await store.saveIncidentPost({
        bindingId: b,
        customerId: c,
        incidentId: '1',
        messageId: 'm-1',
        postedAt: T0.toISOString(),
      });
      await store.saveIncidentPost({
        bindingId: b,
        customerId: c,
        incidentId: '1',
        messageId: 'm-2',
        postedAt: T0.toISOString(),
      });
      expect(await store.getIncidentPost(b, '1')).toEqual({
        bindingId: b,
        customerId: c,
        incidentId: '1',
        messageId: 'm-2',
        postedAt: T0.toISOString(),
      });
      expect(await store.getIncidentPost(uid('b'), '1')).toBeNull();
    });

    it('finds a binding by id and pauses it', async () => {
      const c = uid('cust');
      const id = uid('b');
      await store.saveBinding(binding(c, id));
      expect(await store.getBinding(id)).toEqual(binding(c, id));
      expect(await store.setBindingPaused(id, true)).toBe(true);
      expect((await store.getBinding(id))?.paused).toBe(true);
      expect((await store.listBindings(c))[0]?.paused).toBe(true);
      expect(await store.setBindingPaused(uid('none'), true)).toBe(false);
      expect(await store.getBinding(uid('none'))).toBeNull();
    });

    it('stores platform installations by key', async () => {
      const key = uid('T0');
      const installation = { team: { id: key }, bot: { token: 'xoxb-not-real', scopes: ['chat:write'] } };
      expect(await store.getInstallation('slack', key)).toBeNull();
      await store.saveInstallation('slack', key, installation);
      expect(await store.getInstallation('slack', key)).toEqual(installation);
      await store.saveInstallation('slack', key, { ...installation, bot: { token: 'xoxb-rotated' } });
      expect(await store.getInstallation('slack', key)).toEqual({
        ...installation,
        bot: { token: 'xoxb-rotated' },
      });
      expect(await store.deleteInstallation('slack', key)).toBe(true);
      expect(await store.deleteInstallation('slack', key)).toBe(false);
      expect(await store.getInstallation('slack', key)).toBeNull();
    });
  });
}
