import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore, type PostgresStore } from '../../adapters/postgres/postgres-store.js';
import { createRelayStore } from '../../adapters/store/relay/relay-store.js';
import type { IncidentPost, OutboxDraft, OutboxItem } from '../../bot/ports.js';
import type { RelayDraft } from '../../bot/relay/relay-ports.js';
import { createTestSchema, type TestSchema } from '../support/pg-schema.js';
import { testClock } from '../support/test-clock.js';

// A paused instance that resumes after another took its work over: its late
// complete, retry or abandon must change nothing — not the new owner's post, lease or row — in the alert
// outbox and in the relay queue. Only the instance still leasing a row may finish or release it.

let schema: TestSchema;
const open: PostgresStore[] = [];
beforeAll(async () => {
  schema = await createTestSchema('stale');
});
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
  await schema?.drop();
});

const uid = (label: string): string => `${label}-${randomUUID().slice(0, 8)}`;
const storeNamed = async (label: string): Promise<PostgresStore> => {
  const s = await createPostgresStore({
    connectionString: schema.connectionString,
    schema: schema.schema,
    clock,
    instanceId: uid(label),
    instanceTimeoutMs: 15_000,
  });
  open.push(s);
  return s;
};
const T0 = new Date('2026-11-27T09:00:00.000Z');
/** The one clock of this file: the stores stamp rows with it and the tests claim at its instants. */
const clock = testClock(T0);
const draft = (bindingId: string, incidentId: string, kind = 'handedOff'): OutboxDraft => ({
  bindingId,
  customerId: 'c',
  incidentId,
  kind,
  version: 'v1',
  payload: {},
});
const post = (bindingId: string, messageId: string): IncidentPost => ({
  bindingId,
  customerId: 'c',
  incidentId: '1',
  messageId,
  postedAt: T0.toISOString(),
});
const rowOf = async (s: PostgresStore, id: number) =>
  (
    await s.pool.query<{ state: string; lease_owner: string | null; attempts: number }>(
      'SELECT state, lease_owner, attempts FROM outbox WHERE id = $1',
      [id],
    )
  ).rows[0];

/** A claims binding b's row and stalls; its heartbeat goes stale; B takes the lane and the row over. */
async function takenOver(): Promise<{
  a: PostgresStore;
  b: PostgresStore;
  bindingId: string;
  row: OutboxItem;
}> {
  const [a, b] = [await storeNamed('a'), await storeNamed('b')];
  const bindingId = uid('bind');
  await a.enqueueOutbox([draft(bindingId, '1')]);
  const [row] = (await a.claimOutbox(100, 60_000, T0)).filter((i) => i.bindingId === bindingId);
  if (row === undefined) throw new Error('A claimed nothing');
  await b.pool.query("UPDATE instances SET heartbeat_at = now() - interval '1 hour' WHERE id = $1", [
    a.instanceId,
  ]);
  const [again] = (await b.claimOutbox(100, 60_000, T0)).filter((i) => i.bindingId === bindingId);
  expect(again?.id).toBe(row.id);
  expect(await b.touchOutbox(row.id, 60_000, T0)).toBe(true);
  return { a, b, bindingId, row };
}

