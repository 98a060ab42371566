import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationRef } from '../../bot/domain/conversation.js';
import type { Reply } from '../../bot/ports.js';
import type { NewPair, RelayDraft, RelayStore } from '../../bot/relay/relay-ports.js';

// The RelayStore port's contract: every backend (SQLite now, PostgreSQL later) runs this suite. Fresh random
// ids per test, so a shared database is fine; nothing here knows the backend.

export interface RelayStoreFixture {
  readonly store: RelayStore;
  readonly cleanup: () => Promise<void>;
}

const T0 = Date.parse('2026-11-20T08:00:00.000Z');
const at = (s: number): string => new Date(T0 + s * 1000).toISOString();
const rid = (label: string): string => `${label}-${randomUUID().slice(0, 8)}`;
const conv = (id: string): ConversationRef => ({ platform: 'slack', id, threadId: null, kind: 'channel' });
const msg = (text: string): Reply => ({ text, card: null, mode: 'new' });

function newPair(overrides: Partial<NewPair> = {}): NewPair {
  return {
    id: rid('pair'),
    kind: 'question',
    customerId: rid('cust'),
    subjectId: rid('Q'),
    customer: { conversation: conv(rid('slack:T1:C')), threadId: rid('ts'), wholeConversation: false },
    provider: { conversation: conv(rid('slack:T2:C')), threadId: null, wholeConversation: false },
    providerLabel: 'Defender Experts',
    createdAt: at(0),
    ...overrides,
  };
}

const draft = (pairId: string, n: number, extra: Partial<RelayDraft> = {}): RelayDraft => ({
  pairId,
  dedupKey: `${pairId}:${n}:${randomUUID()}`,
  to: 'provider',
  op: 'post',
  sourceId: `src-${n}`,
  sourceAt: at(n),
  message: msg(`m${n}`),
  notBefore: at(0),
  ...extra,
});

