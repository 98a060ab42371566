import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContactRequest, ItemSeed, SdmStore } from '../../bot/sdm/sdm-ports.js';

// The SdmStore port's contract: every implementation (SQLite now, PostgreSQL later) runs this suite against
// its real backend. Fresh random customer ids per test, so a shared database is fine.

export interface SdmStoreFixture {
  readonly store: SdmStore;
  readonly cleanup: () => Promise<void>;
}

const customer = (label: string): string => `${label}-${randomUUID().slice(0, 8)}`;
const seed = (key: string, priority: number, title = `Item ${key}`): ItemSeed => ({
  key,
  kind: key.startsWith('score:') ? 'secureScore' : 'readiness',
  title,
  detail: `detail of ${key}`,
  priority,
  expertsNote: `note for ${key}`,
});

const request = (customerId: string, id: string, createdAt: string): ContactRequest => ({
  id,
  customerId,
  kind: 'message',
  severity: null,
  text: `text of ${id}`,
  preferredDate: null,
  fromUser: 'web:x',
  fromName: 'X',
  createdAt,
  conversation: { platform: 'web', id: `web:${customerId}`, threadId: null, kind: 'personal' },
  deliveredAt: null,
});

/** Runs the contract against one backend. */
export function sdmStoreContract(name: string, make: () => Promise<SdmStoreFixture>): void {
  describe(`SdmStore contract: ${name}`, () => {
    let fx: SdmStoreFixture;
    beforeEach(async () => {
      fx = await make();
    });
    afterEach(async () => {
      await fx.cleanup();
    });

    it('merges timeline patches: first handoff kept, latest resolution wins, reopening clears it', async () => {
      const c = customer('tl');
      const s = fx.store;
      await s.recordTimelines([
        { customerId: c, incidentId: '1', expertsStartedAt: '2026-10-01T01:00:00.000Z' },
      ]);
      await s.recordTimelines([{ customerId: c, incidentId: '1', handedOffAt: '2026-10-01T02:00:00.000Z' }]);
      await s.recordTimelines([{ customerId: c, incidentId: '1', handedOffAt: '2026-10-01T05:00:00.000Z' }]);
      await s.recordTimelines([{ customerId: c, incidentId: '1', resolvedAt: '2026-10-01T03:00:00.000Z' }]);
      let [t] = await s.listTimelines(c, ['1']);
      expect(t).toEqual({
        customerId: c,
        incidentId: '1',
        expertsStartedAt: '2026-10-01T01:00:00.000Z',
        handedOffAt: '2026-10-01T02:00:00.000Z',
        resolvedAt: '2026-10-01T03:00:00.000Z',
        inferred: false,
      });
      await s.recordTimelines([{ customerId: c, incidentId: '1', resolvedAt: null }]);
      [t] = await s.listTimelines(c, ['1']);
      expect(t?.resolvedAt).toBeNull();
      await s.recordTimelines([
        { customerId: c, incidentId: '1', resolvedAt: '2026-10-02T00:00:00.000Z', inferred: true },
      ]);
      [t] = await s.listTimelines(c, ['1']);
      expect(t?.resolvedAt).toBe('2026-10-02T00:00:00.000Z');
      expect(t?.inferred).toBe(true);
    });

    it('never returns another customer’s timelines, reports, items or requests', async () => {
      const a = customer('a');
      const b = customer('b');
      const s = fx.store;
      await s.recordTimelines([{ customerId: a, incidentId: '7', handedOffAt: '2026-10-01T00:00:00.000Z' }]);
      await s.saveReport({ id: 'r', customerId: a, createdAt: '2026-10-01T00:00:00.000Z', figures: '{}' });
      await s.startCheckin(a, [seed('readiness:x', 1)], 'Dana', '2026-10-01T00:00:00.000Z');
      const sent = request(a, randomUUID(), '2026-10-01T00:00:00.000Z');
      await s.recordContactRequest(sent, 'fp', '2026-09-30T00:00:00.000Z');
      expect(
        (await s.recordContactRequest({ ...sent, customerId: b }, 'fp', '2026-09-30T00:00:00.000Z')).created,
      ).toBe(true);
      expect(await s.markContactDelivered(b, sent.id, '2026-10-01T00:01:00.000Z')).toBe(true);
      expect(await s.listUndeliveredContactRequests(a, '2026-09-01T00:00:00.000Z', 10)).toHaveLength(1);
      await s.purgeContactRequestsBefore('2026-01-01T00:00:00.000Z');
      expect(await s.listTimelines(b, ['7'])).toEqual([]);
      expect(await s.getReport(b, 'r')).toBeNull();
      expect(await s.listItems(b)).toEqual([]);
      expect(await s.latestCheckin(b)).toBeNull();
      expect(
        await s.updateItem(b, 'readiness:x', { state: 'done' }, 'web:b', '2026-10-02T00:00:00.000Z'),
      ).toBeNull();
      expect((await s.listItems(a))[0]?.state).toBe('notStarted');
      expect((await s.listContactRequests(a, 10)).map((r) => [r.customerId, r.deliveredAt])).toEqual([
        [a, null],
      ]);
      expect(await s.listContactRequests(customer('c'), 10)).toEqual([]);
    });

    it('stores a report snapshot once and returns it', async () => {
      const c = customer('rep');
      await fx.store.saveReport({
        id: 'r1',
        customerId: c,
        createdAt: '2026-11-01T00:00:00.000Z',
        figures: '{"a":1}',
      });
      expect(await fx.store.getReport(c, 'r1')).toEqual({
        id: 'r1',
        customerId: c,
        createdAt: '2026-11-01T00:00:00.000Z',
        figures: '{"a":1}',
      });
      expect(await fx.store.getReport(c, 'r2')).toBeNull();
      await fx.store.saveReport({
        id: 'r0',
        customerId: c,
        createdAt: '2026-09-01T00:00:00.000Z',
        figures: '{}',
      });
      expect(await fx.store.purgeReportsBefore('2026-10-01T00:00:00.000Z')).toBeGreaterThanOrEqual(1);
      expect(await fx.store.getReport(c, 'r0')).toBeNull();
      expect(await fx.store.getReport(c, 'r1')).not.toBeNull();
    });

    it('numbers check-ins, keeps the customer’s edits across them, and snapshots each start', async () => {
      const c = customer('ci');
      const s = fx.store;
      const first = await s.startCheckin(
        c,
        [seed('readiness:a', 1), seed('score:B', 2)],
        'Dana',
        '2026-10-01T00:00:00.000Z',
      );
      expect(first.previous).toBeNull();
      expect(first.checkin.number).toBe(1);
      expect(first.checkin.snapshot.map((i) => [i.key, i.state])).toEqual([
        ['readiness:a', 'notStarted'],
        ['score:B', 'notStarted'],
      ]);
      const saved = await s.updateItem(
        c,
        'score:B',
        { state: 'planned', owner: 'Alice', dueDate: '2026-10-15', note: 'after the freeze' },
        'web:alice',
        '2026-10-02T00:00:00.000Z',
      );
      expect(saved).toMatchObject({
        state: 'planned',
        owner: 'Alice',
        dueDate: '2026-10-15',
        note: 'after the freeze',
        updatedBy: 'web:alice',
      });
      // A partial patch leaves the other fields alone; null clears.
      const partial = await s.updateItem(c, 'score:B', { note: null }, 'web:bob', '2026-10-03T00:00:00.000Z');
      expect(partial).toMatchObject({ state: 'planned', owner: 'Alice', note: null, updatedBy: 'web:bob' });
      const second = await s.startCheckin(
        c,
        [seed('readiness:a', 2, 'Renamed A'), seed('score:B', 1), seed('score:C', 3)],
        'Dana',
        '2026-11-01T00:00:00.000Z',
      );
      expect(second.checkin.number).toBe(2);
      expect(second.previous?.number).toBe(1);
      expect(second.previous?.snapshot.find((i) => i.key === 'score:B')?.state).toBe('notStarted');
      const items = await s.listItems(c);
      expect(items.map((i) => i.key)).toEqual(['score:B', 'readiness:a', 'score:C']);
      expect(items[0]).toMatchObject({ state: 'planned', owner: 'Alice', priority: 1 });
      expect(items[1]?.title).toBe('Renamed A');
      expect((await s.latestCheckin(c))?.number).toBe(2);
      expect((await s.getCheckin(c, 1))?.snapshot).toHaveLength(2);
      expect(await s.getCheckin(c, 3)).toBeNull();
    });

    it('refuses an unknown state and changes nothing', async () => {
      const c = customer('bad');
      await fx.store.startCheckin(c, [seed('readiness:a', 1)], 'Dana', '2026-10-01T00:00:00.000Z');
      await expect(
        fx.store.updateItem(
          c,
          'readiness:a',
          { state: 'bogus' as never },
          'web:x',
          '2026-10-02T00:00:00.000Z',
        ),
      ).rejects.toThrow(/state/);
      expect((await fx.store.listItems(c))[0]?.state).toBe('notStarted');
      expect(
        await fx.store.updateItem(
          c,
          'readiness:nope',
          { state: 'done' },
          'web:x',
          '2026-10-02T00:00:00.000Z',
        ),
      ).toBeNull();
    });

    it('remembers posted copies of a check-in card, one per conversation, per customer', async () => {
      const c = customer('posts');
      const other = customer('other');
      const conv = (id: string) => ({
        platform: 'slack' as const,
        id,
        threadId: null,
        kind: 'channel' as const,
      });
      await fx.store.recordCheckinPost({
        customerId: c,
        checkinId: 'k1',
        conversation: conv('slack:T:C1'),
        messageId: 'm1',
      });
      await fx.store.recordCheckinPost({
        customerId: c,
        checkinId: 'k1',
        conversation: conv('slack:T:C2'),
        messageId: 'm2',
      });
      await fx.store.recordCheckinPost({
        customerId: c,
        checkinId: 'k1',
        conversation: conv('slack:T:C1'),
        messageId: 'm3',
      });
      await fx.store.recordCheckinPost({
        customerId: c,
        checkinId: 'k2',
        conversation: conv('slack:T:C1'),
        messageId: 'm4',
      });
      const posts = await fx.store.listCheckinPosts(c, 'k1');
      expect(posts.map((p) => [p.conversation.id, p.messageId])).toEqual([
        ['slack:T:C1', 'm3'],
        ['slack:T:C2', 'm2'],
      ]);
      expect(posts[0]?.conversation).toEqual(conv('slack:T:C1'));
      expect(await fx.store.listCheckinPosts(other, 'k1')).toEqual([]);
    });

    it('lists contact requests newest first, limited', async () => {
      const c = customer('cr');
      for (const [i, at] of ['2026-10-01', '2026-10-03', '2026-10-02'].entries()) {
        await fx.store.recordContactRequest(
          {
            ...request(c, `req-${i}`, `${at}T00:00:00.000Z`),
            kind: i === 1 ? 'escalation' : 'bookReview',
            severity: i === 1 ? 'high' : null,
            text: `t${i}`,
            preferredDate: i === 1 ? null : '2026-12-01',
          },
          `fp-${i}`,
          '2026-01-01T00:00:00.000Z',
        );
      }
      const list = await fx.store.listContactRequests(c, 2);
      expect(list.map((r) => r.id)).toEqual(['req-1', 'req-2']);
      expect(list[0]).toMatchObject({ kind: 'escalation', severity: 'high', preferredDate: null });
    });

    it('records a request once per fingerprint within the window, and keeps where it came from', async () => {
      const c = customer('dedup');
      const first = request(c, 'r1', '2026-10-01T10:00:00.000Z');
      const a = await fx.store.recordContactRequest(first, 'fp', '2026-10-01T09:50:00.000Z');
      expect(a).toEqual({ request: first, created: true });
      const again = request(c, 'r2', '2026-10-01T10:05:00.000Z');
      const b = await fx.store.recordContactRequest(again, 'fp', '2026-10-01T09:55:00.000Z');
      expect(b).toEqual({ request: first, created: false });
      // Another fingerprint, or the same one after the window, is a new request.
      expect(
        (
          await fx.store.recordContactRequest(
            request(c, 'r3', '2026-10-01T10:06:00.000Z'),
            'other',
            '2026-10-01T09:56:00.000Z',
          )
        ).created,
      ).toBe(true);
      const late = await fx.store.recordContactRequest(
        request(c, 'r4', '2026-10-01T10:20:00.000Z'),
        'fp',
        '2026-10-01T10:10:00.000Z',
      );
      expect(late.created).toBe(true);
      expect((await fx.store.listContactRequests(c, 10)).map((r) => r.id)).toEqual(['r4', 'r3', 'r1']);
    });

    it('lists undelivered requests oldest first until marked delivered (first time kept)', async () => {
      const c = customer('undelivered');
      await fx.store.recordContactRequest(
        request(c, 'old', '2026-09-01T00:00:00.000Z'),
        'f0',
        '2026-01-01T00:00:00.000Z',
      );
      await fx.store.recordContactRequest(
        request(c, 'b', '2026-10-02T00:00:00.000Z'),
        'f1',
        '2026-01-01T00:00:00.000Z',
      );
      await fx.store.recordContactRequest(
        request(c, 'a', '2026-10-01T00:00:00.000Z'),
        'f2',
        '2026-01-01T00:00:00.000Z',
      );
      await fx.store.recordContactRequest(
        { ...request(c, 'nowhere', '2026-10-01T00:00:00.000Z'), conversation: null },
        'f3',
        '2026-01-01T00:00:00.000Z',
      );
      const since = '2026-09-15T00:00:00.000Z';
      expect((await fx.store.listUndeliveredContactRequests(c, since, 10)).map((r) => r.id)).toEqual([
        'a',
        'b',
      ]);
      expect((await fx.store.listUndeliveredContactRequests(c, since, 1)).map((r) => r.id)).toEqual(['a']);
      expect(await fx.store.markContactDelivered(c, 'a', '2026-10-03T00:00:00.000Z')).toBe(true);
      expect(await fx.store.markContactDelivered(c, 'a', '2026-10-04T00:00:00.000Z')).toBe(true);
      expect(await fx.store.markContactDelivered(c, 'missing', '2026-10-04T00:00:00.000Z')).toBe(false);
      expect((await fx.store.listUndeliveredContactRequests(c, since, 10)).map((r) => r.id)).toEqual(['b']);
      const [a] = (await fx.store.listContactRequests(c, 10)).filter((r) => r.id === 'a');
      expect(a?.deliveredAt).toBe('2026-10-03T00:00:00.000Z');
    });

    it('purges contact requests created before the cutoff, for every customer', async () => {
      const c = customer('purge');
      const d = customer('purge');
      await fx.store.recordContactRequest(
        request(c, 'old', '2026-04-01T00:00:00.000Z'),
        'f1',
        '2026-01-01T00:00:00.000Z',
      );
      await fx.store.recordContactRequest(
        request(d, 'old', '2026-04-02T00:00:00.000Z'),
        'f1',
        '2026-01-01T00:00:00.000Z',
      );
      await fx.store.recordContactRequest(
        request(c, 'new', '2026-06-01T00:00:00.000Z'),
        'f2',
        '2026-01-01T00:00:00.000Z',
      );
      expect(await fx.store.purgeContactRequestsBefore('2026-05-01T00:00:00.000Z')).toBeGreaterThanOrEqual(2);
      expect((await fx.store.listContactRequests(c, 10)).map((r) => r.id)).toEqual(['new']);
      expect(await fx.store.listContactRequests(d, 10)).toEqual([]);
    });

    it('claims a month’s post per channel once, says when it was posted, and frees a failed or stale claim', async () => {
      const c = customer('post');
      const k = { customerId: c, month: '2026-10', bindingId: 'b1' };
      const s = fx.store;
      expect(await s.claimReportPost(k, '2026-11-02T10:00:00.000Z', '2026-11-02T09:50:00.000Z')).toEqual({
        status: 'claimed',
      });
      expect(await s.claimReportPost(k, '2026-11-02T10:01:00.000Z', '2026-11-02T09:51:00.000Z')).toEqual({
        status: 'inProgress',
        since: '2026-11-02T10:00:00.000Z',
      });
      // Another channel, month or customer is independent.
      for (const other of [
        { ...k, bindingId: 'b2' },
        { ...k, month: '2026-09' },
        { ...k, customerId: customer('x') },
      ])
        expect(
          (await s.claimReportPost(other, '2026-11-02T10:01:00.000Z', '2026-11-02T09:51:00.000Z')).status,
        ).toBe('claimed');
      // A failed post is released and can be claimed again; a completed one answers when.
      await s.releaseReportPost(k);
      expect(
        (await s.claimReportPost(k, '2026-11-02T10:02:00.000Z', '2026-11-02T09:52:00.000Z')).status,
      ).toBe('claimed');
      await s.completeReportPost(k, '2026-11-02T10:03:00.000Z');
      await s.releaseReportPost(k);
      expect(await s.claimReportPost(k, '2026-11-03T00:00:00.000Z', '2026-11-02T23:50:00.000Z')).toEqual({
        status: 'posted',
        at: '2026-11-02T10:03:00.000Z',
      });
      // A claim that never completed (the process died) is taken over once it is stale.
      const stale = { ...k, bindingId: 'b3' };
      await s.claimReportPost(stale, '2026-11-02T10:00:00.000Z', '2026-11-02T09:50:00.000Z');
      expect(
        (await s.claimReportPost(stale, '2026-11-02T10:30:00.000Z', '2026-11-02T10:20:00.000Z')).status,
      ).toBe('claimed');
    });
  });
}
