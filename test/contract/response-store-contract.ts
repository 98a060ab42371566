import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  AuditEvent,
  RecordDraft,
  RecordedState,
  ResponseStore,
} from '../../bot/response/response-ports.js';

// The guided-response store contract (bot/response/response-ports.ts), backend-neutral: every test uses fresh random
// ids, so the PostgreSQL implementation can run the same suite on a shared database.

export interface ResponseStoreFixture {
  readonly responses: ResponseStore;
  cleanup(): Promise<void>;
}

const id = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

function draft(
  ids: { customerId: string; incidentId: string; actionId: string },
  state: RecordedState,
  expectedVersion: number,
  at: string,
  event: AuditEvent = state === 'inProgress'
    ? 'runRequested'
    : state === 'completed'
      ? 'completed'
      : 'skipped',
): RecordDraft {
  return {
    record: {
      ...ids,
      state,
      by: 'Alice',
      at,
      note: state === 'skipped' ? 'reimaging' : null,
      remoteId: null,
    },
    expectedVersion,
    audit: {
      id: randomUUID(),
      ...ids,
      event,
      actor: 'slack:U0ALICE',
      actorName: 'Alice',
      at,
      text: `${event} by Alice`,
    },
  };
}

/** Runs the contract against one implementation. */
export function responseStoreContract(name: string, make: () => Promise<ResponseStoreFixture>): void {
  describe(`ResponseStore contract: ${name}`, () => {
    let f: ResponseStoreFixture;
    let ids: { customerId: string; incidentId: string; actionId: string };
    beforeEach(async () => {
      f = await make();
      ids = { customerId: id('cust'), incidentId: id('inc'), actionId: id('act') };
    });
    afterEach(async () => f.cleanup());

    it('writes a record with its audit line and bumps the version', async () => {
      const r = await f.responses.record(draft(ids, 'completed', 0, '2026-11-27T10:00:00.000Z'));
      expect(r).toMatchObject({ ...ids, state: 'completed', by: 'Alice', version: 1, remoteId: null });
      expect(await f.responses.getRecord(ids.customerId, ids.incidentId, ids.actionId)).toEqual(r);
      const audit = await f.responses.listAudit(ids.customerId, ids.incidentId);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        event: 'completed',
        actor: 'slack:U0ALICE',
        commentedAt: null,
        commentAttempts: 0,
      });
    });

    it('applies a decision once: a second write at the same version changes nothing', async () => {
      expect(await f.responses.record(draft(ids, 'completed', 0, '2026-11-27T10:00:00.000Z'))).not.toBeNull();
      expect(await f.responses.record(draft(ids, 'skipped', 0, '2026-11-27T10:00:01.000Z'))).toBeNull();
      expect(await f.responses.record(draft(ids, 'skipped', 5, '2026-11-27T10:00:01.000Z'))).toBeNull();
      expect((await f.responses.getRecord(ids.customerId, ids.incidentId, ids.actionId))?.state).toBe(
        'completed',
      );
      expect(await f.responses.listAudit(ids.customerId, ids.incidentId)).toHaveLength(1);
    });

    it('two concurrent writes at one version: exactly one wins', async () => {
      const results = await Promise.all([
        f.responses.record(draft(ids, 'completed', 0, '2026-11-27T10:00:00.000Z')),
        f.responses.record(draft(ids, 'skipped', 0, '2026-11-27T10:00:00.000Z')),
      ]);
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      expect(await f.responses.listAudit(ids.customerId, ids.incidentId)).toHaveLength(1);
    });

    it('keeps a run in the running list until it ends, with its remote id', async () => {
      await f.responses.record(draft(ids, 'inProgress', 0, '2026-11-27T10:00:00.000Z'));
      const attached = await f.responses.setRemoteId(
        ids.customerId,
        ids.incidentId,
        ids.actionId,
        'mde:abc',
        1,
      );
      expect(attached).toMatchObject({ state: 'inProgress', remoteId: 'mde:abc', version: 2 });
      const running = (await f.responses.listRunning(1000)).find((r) => r.actionId === ids.actionId);
      expect(running).toMatchObject({ state: 'inProgress', remoteId: 'mde:abc', version: 2 });
      await f.responses.record({
        ...draft(ids, 'completed', 2, '2026-11-27T10:01:00.000Z', 'runCompleted'),
        record: { ...draft(ids, 'completed', 2, '2026-11-27T10:01:00.000Z').record, remoteId: 'mde:abc' },
      });
      expect((await f.responses.listRunning(1000)).some((r) => r.actionId === ids.actionId)).toBe(false);
      expect((await f.responses.listAudit(ids.customerId, ids.incidentId)).map((a) => a.event)).toEqual([
        'runRequested',
        'runCompleted',
      ]);
    });

    it('attaches a remote id only to the run it belongs to: a late start never overwrites a newer record', async () => {
      await f.responses.record(draft(ids, 'inProgress', 0, '2026-11-27T10:00:00.000Z'));
      // The run was failed meanwhile (e.g. by the orphan sweep): version 2, state failed.
      const failed = await f.responses.record({
        ...draft(ids, 'failed', 1, '2026-11-27T10:05:00.000Z', 'runFailed'),
      });
      expect(failed).toMatchObject({ state: 'failed', version: 2 });
      expect(
        await f.responses.setRemoteId(ids.customerId, ids.incidentId, ids.actionId, 'mde:late', 1),
      ).toBeNull();
      expect(
        await f.responses.setRemoteId(ids.customerId, ids.incidentId, ids.actionId, 'mde:late', 2),
      ).toBeNull();
      expect(await f.responses.getRecord(ids.customerId, ids.incidentId, ids.actionId)).toEqual(failed);
      // A new run at version 3 takes its own remote id, and not one aimed at an older version.
      await f.responses.record(draft(ids, 'inProgress', 2, '2026-11-27T10:06:00.000Z'));
      expect(
        await f.responses.setRemoteId(ids.customerId, ids.incidentId, ids.actionId, 'mde:old', 2),
      ).toBeNull();
      expect(
        await f.responses.setRemoteId(ids.customerId, ids.incidentId, ids.actionId, 'mde:new', 3),
      ).toMatchObject({ remoteId: 'mde:new', version: 4, state: 'inProgress' });
      expect(await f.responses.setRemoteId(id('cust'), ids.incidentId, ids.actionId, 'mde:x', 4)).toBeNull();
    });

    it('tracks comment attempts until one gets through', async () => {
      await f.responses.record(draft(ids, 'completed', 0, '2026-11-27T10:00:00.000Z'));
      const [line] = await f.responses.listAudit(ids.customerId, ids.incidentId);
      if (line === undefined) throw new Error('no audit line');
      const pending = async () =>
        (await f.responses.listUncommented(3, 1000)).filter((a) => a.id === line.id);
      expect(await pending()).toHaveLength(1);
      await f.responses.markCommented(ids.customerId, line.id, false, '2026-11-27T10:00:01.000Z');
      expect((await pending())[0]?.commentAttempts).toBe(1);
      await f.responses.markCommented(ids.customerId, line.id, true, '2026-11-27T10:00:02.000Z');
      expect(await pending()).toEqual([]);
      const [done] = await f.responses.listAudit(ids.customerId, ids.incidentId);
      expect(done).toMatchObject({ commentedAt: '2026-11-27T10:00:02.000Z', commentAttempts: 2 });
    });

    it('gives up listing a line after the attempts allowed', async () => {
      await f.responses.record(draft(ids, 'completed', 0, '2026-11-27T10:00:00.000Z'));
      const [line] = await f.responses.listAudit(ids.customerId, ids.incidentId);
      if (line === undefined) throw new Error('no audit line');
      for (let i = 0; i < 2; i += 1) await f.responses.markCommented(ids.customerId, line.id, false, 'x');
      expect((await f.responses.listUncommented(2, 1000)).some((a) => a.id === line.id)).toBe(false);
    });

    it('never shows one customer’s records or audit to another', async () => {
      await f.responses.record(draft(ids, 'completed', 0, '2026-11-27T10:00:00.000Z'));
      const other = id('cust');
      expect(await f.responses.getRecords(other, ids.incidentId)).toEqual([]);
      expect(await f.responses.getRecord(other, ids.incidentId, ids.actionId)).toBeNull();
      expect(await f.responses.listAudit(other, ids.incidentId)).toEqual([]);
      const [line] = await f.responses.listAudit(ids.customerId, ids.incidentId);
      await f.responses.markCommented(other, line?.id ?? '', true, 'x');
      expect((await f.responses.listAudit(ids.customerId, ids.incidentId))[0]?.commentedAt).toBeNull();
    });

    it('refuses an audit line that belongs to another action, writing nothing', async () => {
      const bad = draft(ids, 'completed', 0, '2026-11-27T10:00:00.000Z');
      await expect(
        f.responses.record({ ...bad, audit: { ...bad.audit, actionId: id('other') } }),
      ).rejects.toThrow();
      expect(await f.responses.getRecords(ids.customerId, ids.incidentId)).toEqual([]);
    });
  });
}
