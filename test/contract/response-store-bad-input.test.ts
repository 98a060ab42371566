import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { createResponseStore } from '../../adapters/store/response/response-store.js';
import type { RecordDraft, ResponseStore } from '../../bot/response/response-ports.js';
import { onBothDatabases } from '../support/pg-feature-host.js';

// A record the guided-response store cannot take is the caller's bad_input (a BotError the edge maps like any
// other), the same on both databases, and nothing is written: an audit line for another action, or a time
// that is no instant.

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

onBothDatabases(
  'guided-response store: bad input',
  'response_bad_input',
  createResponseStore,
  refusesBadInput,
);