describe('PostgreSQL outbox: a resumed stale owner changes nothing', () => {
  it('cannot overwrite the new owner’s post nor add its reminders, before or after the new owner completes', async () => {
    const { a, b, bindingId, row } = await takenOver();
    const reminder = draft(bindingId, '1', 'reminder');
    await a.completeOutbox(row.id, { post: post(bindingId, 'm1-A'), enqueue: [reminder] });
    expect(await rowOf(b, row.id)).toMatchObject({ state: 'pending', lease_owner: b.instanceId });
    expect(await b.getIncidentPost(bindingId, '1')).toBeNull();
    await b.completeOutbox(row.id, { post: post(bindingId, 'm2-B') });
    await a.completeOutbox(row.id, { post: post(bindingId, 'm1-A'), enqueue: [reminder] });
    expect((await b.getIncidentPost(bindingId, '1'))?.messageId).toBe('m2-B');
    expect(await rowOf(b, row.id)).toMatchObject({ state: 'done' });
    const reminders = await b.pool.query("SELECT 1 FROM outbox WHERE binding_id = $1 AND kind = 'reminder'", [
      bindingId,
    ]);
    expect(reminders.rowCount).toBe(0);
  });

  it('cannot wipe the new owner’s lease with a late retry', async () => {
    const { a, b, row } = await takenOver();
    await a.retryOutbox(row.id, new Date(T0.getTime() + 5_000), 'late failure on A');
    expect(await rowOf(b, row.id)).toMatchObject({
      state: 'pending',
      lease_owner: b.instanceId,
      attempts: 0,
    });
    expect(await b.touchOutbox(row.id, 60_000, T0)).toBe(true);
  });

  it('cannot abandon a row the new owner is sending', async () => {
    const { a, b, bindingId, row } = await takenOver();
    await a.abandonOutbox(row.id, 'channel_not_found on A');
    expect(await rowOf(b, row.id)).toMatchObject({ state: 'pending', lease_owner: b.instanceId });
    expect(await b.touchOutbox(row.id, 60_000, T0)).toBe(true);
    await b.completeOutbox(row.id, { post: post(bindingId, 'm2-B') });
    expect(await rowOf(b, row.id)).toMatchObject({ state: 'done' });
  });

  it('still lets the owner finish and release its own rows', async () => {
    const a = await storeNamed('own');
    const bindingId = uid('bind');
    await a.enqueueOutbox([draft(bindingId, '1'), draft(bindingId, '2', 'resolved')]);
    const mine = (await a.claimOutbox(100, 60_000, T0)).filter((i) => i.bindingId === bindingId);
    const [one, two] = mine;
    if (one === undefined || two === undefined) throw new Error('claim');
    await a.retryOutbox(two.id, T0, 'paced', true);
    expect(await rowOf(a, two.id)).toMatchObject({ state: 'pending', lease_owner: null, attempts: 1 });
    await a.completeOutbox(one.id, { post: post(bindingId, 'm1') });
    expect((await a.getIncidentPost(bindingId, '1'))?.messageId).toBe('m1');
    await a.abandonOutbox(two.id, 'released rows are no longer ours'); // released: a no-op
    expect(await rowOf(a, two.id)).toMatchObject({ state: 'pending' });
  });
});

describe('PostgreSQL relay queue: a resumed stale lessee changes nothing', () => {
  it('cannot overwrite the copy, wipe the lease or abandon the row of the instance that took it over', async () => {
    const [hostA, hostB] = [await storeNamed('ra'), await storeNamed('rb')];
    const [a, b] = [
      await createRelayStore(hostA.host, { instanceTimeoutMs: 15_000 }),
      await createRelayStore(hostB.host, { instanceTimeoutMs: 15_000 }),
    ];
    const pairId = uid('pair');
    await a.openPair(
      {
        id: pairId,
        kind: 'question',
        customerId: uid('cust'),
        subjectId: uid('Q'),
        customer: {
          conversation: { platform: 'slack', id: uid('C'), threadId: null, kind: 'channel' },
          threadId: 'ts',
          wholeConversation: false,
        },
        provider: {
          conversation: { platform: 'slack', id: uid('C'), threadId: null, kind: 'channel' },
          threadId: null,
          wholeConversation: false,
        },
        providerLabel: 'Defender Experts',
        createdAt: T0.toISOString(),
      },
      () => [],
    );
    const d: RelayDraft = {
      pairId,
      dedupKey: uid('k'),
      to: 'provider',
      op: 'post',
      sourceId: 'src-1',
      sourceAt: T0.toISOString(),
      message: { text: 'hello', card: null, mode: 'new' },
      notBefore: T0.toISOString(),
    };
    await a.enqueue([d], T0.toISOString());
    const heads = async (s: typeof a, ms: number) =>
      (await s.claimHeads(new Date(T0.getTime() + ms), 1_000, 1000)).filter((i) => i.pairId === pairId);
    const [first] = await heads(a, 0);
    if (first === undefined) throw new Error('A claimed nothing');
    // A's send outlives its lease: B claims the head again (the allowed repeat).
    const [second] = await heads(b, 5_000);
    expect(second?.seq).toBe(first.seq);
    const copy = (copyId: string) => ({
      pairId,
      to: 'provider' as const,
      sourceId: 'src-1',
      copyId,
      version: T0.toISOString(),
      deleted: false,
    });
    await a.retry(first.seq, new Date(T0.getTime() + 1_000), 'late failure on A', true);
    await a.abandon(first.seq, 'late refusal on A');
    expect(await heads(b, 5_500)).toEqual([]); // still B's lease: neither released nor abandoned
    await b.complete(first.seq, { copy: copy('c-B') });
    await a.complete(first.seq, { copy: copy('c-A') });
    expect((await b.getCopy(pairId, 'provider', 'src-1'))?.copyId).toBe('c-B');
    const row = await hostB.pool.query<{ state: string; attempts: number }>(
      'SELECT state, attempts FROM relay_queue WHERE seq = $1',
      [first.seq],
    );
    expect(row.rows[0]).toMatchObject({ state: 'done', attempts: 0 });
  });
});
