import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UserCheckDraft, UserCheckStore } from '../../bot/user-check/user-check-ports.js';

// The UserCheckStore port's contract ("Was this you?"), backend-neutral: fresh customer ids per test, so a
// shared database is fine. Run against SQLite and PostgreSQL (user-check-store-{sqlite,postgres}.test.ts).

export interface UserCheckStoreFixture {
  readonly store: UserCheckStore;
  readonly cleanup: () => Promise<void>;
}

const rid = (label: string): string => `${label}-${randomUUID().slice(0, 8)}`;
const cid = (): string => `UC-${randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase()}`;

function draft(customerId: string, overrides: Partial<UserCheckDraft> = {}): UserCheckDraft {
  return {
    id: cid(),
    customerId,
    incidentId: '42',
    upn: 'Alex.Wilber@contoso.example',
    platform: 'slack',
    targetUserId: 'U0ALEX',
    dm: { platform: 'slack', id: 'slack:T0CONTOSO:D0ALEX', threadId: null, kind: 'personal' },
    seen: 'Sign-in to Exchange Online from 203.0.113.7, Lagos, at 03:12 UTC <!channel>',
    requesterId: 'slack:U0DANA',
    requester: {
      platform: 'slack',
      workspace: 'T0CONTOSO',
      userId: 'U0DANA',
      name: 'Dana',
      direct: null,
    },
    createdAt: '2026-11-20T08:00:00.000Z',
    ...overrides,
  };
}

