import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../../adapters/postgres/postgres-store.js';
import { createSqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { RELAY_SCHEMA } from '../../adapters/store/relay/relay-schema.js';
import { createRelayStore } from '../../adapters/store/relay/relay-store.js';
import type { ConversationRef } from '../../bot/domain/conversation.js';
import type { Reply } from '../../bot/ports.js';
import type { RelayStore } from '../../bot/relay/relay-ports.js';
import type { RelayPair } from '../../bot/relay/types.js';
import {
  columnTypes,
  type Dump,
  dumpPostgres,
  dumpSqlite,
  expectIntact,
  makeLegacyPostgres,
  makeLegacySqlite,
} from '../support/legacy-dump.js';
import { createTestSchema, type TestSchema } from '../support/pg-schema.js';

// The relay's tables made by the old module runner (their exact DDL in test/fixtures/legacy-store, rows as
// that code wrote them) are adopted on both backends: no row lost or altered, PostgreSQL's text instants,
// JSON and 0/1 flags become timestamptz, jsonb and boolean, and the store serves every row — the old
// process's orphaned lease is recovered and its queued message goes out intact.

const T0 = Date.parse('2026-11-20T08:00:00.000Z');
const at = (s: number): string => new Date(T0 + s * 1000).toISOString();
const slack = (id: string): ConversationRef => ({ platform: 'slack', id, threadId: null, kind: 'channel' });
const dm: ConversationRef = { platform: 'teams', id: 'teams:dm-dana', threadId: null, kind: 'personal' };

const pairs: RelayPair[] = [
  {
    id: 'rp-1',
    kind: 'question',
    customerId: 'contoso',
    subjectId: 'Q-1',
    customer: { conversation: slack('slack:T1:C1'), threadId: '1700000000.000100', wholeConversation: false },
    provider: { conversation: slack('slack:T2:CQ'), threadId: '1700000001.000200', wholeConversation: false },
    providerLabel: 'Defender Experts',
    title: '',
    createdAt: at(0),
    lastActivityAt: at(5),
  },
  {
    id: 'rp-2',
    kind: 'sdm',
    customerId: 'fabrikam',
    subjectId: 'sdm-fabrikam',
    customer: { conversation: slack('slack:T3:C9'), threadId: '1700000002.000300', wholeConversation: false },
    provider: { conversation: dm, threadId: null, wholeConversation: true },
    providerLabel: 'Dana (SDM)',
    title: 'Fabrikam · service review',
    createdAt: at(1),
    lastActivityAt: at(9),
  },
];
const message = (text: string): Reply => ({ text, card: null, mode: 'new' });

const pairRow = (p: RelayPair) => ({
  id: p.id,
  kind: p.kind,
  customer_id: p.customerId,
  subject_id: p.subjectId,
  customer_conv: p.customer.conversation.id,
  customer_ref: JSON.stringify(p.customer.conversation),
  customer_thread: p.customer.threadId,
  customer_whole: p.customer.wholeConversation ? 1 : 0,
  provider_conv: p.provider.conversation.id,
  provider_ref: JSON.stringify(p.provider.conversation),
  provider_thread: p.provider.threadId,
  provider_whole: p.provider.wholeConversation ? 1 : 0,
  provider_label: p.providerLabel,
  created_at: p.createdAt,
  last_activity_at: p.lastActivityAt,
  title: p.title,
});
const queueRow = (seq: number, state: string, leased: boolean) => ({
  seq,
  pair_id: 'rp-1',
  dedup_key: `rp-1:in:${seq}`,
  to_side: 'provider',
  op: 'post',
  source_id: `src-${seq}`,
  source_at: at(seq),
  message: JSON.stringify(message(`m${seq} <!channel>`)),
  state,
  attempts: seq - 1,
  not_before: at(seq),
  leased_until: leased ? at(600) : null,
  last_error: seq === 2 ? 'HTTP 503' : null,
  created_at: at(seq),
});

/** As the old code wrote them; PostgreSQL's queue also named the lessee (an instance now gone). */
const legacyRows = (dialect: 'sqlite' | 'postgres'): Dump => ({
  relay_pairs: pairs.map(pairRow),
  relay_queue: [
    queueRow(1, 'done', false),
    queueRow(2, 'pending', true),
    queueRow(3, 'abandoned', false),
  ].map((r) =>
    dialect === 'postgres' ? { ...r, leased_by: r.leased_until === null ? null : 'gone-instance' } : r,
  ),
  relay_copies: [
    { pair_id: 'rp-1', to_side: 'provider', source_id: 'src-1', copy_id: 'c-1', version: at(1), deleted: 0 },
    { pair_id: 'rp-1', to_side: 'provider', source_id: 'src-0', copy_id: null, version: at(0), deleted: 1 },
  ],
  relay_held: [
    {
      conversation_id: dm.id,
      source_id: 'm-9',
      author: 'teams:aad-dana',
      text: 'Which one?',
      held_at: at(7),
    },
  ],
  relay_reads: [{ pair_id: 'rp-2', reader: 'teams:aad-dana', read_at: at(8) }],
});
const KEYS = {
  relay_pairs: 'id',
  relay_queue: 'seq',
  relay_copies: 'pair_id, to_side, source_id',
  relay_held: 'conversation_id, source_id',
  relay_reads: 'pair_id, reader',
};
const TABLES = Object.keys(KEYS);
const names = RELAY_SCHEMA.migrations.map((m) => m.name);

async function expectServed(store: RelayStore): Promise<void> {
  for (const p of pairs) expect(await store.getPair(p.id)).toEqual(p);
  expect(await store.findByThread('slack:T2:CQ', '1700000001.000200')).toEqual({
    pair: pairs[0],
    side: 'provider',
  });
  expect(await store.listWhole(dm.id, 10)).toEqual([{ pair: pairs[1], side: 'provider' }]);
  expect(await store.findByCopy('slack:T2:CQ', 'c-1')).toEqual({ pair: pairs[0], side: 'provider' });
  expect(await store.getCopy('rp-1', 'provider', 'src-0')).toEqual({
    pairId: 'rp-1',
    to: 'provider',
    sourceId: 'src-0',
    copyId: null,
    version: at(0),
    deleted: true,
  });
  expect(await store.getHeld(dm.id, 'm-9')).toMatchObject({ text: 'Which one?', heldAt: at(7) });
  expect(Object.fromEntries(await store.readMarks('teams:aad-dana', ['rp-1', 'rp-2']))).toEqual({
    'rp-2': at(8),
  });
  expect(await store.pairOfItem('rp-1:in:3')).toBe('rp-1');
  expect(await store.countPending()).toBe(1);
  // The old process's lease is orphaned: recovered, its item goes out as it was queued.
  expect(await store.claimHeads(new Date(at(60)), 60_000, 10)).toEqual([]);
  expect(await store.recover()).toBe(1);
  const [item, ...rest] = await store.claimHeads(new Date(at(60)), 60_000, 10);
  expect(rest).toEqual([]);
  expect(item).toEqual({
    seq: 2,
    pairId: 'rp-1',
    dedupKey: 'rp-1:in:2',
    to: 'provider',
    op: 'post',
    sourceId: 'src-2',
    sourceAt: at(2),
    message: message('m2 <!channel>'),
    notBefore: at(2),
    attempts: 1,
  });
  await store.complete(2, {
    copy: {
      pairId: 'rp-1',
      to: 'provider',
      sourceId: 'src-2',
      copyId: 'c-2',
      version: at(2),
      deleted: false,
    },
  });
  expect((await store.getCopy('rp-1', 'provider', 'src-2'))?.copyId).toBe('c-2');
  // New items continue after the old sequence numbers.
  const draft = {
    pairId: 'rp-1',
    dedupKey: 'rp-1:in:new',
    to: 'provider' as const,
    op: 'post' as const,
    sourceId: 'src-new',
    sourceAt: at(70),
    message: message('new'),
    notBefore: at(70),
  };
  expect(await store.enqueue([draft], at(70))).toBe(1);
  expect((await store.claimHeads(new Date(at(80)), 60_000, 10)).map((i) => i.seq)).toEqual([4]);
  expect((await store.getPair('rp-1'))?.lastActivityAt).toBe(at(70));
}

describe('adopting relay tables made before the feature migrator: sqlite', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dxb-legacy-relay-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every row, records the old steps as applied and serves the rows', async () => {
    const file = join(dir, 'bot.sqlite');
    const before = makeLegacySqlite(file, 'sqlite-relay-v4.sql', legacyRows('sqlite'), KEYS);
    const core = await createSqliteStore({ file });
    try {
      const store = await createRelayStore(core.host);
      const after = dumpSqlite(core.database, TABLES, KEYS);
      expectIntact(before, after);
      expect(after.relay_queue?.map((r) => r.leased_by)).toEqual([null, null, null]);
      const recorded = core.database.prepare('SELECT name FROM kysely_migration_relay ORDER BY name');
      expect(recorded.pluck().all()).toEqual(names);
      await expectServed(store);
    } finally {
      await core.close();
    }
  });
});