/** Runs the contract against one backend. */
export function relayStoreContract(name: string, make: () => Promise<RelayStoreFixture>): void {
  describe(`RelayStore contract: ${name}`, () => {
    let fx: RelayStoreFixture;
    beforeEach(async () => {
      fx = await make();
    });
    afterEach(async () => {
      await fx.cleanup();
    });

    it('opens a pair once per (kind, customer, subject) and enqueues its roots only then', async () => {
      const p = newPair();
      const roots = (id: string) => [draft(id, 0, { op: 'root', dedupKey: `root:${id}`, sourceId: null })];
      const first = await fx.store.openPair(p, roots);
      expect(first.created).toBe(true);
      expect(first.pair).toMatchObject({
        id: p.id,
        kind: 'question',
        subjectId: p.subjectId,
        lastActivityAt: at(0),
      });
      const again = await fx.store.openPair(
        { ...newPair(), customerId: p.customerId, subjectId: p.subjectId },
        roots,
      );
      expect(again.created).toBe(false);
      expect(again.pair.id).toBe(p.id);
      const heads = (await fx.store.claimHeads(new Date(at(10)), 60_000, 1000)).filter(
        (i) => i.pairId === p.id,
      );
      expect(heads.map((i) => i.op)).toEqual(['root']);
      expect(await fx.store.findPair('question', p.customerId, p.subjectId)).toMatchObject({ id: p.id });
      expect(await fx.store.findPair('question', rid('other'), p.subjectId)).toBeNull();
    });

    it('finds a pair by either side’s thread; null (no thread) never guesses a pair', async () => {
      const p = newPair();
      await fx.store.openPair(p, () => []);
      const c = await fx.store.findByThread(p.customer.conversation.id, p.customer.threadId);
      expect(c).toMatchObject({ side: 'customer', pair: { id: p.id } });
      expect(await fx.store.findByThread(p.customer.conversation.id, 'another-thread')).toBeNull();
      expect(await fx.store.findByThread(p.customer.conversation.id, null)).toBeNull();
      expect(await fx.store.findByThread(p.provider.conversation.id, null)).toBeNull();
      await fx.store.enqueue([draft(p.id, 1, { op: 'root', sourceId: null })], at(1));
      const [root] = (await fx.store.claimHeads(new Date(at(2)), 60_000, 1000)).filter(
        (i) => i.pairId === p.id,
      );
      expect(root?.op).toBe('root');
      await fx.store.complete(root?.seq ?? -1, { thread: { side: 'provider', threadId: 'root-ts' } });
      expect(await fx.store.findByThread(p.provider.conversation.id, 'root-ts')).toMatchObject({
        side: 'provider',
        pair: { id: p.id, provider: { threadId: 'root-ts' } },
      });
    });

    it('lists every pair of a conversation without threads, on either side, newest activity first', async () => {
      const dm = rid('teams:dm');
      const whole = { conversation: conv(dm), threadId: null, wholeConversation: true };
      // Two customers' pairs whose provider side is one SDM's chat, and one pair whose customer side it is.
      const a = newPair({ kind: 'escalation', provider: whole, title: 'Escalation (high) · DC01' });
      const b = newPair({ kind: 'sdm', provider: whole, createdAt: at(5) });
      const mine = newPair({ customer: whole, createdAt: at(3) });
      const elsewhere = newPair();
      for (const p of [a, b, mine, elsewhere]) await fx.store.openPair(p, () => []);
      const listed = await fx.store.listWhole(dm, 10);
      expect(listed.map((e) => [e.pair.id, e.side])).toEqual([
        [b.id, 'provider'],
        [mine.id, 'customer'],
        [a.id, 'provider'],
      ]);
      expect(listed[2]?.pair.title).toBe('Escalation (high) · DC01');
      expect(listed[0]?.pair.title).toBe('');
      await fx.store.enqueue([draft(a.id, 9)], at(9));
      expect((await fx.store.listWhole(dm, 10)).map((e) => e.pair.id)).toEqual([a.id, b.id, mine.id]);
      expect((await fx.store.listWhole(dm, 1)).map((e) => e.pair.id)).toEqual([a.id]);
      expect(await fx.store.listWhole(rid('teams:nobody'), 10)).toEqual([]);
    });

    it('lists every pair with a side in a chat, threaded or not, newest activity first', async () => {
      const dm = rid('slack:T1:D');
      const threaded = { conversation: conv(dm), threadId: rid('ts'), wholeConversation: false };
      const older = newPair({ customer: threaded });
      const newer = newPair({ customer: { ...threaded, threadId: rid('ts') }, createdAt: at(4) });
      const providerSide = newPair({ provider: threaded, createdAt: at(2) });
      for (const p of [older, newer, providerSide, newPair()]) await fx.store.openPair(p, () => []);
      expect((await fx.store.listInChat(dm, 10)).map((e) => [e.pair.id, e.side])).toEqual([
        [newer.id, 'customer'],
        [providerSide.id, 'provider'],
        [older.id, 'customer'],
      ]);
      expect((await fx.store.listInChat(dm, 1)).map((e) => e.pair.id)).toEqual([newer.id]);
      // listWhole still sees only sides without threads.
      expect(await fx.store.listWhole(dm, 10)).toEqual([]);
    });

    it('finds the pair and side of a relayed copy by its platform id, only in its own conversation', async () => {
      const p = newPair();
      await fx.store.openPair(p, () => []);
      await fx.store.enqueue([draft(p.id, 1, { to: 'customer', sourceId: 'src-x' })], at(1));
      const [item] = (await fx.store.claimHeads(new Date(at(2)), 60_000, 1000)).filter(
        (i) => i.pairId === p.id,
      );
      const copyId = rid('copy');
      await fx.store.complete(item?.seq ?? -1, {
        copy: { pairId: p.id, to: 'customer', sourceId: 'src-x', copyId, version: at(1), deleted: false },
      });
      expect(await fx.store.findByCopy(p.customer.conversation.id, copyId)).toMatchObject({
        side: 'customer',
        pair: { id: p.id },
      });
      expect(await fx.store.findByCopy(p.provider.conversation.id, copyId)).toBeNull();
      expect(await fx.store.findByCopy(p.customer.conversation.id, rid('other'))).toBeNull();
    });

    it('tells which pair a source message was queued in, by its dedup key', async () => {
      const p = newPair();
      await fx.store.openPair(p, () => []);
      const key = `in:${rid('conv')}:${rid('msg')}`;
      expect(await fx.store.pairOfItem(key)).toBeNull();
      await fx.store.enqueue([draft(p.id, 1, { dedupKey: key })], at(1));
      expect(await fx.store.pairOfItem(key)).toBe(p.id);
    });

    it('holds a message until its sender picks a pair, replaces it on edit, and purges it with the history', async () => {
      const c = rid('teams:dm');
      const held = {
        conversationId: c,
        sourceId: rid('m'),
        author: 'teams:aad-dana',
        text: 'Which one? <!channel>',
        heldAt: at(1),
      };
      expect(await fx.store.getHeld(c, held.sourceId)).toBeNull();
      await fx.store.hold(held);
      expect(await fx.store.getHeld(c, held.sourceId)).toEqual(held);
      expect(await fx.store.getHeld(rid('teams:other'), held.sourceId)).toBeNull();
      await fx.store.hold({ ...held, text: 'edited', heldAt: at(2) });
      expect(await fx.store.getHeld(c, held.sourceId)).toEqual({ ...held, text: 'edited', heldAt: at(2) });
      await fx.store.purgeInactive(at(3));
      expect(await fx.store.getHeld(c, held.sourceId)).toBeNull();
    });

    it('de-duplicates by key and hands out each pair’s items one at a time in source order', async () => {
      const p = newPair();
      await fx.store.openPair(p, () => []);
      const late = draft(p.id, 5);
      const early = draft(p.id, 2);
      expect(await fx.store.enqueue([late], at(6))).toBe(1);
      expect(await fx.store.enqueue([late], at(6))).toBe(0);
      expect(await fx.store.enqueue([early], at(7))).toBe(1);
      const mine = async (s: number) =>
        (await fx.store.claimHeads(new Date(at(s)), 60_000, 1000)).filter((i) => i.pairId === p.id);
      const first = await mine(10);
      expect(first.map((i) => i.sourceId)).toEqual(['src-2']);
      expect(await mine(11)).toEqual([]); // leased, and the next waits behind it
      await fx.store.complete(first[0]?.seq ?? -1);
      const second = await mine(12);
      expect(second.map((i) => i.sourceId)).toEqual(['src-5']);
      await fx.store.retry(second[0]?.seq ?? -1, new Date(at(100)), 'transient', true);
      expect(await mine(50)).toEqual([]);
      const retried = await mine(100);
      expect(retried.map((i) => [i.sourceId, i.attempts])).toEqual([['src-5', 1]]);
      await fx.store.abandon(retried[0]?.seq ?? -1, 'gone');
      expect(await mine(200)).toEqual([]);
    });

    it('holds a pair until its head is due (the settle window) and frees leases on recover', async () => {
      const p = newPair();
      await fx.store.openPair(p, () => []);
      await fx.store.enqueue([draft(p.id, 1, { notBefore: at(30) }), draft(p.id, 2)], at(1));
      const mine = async (s: number) =>
        (await fx.store.claimHeads(new Date(at(s)), 60_000, 1000)).filter((i) => i.pairId === p.id);
      expect(await mine(10)).toEqual([]);
      expect((await mine(30)).map((i) => i.sourceId)).toEqual(['src-1']);
      expect(await mine(31)).toEqual([]);
      expect(await fx.store.recover()).toBeGreaterThanOrEqual(1);
      expect((await mine(32)).map((i) => i.sourceId)).toEqual(['src-1']);
      expect(await fx.store.countPending()).toBeGreaterThanOrEqual(2);
    });

    it('records copies and tombstones per side and source message', async () => {
      const p = newPair();
      await fx.store.openPair(p, () => []);
      await fx.store.enqueue([draft(p.id, 1)], at(1));
      const [item] = (await fx.store.claimHeads(new Date(at(2)), 60_000, 1000)).filter(
        (i) => i.pairId === p.id,
      );
      const copy = {
        pairId: p.id,
        to: 'provider' as const,
        sourceId: 'src-1',
        copyId: 'c-1',
        version: at(1),
        deleted: false,
      };
      await fx.store.complete(item?.seq ?? -1, { copy });
      expect(await fx.store.getCopy(p.id, 'provider', 'src-1')).toEqual(copy);
      expect(await fx.store.getCopy(p.id, 'customer', 'src-1')).toBeNull();
      await fx.store.enqueue([draft(p.id, 2, { op: 'delete', sourceId: 'src-1' })], at(3));
      const [del] = (await fx.store.claimHeads(new Date(at(4)), 60_000, 1000)).filter(
        (i) => i.pairId === p.id,
      );
      await fx.store.complete(del?.seq ?? -1, { copy: { ...copy, version: at(3), deleted: true } });
      expect(await fx.store.getCopy(p.id, 'provider', 'src-1')).toMatchObject({
        deleted: true,
        copyId: 'c-1',
      });
    });

    it('purges pairs inactive since before the cutoff, with their queue and copies', async () => {
      const old = newPair({ createdAt: '2001-01-01T00:00:00.000Z' });
      const live = newPair({ createdAt: '2001-01-01T00:00:00.000Z' });
      await fx.store.openPair(old, () => []);
      await fx.store.openPair(live, () => []);
      await fx.store.enqueue([draft(live.id, 1)], '2001-08-01T00:00:00.000Z');
      expect(await fx.store.purgeInactive('2001-06-01T00:00:00.000Z')).toBeGreaterThanOrEqual(1);
      expect(await fx.store.getPair(old.id)).toBeNull();
      expect(await fx.store.getPair(live.id)).not.toBeNull();
    });

    it('lists pairs for the history view: by customer or all, by kind and activity, newest first', async () => {
      const customer = rid('cust');
      const other = rid('cust');
      const a = newPair({ customerId: customer, kind: 'handoff', createdAt: at(10) });
      const b = newPair({ customerId: customer, kind: 'question', createdAt: at(20) });
      const c = newPair({ customerId: customer, kind: 'sdm', createdAt: at(30) });
      const d = newPair({ customerId: other, kind: 'question', createdAt: at(40) });
      for (const p of [a, b, c, d]) await fx.store.openPair(p, () => []);
      await fx.store.enqueue([draft(a.id, 1)], at(50)); // a becomes the most recent
      const mine = await fx.store.listPairs({
        customerId: customer,
        kinds: ['handoff', 'question'],
        activeSince: null,
        limit: 10,
      });
      expect(mine.map((p) => p.id)).toEqual([a.id, b.id]);
      expect(mine[0]?.lastActivityAt).toBe(at(50));
      const recent = await fx.store.listPairs({
        customerId: customer,
        kinds: ['handoff', 'question'],
        activeSince: at(25),
        limit: 10,
      });
      expect(recent.map((p) => p.id)).toEqual([a.id]);
      const all = await fx.store.listPairs({
        customerId: null,
        kinds: ['question'],
        activeSince: at(15),
        limit: 1000,
      });
      expect(all.map((p) => p.id)).toEqual(expect.arrayContaining([b.id, d.id]));
      expect(all.map((p) => p.id)).not.toContain(a.id);
      expect(
        await fx.store.listPairs({ customerId: customer, kinds: [], activeSince: null, limit: 10 }),
      ).toEqual([]);
      expect(
        await fx.store.listPairs({
          customerId: customer,
          kinds: ['handoff', 'question'],
          activeSince: null,
          limit: 1,
        }),
      ).toHaveLength(1);
    });

    it('keeps each reader’s latest read mark per pair, and purges marks with their pair', async () => {
      const p = newPair({ createdAt: '2001-01-01T00:00:00.000Z' });
      const q = newPair();
      await fx.store.openPair(p, () => []);
      await fx.store.openPair(q, () => []);
      const alice = rid('slack:U');
      const bob = rid('slack:U');
      await fx.store.markRead(alice, [p.id, q.id], at(5));
      await fx.store.markRead(alice, [p.id], at(3)); // an older mark never wins
      await fx.store.markRead(bob, [q.id], at(9));
      expect(Object.fromEntries(await fx.store.readMarks(alice, [p.id, q.id]))).toEqual({
        [p.id]: at(5),
        [q.id]: at(5),
      });
      expect(Object.fromEntries(await fx.store.readMarks(bob, [p.id, q.id]))).toEqual({ [q.id]: at(9) });
      expect((await fx.store.readMarks(alice, [])).size).toBe(0);
      await fx.store.markRead(alice, [], at(7));
      await fx.store.purgeInactive('2001-06-01T00:00:00.000Z');
      expect(Object.fromEntries(await fx.store.readMarks(alice, [p.id, q.id]))).toEqual({ [q.id]: at(5) });
    });
  });
}