export function userCheckStoreContract(name: string, make: () => Promise<UserCheckStoreFixture>): void {
  describe(`UserCheckStore contract (${name})`, () => {
    let f: UserCheckStoreFixture;
    let store: UserCheckStore;
    beforeEach(async () => {
      f = await make();
      store = f.store;
    });
    afterEach(async () => {
      await f.cleanup();
    });

    it('stores a question as asked and reads it back whole, scoped by customer', async () => {
      const customer = rid('c');
      const d = draft(customer);
      const { check, created } = await store.create(d);
      expect(created).toBe(true);
      expect(check).toMatchObject({
        ...d,
        state: 'asked',
        answer: null,
        note: null,
        comment: 'none',
        commentAttempts: 0,
        dmMessageId: null,
        remindedAt: null,
        escalatedAt: null,
      });
      expect(await store.get(customer, d.id)).toEqual(check);
      expect(await store.get(rid('other'), d.id)).toBeNull();
      expect((await store.listForIncident(customer, '42')).map((c) => c.id)).toEqual([d.id]);
      expect(await store.listForIncident(rid('other'), '42')).toEqual([]);
    });

    it('keeps one open question per person and incident (the upn in any case), a new one after it closes', async () => {
      const customer = rid('c');
      const first = await store.create(draft(customer));
      const again = await store.create(draft(customer, { upn: 'alex.wilber@CONTOSO.example' }));
      expect(again).toEqual({ check: first.check, created: false });
      const otherIncident = await store.create(draft(customer, { incidentId: '43' }));
      expect(otherIncident.created).toBe(true);
      await store.answer(customer, first.check.id, 'yes', null, '2026-11-20T08:05:00.000Z');
      const after = await store.create(draft(customer));
      expect(after.created).toBe(true);
      expect(after.check.id).not.toBe(first.check.id);
    });

    it('answers once: a second answer, a cancel or another customer change nothing', async () => {
      const customer = rid('c');
      const { check } = await store.create(draft(customer));
      expect(await store.answer(rid('other'), check.id, 'no', null, '2026-11-20T08:01:00.000Z')).toBeNull();
      const answered = await store.answer(customer, check.id, 'no', 'not me', '2026-11-20T08:02:00.000Z');
      expect(answered).toMatchObject({
        state: 'answered',
        answer: 'no',
        note: 'not me',
        answeredAt: '2026-11-20T08:02:00.000Z',
        comment: 'pending',
      });
      expect(await store.answer(customer, check.id, 'yes', null, '2026-11-20T08:03:00.000Z')).toBeNull();
      expect(await store.cancel(customer, check.id, 'Dana', '2026-11-20T08:03:00.000Z')).toBeNull();
      expect(await store.get(customer, check.id)).toEqual(answered);
    });

    it('withdraws and marks unreachable only while asked', async () => {
      const customer = rid('c');
      const a = (await store.create(draft(customer))).check;
      const cancelled = await store.cancel(customer, a.id, 'Dana', '2026-11-20T08:10:00.000Z');
      expect(cancelled).toMatchObject({ state: 'cancelled', reason: 'withdrawn by Dana' });
      expect(await store.answer(customer, a.id, 'yes', null, '2026-11-20T08:11:00.000Z')).toBeNull();
      const b = (await store.create(draft(customer, { incidentId: '44' }))).check;
      expect(await store.setSent(customer, b.id, 'msg-1')).toMatchObject({ dmMessageId: 'msg-1' });
      expect(await store.setUnreachable(customer, b.id, 'not in the workspace')).toMatchObject({
        state: 'unreachable',
        reason: 'not in the workspace',
      });
      expect(await store.setUnreachable(customer, b.id, 'again')).toBeNull();
      expect(await store.setSent(customer, b.id, 'msg-2')).toBeNull();
    });

    it('lists asked questions due for a reminder and stamps each stage once', async () => {
      const customer = rid('c');
      const old = (await store.create(draft(customer, { createdAt: '2000-01-01T00:00:00.000Z' }))).check;
      const young = (
        await store.create(draft(customer, { incidentId: '45', createdAt: '2000-01-01T05:00:00.000Z' }))
      ).check;
      const due = await store.listAskedBefore('2000-01-01T01:00:00.000Z', 1000);
      expect(due.map((c) => c.id)).toContain(old.id);
      expect(due.map((c) => c.id)).not.toContain(young.id);
      expect(await store.markStage(customer, old.id, 'reminded', '2000-01-01T01:00:00.000Z')).toBe(true);
      expect(await store.markStage(customer, old.id, 'reminded', '2000-01-01T01:01:00.000Z')).toBe(false);
      expect(await store.markStage(rid('other'), old.id, 'escalated', '2000-01-01T04:00:00.000Z')).toBe(
        false,
      );
      expect(await store.markStage(customer, old.id, 'escalated', '2000-01-01T04:00:00.000Z')).toBe(true);
      // Both stages done: it no longer comes up, answered or not.
      expect((await store.listAskedBefore('2000-01-02T00:00:00.000Z', 1000)).map((c) => c.id)).not.toContain(
        old.id,
      );
      expect(await store.get(customer, old.id)).toMatchObject({
        remindedAt: '2000-01-01T01:00:00.000Z',
        escalatedAt: '2000-01-01T04:00:00.000Z',
      });
      await store.answer(customer, old.id, 'yes', null, '2000-01-01T04:30:00.000Z');
      expect((await store.listAskedBefore('2000-01-02T00:00:00.000Z', 1000)).map((c) => c.id)).not.toContain(
        old.id,
      );
      expect(await store.markStage(customer, young.id, 'reminded', '2000-01-01T06:00:00.000Z')).toBe(true);
    });

    it('tracks the comment: pending until written, attempts counted, written stays written', async () => {
      const customer = rid('c');
      const { check } = await store.create(draft(customer));
      expect(await store.listUncommented(5, 10_000)).not.toContainEqual(
        expect.objectContaining({ id: check.id }),
      );
      await store.answer(customer, check.id, 'unsure', null, '2026-11-20T08:02:00.000Z');
      const pending = async () => (await store.listUncommented(2, 10_000)).filter((c) => c.id === check.id);
      expect(await pending()).toHaveLength(1);
      await store.markCommented(customer, check.id, false);
      expect((await pending())[0]?.commentAttempts).toBe(1);
      await store.markCommented(customer, check.id, true);
      expect(await pending()).toEqual([]);
      await store.markCommented(customer, check.id, false);
      expect(await store.get(customer, check.id)).toMatchObject({ comment: 'written', commentAttempts: 2 });
    });

    it('gives up listing after the attempts', async () => {
      const customer = rid('c');
      const { check } = await store.create(draft(customer));
      await store.answer(customer, check.id, 'yes', null, '2026-11-20T08:02:00.000Z');
      await store.markCommented(customer, check.id, false);
      await store.markCommented(customer, check.id, false);
      expect((await store.listUncommented(2, 10_000)).map((c) => c.id)).not.toContain(check.id);
    });
  });
}