describe('adopting relay tables made before the feature migrator: postgres', () => {
  let schema: TestSchema;
  let client: pg.Client;
  beforeAll(async () => {
    schema = await createTestSchema('legacy_relay');
    client = new pg.Client({ connectionString: schema.databaseUrl });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await schema?.drop();
  });

  it('keeps every row, turns instants, JSON and flags into timestamptz, jsonb and boolean, and serves the rows', async () => {
    await makeLegacyPostgres(client, 'postgres-relay-v4.sql', legacyRows('postgres'));
    await client.query(`SELECT setval(pg_get_serial_sequence('relay_queue', 'seq'), 3)`);
    const int8 = new Set(['relay_queue.seq']);
    const before = await dumpPostgres(client, TABLES, KEYS, int8);
    const core = await createPostgresStore({
      connectionString: schema.connectionString,
      schema: schema.schema,
      instanceId: 'adopter',
    });
    try {
      const store = await createRelayStore(core.host);
      expectIntact(before, await dumpPostgres(client, TABLES, KEYS, int8));
      const types = await columnTypes(client, schema.schema);
      const expected: Record<string, string> = {
        'relay_pairs.customer_ref': 'jsonb',
        'relay_pairs.provider_ref': 'jsonb',
        'relay_pairs.customer_whole': 'boolean',
        'relay_pairs.provider_whole': 'boolean',
        'relay_pairs.created_at': 'timestamp with time zone',
        'relay_pairs.last_activity_at': 'timestamp with time zone',
        'relay_queue.message': 'jsonb',
        'relay_queue.source_at': 'timestamp with time zone',
        'relay_queue.not_before': 'timestamp with time zone',
        'relay_queue.leased_until': 'timestamp with time zone',
        'relay_queue.created_at': 'timestamp with time zone',
        'relay_copies.version': 'timestamp with time zone',
        'relay_copies.deleted': 'boolean',
        'relay_held.held_at': 'timestamp with time zone',
        'relay_reads.read_at': 'timestamp with time zone',
      };
      expect(Object.fromEntries(Object.keys(expected).map((c) => [c, types[c]]))).toEqual(expected);
      const recorded = await client.query('SELECT name FROM kysely_migration_relay ORDER BY name');
      expect(recorded.rows.map((r: { name: string }) => r.name)).toEqual(names);
      await expectServed(store);
    } finally {
      await core.close();
    }
  });
});
