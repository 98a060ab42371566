import { expect } from 'vitest';
import { RESPONSE_SCHEMA } from '../../adapters/store/response/response-schema.js';
import { createResponseStore } from '../../adapters/store/response/response-store.js';
import type { ResponseStore } from '../../bot/response/response-ports.js';
import { adoptionSuite } from '../support/legacy-feature.js';

// Guided response's tables made by the old module runner are adopted on both backends: every action record
// and audit line kept (PostgreSQL's text instants become timestamptz) and served by the new store.

const action = (actionId: string, state: string, at: string, remoteId: string | null, version: number) => ({
  customer_id: 'contoso',
  incident_id: '101',
  action_id: actionId,
  state,
  by_name: 'Alice (Contoso)',
  at,
  note: state === 'completed' ? 'isolated by hand' : null,
  remote_id: remoteId,
  version,
});
const audit = (id: string, actionId: string, event: string, at: string, commentedAt: string | null) => ({
  id,
  customer_id: 'contoso',
  incident_id: '101',
  action_id: actionId,
  event,
  actor: 'slack:U0ALICE',
  actor_name: 'Alice (Contoso)',
  at,
  text: `${event} by Alice`,
  commented_at: commentedAt,
  comment_attempts: commentedAt === null ? 2 : 1,
});

adoptionSuite<ResponseStore>({
  schema: RESPONSE_SCHEMA,
  fixtures: { sqlite: 'sqlite-response-v1.sql', postgres: 'postgres-response-v1.sql' },
  rows: {
    response_actions: [
      action('a1', 'completed', '2026-11-20T09:00:00.000Z', null, 1),
      action('a2', 'inProgress', '2026-11-20T09:05:00.250Z', 'machine-action-7', 3),
    ],
    response_audit: [
      audit('au-1', 'a1', 'completed', '2026-11-20T09:00:00.000Z', '2026-11-20T09:00:05.000Z'),
      audit('au-2', 'a2', 'runRequested', '2026-11-20T09:05:00.250Z', null),
    ],
  },
  keys: { response_actions: 'customer_id, incident_id, action_id', response_audit: 'id' },
  postgresTypes: {
    'response_actions.at': 'timestamp with time zone',
    'response_audit.at': 'timestamp with time zone',
    'response_audit.commented_at': 'timestamp with time zone',
  },
  open: createResponseStore,
  async served(store) {
    const records = await store.getRecords('contoso', '101');
    expect(records.map((r) => [r.actionId, r.state, r.at, r.remoteId, r.version])).toEqual([
      ['a1', 'completed', '2026-11-20T09:00:00.000Z', null, 1],
      ['a2', 'inProgress', '2026-11-20T09:05:00.250Z', 'machine-action-7', 3],
    ]);
    expect((await store.listRunning(10)).map((r) => r.actionId)).toEqual(['a2']);
    const lines = await store.listAudit('contoso', '101');
    expect(lines.map((l) => [l.id, l.at, l.commentedAt, l.commentAttempts])).toEqual([
      ['au-1', '2026-11-20T09:00:00.000Z', '2026-11-20T09:00:05.000Z', 1],
      ['au-2', '2026-11-20T09:05:00.250Z', null, 2],
    ]);
    expect((await store.listUncommented(3, 10)).map((l) => l.id)).toEqual(['au-2']);
    // The run finishes on the adopted row: the compare-and-set continues from its version.
    const running = records[1];
    if (running === undefined) throw new Error('the running record was not served');
    const { version: _seen, ...rest } = running;
    const done = await store.record({
      record: { ...rest, state: 'completed', at: '2026-11-20T09:10:00.000Z' },
      expectedVersion: 3,
      audit: {
        id: 'au-3',
        customerId: 'contoso',
        incidentId: '101',
        actionId: 'a2',
        event: 'runCompleted',
        actor: 'system',
        actorName: 'Defender',
        at: '2026-11-20T09:10:00.000Z',
        text: 'run completed',
      },
    });
    expect(done?.version).toBe(4);
    expect(await store.listRunning(10)).toEqual([]);
  },
});
