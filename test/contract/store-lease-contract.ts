import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxDraft, Store } from '../../bot/ports.js';
import { testClock } from '../support/test-clock.js';
import type { StoreFixture, StoreMaker } from './store-contract.js';

// The Store contract for touchOutbox: the dispatcher asks it right before each send whether the
// row is still this store's to send. Backend-agnostic; a shared backend may answer false in more cases (its
// lane moved to another instance), which postgres-scale.test.ts covers.

const T0 = new Date('2026-11-27T09:00:00.000Z');
const draft = (bindingId: string, incidentId: string): OutboxDraft => ({
  bindingId,
  customerId: 'lease',
  incidentId,
  kind: 'handedOff',
  version: 'v1',
  payload: {},
});

/** Runs the lease contract against one backend. */
export function storeLeaseContract(name: string, makeStore: StoreMaker): void {
  describe(`Store contract (send lease): ${name}`, () => {
    let fixture: StoreFixture;
    let store: Store;
    beforeEach(async () => {
      fixture = await makeStore(testClock(T0));
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    it('holds a claimed row until it is completed or released, and never a row it did not claim', async () => {
      const b = `b-${randomUUID().slice(0, 8)}`;
      await store.enqueueOutbox([draft(b, '1'), draft(b, '2'), draft(b, '3')]);
      const mine = (await store.claimOutbox(1000, 60_000, T0)).filter((i) => i.bindingId === b);
      expect(mine.map((i) => i.incidentId)).toEqual(['1', '2', '3']);
      const [one, two, three] = mine;
      if (one === undefined || two === undefined || three === undefined) throw new Error('claim');
      for (const item of mine) expect(await store.touchOutbox(item.id, 60_000, T0)).toBe(true);
      await store.completeOutbox(one.id);
      await store.retryOutbox(two.id, new Date(T0.getTime() + 1_000), 'paced', false);
      await store.abandonOutbox(three.id, 'gone');
      for (const item of mine) expect(await store.touchOutbox(item.id, 60_000, T0)).toBe(false);
      expect(await store.touchOutbox(-1, 60_000, T0)).toBe(false);
      // Released for a retry, it is claimable again and then held again.
      const again = (await store.claimOutbox(1000, 60_000, new Date(T0.getTime() + 1_000))).filter(
        (i) => i.bindingId === b,
      );
      expect(again.map((i) => i.id)).toEqual([two.id]);
      expect(await store.touchOutbox(two.id, 60_000, T0)).toBe(true);
    });
  });
}
