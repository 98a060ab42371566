import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Question } from '../../bot/domain/question.js';
import type { QuestionsStore } from '../../bot/questions/questions-ports.js';

// The QuestionsStore port's contract, backend-neutral (fresh random ids per test; a shared database is fine).

export interface QuestionsStoreFixture {
  readonly store: QuestionsStore;
  readonly cleanup: () => Promise<void>;
}

const rid = (label: string): string => `${label}-${randomUUID().slice(0, 8)}`;
let n = 0;
const qid = (): string => {
  n += 1;
  return `Q-${randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase()}${n}`.slice(0, 12);
};

function question(customerId: string, overrides: Partial<Question> = {}): Question {
  return {
    id: qid(),
    customerId,
    askerId: 'slack:U0ALICE',
    askerName: 'Alice',
    topic: 'other',
    text: 'Is this sign-in expected? <!channel> [x](https://evil.example)',
    context: null,
    incidentId: null,
    state: 'open',
    claimedBy: null,
    claimedByName: null,
    createdAt: '2026-11-20T08:00:00.000Z',
    firstResponseAt: null,
    resolvedAt: null,
    resolvedBy: null,
    reopenCount: 0,
    lastActivityAt: '2026-11-20T08:00:00.000Z',
    ...overrides,
  };
}

