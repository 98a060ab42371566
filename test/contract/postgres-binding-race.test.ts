import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPostgresStore } from '../../adapters/postgres/postgres-store.js';
import type { ChannelBinding } from '../../bot/domain/conversation.js';
import { createTestSchema, type TestSchema } from '../support/pg-schema.js';

// Two instances saving the same binding at the same moment (the dev console's demo bindings when replicas
// start together; the scale e2e test once failed start-up on it). Here the other instance's save is held open
// in a transaction, so this instance's save blocks behind it and must then succeed as an update. The exact
// race the store also guards against — both inserts passing PostgreSQL's arbiter pre-check together, so the
// loser trips the binding id's own unique index (23505) — cannot be forced from outside; saveBinding retries
// its upsert once on 23505 for it.

let schema: TestSchema;
beforeAll(async () => {
  schema = await createTestSchema('binding_race');
});
afterAll(async () => {
  await schema?.drop();
});

const binding: ChannelBinding = {
  id: 'console-contoso',
  customerId: 'contoso',
  conversation: { platform: 'web', id: 'web:alerts:contoso', threadId: null, kind: 'channel' },
  events: ['handoff'],
  onCall: null,
  createdBy: 'system:dev-console',
  createdAt: '2026-11-27T08:00:00.000Z',
  paused: false,
};

it('lets a second instance save the binding another one is saving at that moment', async () => {
  const store = await createPostgresStore({
    connectionString: schema.connectionString,
    schema: schema.schema,
  });
  const other = new pg.Client({ connectionString: schema.databaseUrl });
  await other.connect();
  try {
    await other.query('BEGIN');
    await other.query(
      `INSERT INTO bindings (customer_id, conversation_id, id, conversation, events, on_call, created_by,
         created_at, paused) VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, false)`,
      [
        binding.customerId,
        binding.conversation.id,
        binding.id,
        JSON.stringify(binding.conversation),
        JSON.stringify(binding.events),
        binding.createdBy,
        binding.createdAt,
      ],
    );
    const saving = store.saveBinding(binding);
    // Let the store's upsert reach the server and block behind the open transaction.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await other.query('COMMIT');
    await saving;
    expect(await store.listBindings('contoso')).toStrictEqual([binding]);
  } finally {
    await other.end();
    await store.close();
  }
});
