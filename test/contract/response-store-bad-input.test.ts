import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { createResponseStore } from '../../adapters/store/response/response-store.js';
import type { RecordDraft, ResponseStore } from '../../bot/response/response-ports.js';
import { usePgFeatureHosts } from '../support/pg-feature-host.js';

// A record the guided-response store cannot take is the caller's bad_input (a BotError the edge maps like any
// other), the same on both databases, and nothing is written: an audit line for another action, or a time
// that is no instant.

const hosts = usePgFeatureHosts('response_bad_input');

const draft = (actionId: string, at: string): RecordDraft => {
  const ids = { customerId: 'contoso', incidentId: '101', actionId };
  return {
    record: { ...ids, state: 'completed', by: 'Alice', at, note: null, remoteId: null },
    expectedVersion: 0,
    audit: {
      id: randomUUID(),
      ...ids,
      event: 'completed',
      actor: 'slack:U0ALICE',
      actorName: 'Alice',
      at,
      text: 'done',
    },
  };
};

async function refusesBadInput(store: ResponseStore): Promise<void> {
  const good = draft(`act-${randomUUID().slice(0, 8)}`, '2026-11-27T10:00:00.000Z');
  const elsewhere = { ...good, audit: { ...good.audit, actionId: 'another-action' } };
  await expect(store.record(elsewhere)).rejects.toMatchObject({ name: 'BotError', code: 'bad_input' });
  const notAnInstant = draft(good.record.actionId, 'yesterday-ish');
  await expect(store.record(notAnInstant)).rejects.toMatchObject({ name: 'BotError', code: 'bad_input' });
  expect(await store.getRecords('contoso', '101')).toEqual([]);
  expect(await store.listAudit('contoso', '101')).toEqual([]);
  expect(await store.record(good)).toMatchObject({ version: 1 });
}

describe('guided-response store: bad input', () => {
  it('sqlite', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dxb-response-bad-input-'));
    const base = await createSqliteStore({ file: join(dir, 'bot.sqlite') });
    try {
      await refusesBadInput(await createResponseStore(base.host));
    } finally {
      await base.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('postgres', async () => {
    const base = await hosts.open();
    try {
      await refusesBadInput(await createResponseStore(base.host));
    } finally {
      await base.close();
    }
  });
});