/** Runs the contract against one backend. */
export function questionsStoreContract(name: string, make: () => Promise<QuestionsStoreFixture>): void {
  describe(`QuestionsStore contract: ${name}`, () => {
    let fx: QuestionsStoreFixture;
    beforeEach(async () => {
      fx = await make();
    });
    afterEach(async () => {
      await fx.cleanup();
    });

    it('stores a question as given and reads it back only for its customer', async () => {
      const c = rid('cust');
      const q = question(c, { context: 'device WS-42', incidentId: '42', topic: 'deviceCompromise' });
      expect(await fx.store.create(q, null)).toEqual({ ok: true, question: q });
      expect(await fx.store.get(c, q.id)).toEqual(q);
      expect(await fx.store.get(rid('other'), q.id)).toBeNull();
      expect(await fx.store.getForProvider(q.id)).toEqual(q);
      await expect(fx.store.create(q, null)).rejects.toThrow();
    });

    it('returns the request already created under the same resend key within the window, even at the limit', async () => {
      const c = rid('cust');
      const key = rid('web:alice:fingerprint');
      const since = '2026-11-20T07:55:00.000Z';
      const alloc = { limit: 1, from: '2026-10-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' };
      const first = question(c);
      expect(await fx.store.create(first, alloc, { key, since })).toEqual({ ok: true, question: first });
      // The same request again (a double click, a retried turn): the first one, nothing added, no allocation.
      const again = await fx.store.create(question(c), alloc, { key, since });
      expect(again).toEqual({ ok: true, question: first, existing: true });
      // Another customer's identical key never finds it.
      const other = question(rid('other'));
      expect(await fx.store.create(other, null, { key, since })).toEqual({ ok: true, question: other });
      // Outside the window it is a new request (here refused: the allocation is used).
      const later = question(c, { createdAt: '2026-11-20T09:00:00.000Z' });
      expect(await fx.store.create(later, alloc, { key, since: '2026-11-20T08:55:00.000Z' })).toEqual({
        ok: false,
        used: 1,
        limit: 1,
      });
      expect(await fx.store.countCreated(c, alloc.from, alloc.to)).toBe(1);
    });

    it('enforces the allocation within its period', async () => {
      const c = rid('cust');
      const alloc = { limit: 2, from: '2026-10-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' };
      await fx.store.create(question(c, { createdAt: '2026-09-30T23:59:59.000Z' }), alloc);
      expect((await fx.store.create(question(c), alloc)).ok).toBe(true);
      expect((await fx.store.create(question(c), alloc)).ok).toBe(true);
      expect(await fx.store.create(question(c), alloc)).toEqual({ ok: false, used: 2, limit: 2 });
      expect((await fx.store.create(question(rid('other')), alloc)).ok).toBe(true);
      expect(await fx.store.countCreated(c, alloc.from, alloc.to)).toBe(2);
    });

    it('applies a transition only from the allowed states', async () => {
      const c = rid('cust');
      const q = question(c);
      await fx.store.create(q, null);
      const claimed = await fx.store.transition(c, q.id, {
        from: ['open'],
        patch: {
          state: 'claimed',
          claimedBy: 'web:expert',
          claimedByName: 'Eve',
          lastActivityAt: '2026-11-20T09:00:00.000Z',
        },
      });
      expect(claimed).toMatchObject({ state: 'claimed', claimedBy: 'web:expert', claimedByName: 'Eve' });
      expect(await fx.store.transition(c, q.id, { from: ['open'], patch: { state: 'claimed' } })).toBeNull();
      expect(
        await fx.store.transition(rid('other'), q.id, { from: ['claimed'], patch: { state: 'resolved' } }),
      ).toBeNull();
      const resolved = await fx.store.transition(c, q.id, {
        from: ['claimed'],
        patch: { state: 'resolved', resolvedAt: '2026-11-20T10:00:00.000Z', resolvedBy: 'expert' },
      });
      expect(resolved).toMatchObject({ state: 'resolved', resolvedBy: 'expert', text: q.text });
    });

    it('lists the asker’s questions newest first and the queue oldest first, across customers', async () => {
      const c = rid('cust');
      const d = rid('cust');
      const a1 = question(c, { createdAt: '2026-11-20T08:00:00.000Z' });
      const a2 = question(c, { createdAt: '2026-11-20T09:00:00.000Z' });
      const other = question(c, { askerId: 'slack:U0BOB' });
      const b1 = question(d, { createdAt: '2001-01-01T00:00:00.000Z', state: 'reopened' });
      for (const q of [a1, a2, other, b1]) await fx.store.create(q, null);
      expect((await fx.store.listByAsker(c, 'slack:U0ALICE', 10)).map((q) => q.id)).toEqual([a2.id, a1.id]);
      const queue = (await fx.store.listQueue(['open', 'reopened'], 10_000)).filter((q) =>
        [c, d].includes(q.customerId),
      );
      expect(queue.map((q) => q.id).sort()).toEqual([b1.id, a1.id, other.id, a2.id].sort());
      expect(queue.at(-1)?.id).toBe(a2.id);
      expect(queue[0]?.id).toBe(b1.id);
      expect(await fx.store.listQueue([], 10)).toEqual([]);
      expect(await fx.store.countQueue([])).toBe(0);
    });

    it('counts the queue and pages through it in order', async () => {
      const before = await fx.store.countQueue(['claimed', 'answered']);
      const c = rid('cust');
      for (const h of [1, 2, 3])
        await fx.store.create(
          question(c, { state: 'claimed', createdAt: `2026-11-2${h}T08:00:00.000Z` }),
          null,
        );
      expect(await fx.store.countQueue(['claimed', 'answered'])).toBe(before + 3);
      const all = await fx.store.listQueue(['claimed', 'answered'], 10_000);
      const first = await fx.store.listQueue(['claimed', 'answered'], 2, 0);
      const next = await fx.store.listQueue(['claimed', 'answered'], 2, 2);
      expect([...first, ...next].map((q) => q.id)).toEqual(all.slice(0, 4).map((q) => q.id));
      expect(all).toHaveLength(before + 3);
    });

    it('purges questions inactive since before the cutoff', async () => {
      const c = rid('cust');
      const old = question(c, {
        createdAt: '2001-01-01T00:00:00.000Z',
        lastActivityAt: '2001-02-01T00:00:00.000Z',
      });
      const kept = question(c, {
        createdAt: '2001-01-01T00:00:00.000Z',
        lastActivityAt: '2001-09-01T00:00:00.000Z',
      });
      await fx.store.create(old, null);
      await fx.store.create(kept, null);
      expect(await fx.store.purgeBefore('2001-06-01T00:00:00.000Z')).toBeGreaterThanOrEqual(1);
      expect(await fx.store.get(c, old.id)).toBeNull();
      expect(await fx.store.get(c, kept.id)).not.toBeNull();
    });
  });
}
