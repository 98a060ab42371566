import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../../adapters/postgres/postgres-store.js';
import { createSqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { CORE_SCHEMA } from '../../adapters/store/core/core-schema.js';
import type { CoreStore } from '../../adapters/store/core/core-store.js';
import { toRow } from '../../adapters/store/core/incident-rows.js';
import { LEGACY_FENCE } from '../../adapters/store/legacy.js';
import type { ChannelBinding } from '../../bot/domain/conversation.js';
import { makeIncident } from '../support/make-incident.js';
import { createTestSchema, type TestSchema } from '../support/pg-schema.js';
import { testClock } from '../support/test-clock.js';

// A database made by the code before the feature migrator (its exact DDL in test/fixtures/legacy-store, rows
// written the way that code wrote them) is adopted on both backends: no row lost or altered, PostgreSQL's
// text instants and JSON become timestamptz and jsonb, and the store then serves every row.

const fixture = (name: string): string =>
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'legacy-store', name), 'utf8');

const incidents = [
  makeIncident('contoso', {
    id: '101',
    displayName: 'Phishing on WS-LEGACY',
    status: 'awaitingAction',
    assignedTo: 'Customer',
    severity: 'high',
    lastUpdateDateTime: '2026-11-20T09:00:00.1234567Z',
  }),
  makeIncident('contoso', { id: '102', status: 'somethingNew', severity: 'informational' }),
  makeIncident('fabrikam', { id: '101', status: 'resolved' }),
];
const bindings: ChannelBinding[] = [
  {
    id: 'bind-1',
    customerId: 'contoso',
    conversation: { platform: 'teams', id: '19:abc@thread.tacv2', threadId: null, kind: 'channel' },
    events: ['new', 'update'],
    onCall: '<at>SOC</at>',
    createdBy: 'alice@contoso.example',
    createdAt: '2026-11-20T08:00:00.000Z',
    paused: false,
  },
  {
    id: 'bind-2',
    customerId: 'fabrikam',
    conversation: { platform: 'slack', id: 'T1:C0123', threadId: '1700000000.000100', kind: 'group' },
    events: ['new'],
    onCall: null,
    createdBy: 'bob@fabrikam.example',
    createdAt: '2026-11-21T10:30:00.250Z',
    paused: true,
  },
];
const FAR = Date.parse('2030-01-01T00:00:00.000Z');
const PAST = Date.parse('2026-01-01T00:00:00.000Z');

/** The rows of every core table, as the old code wrote them (booleans as JS values, made 0/1 for SQLite). */
const legacyRows: Record<string, Record<string, unknown>[]> = {
  // The old code's columns only: the urgency columns came later.
  incidents: incidents.map((i) => {
    const { severity_rank: _rank, handoff_key: _handoff, search_text: _search, ...old } = toRow(i);
    return old;
  }),
  cursors: [
    { customer_id: 'contoso', cursor: 'c-contoso-7' },
    { customer_id: 'fabrikam', cursor: 'c-fabrikam-2' },
  ],
  bindings: bindings.map((b) => ({
    customer_id: b.customerId,
    conversation_id: b.conversation.id,
    id: b.id,
    conversation: JSON.stringify(b.conversation),
    events: JSON.stringify(b.events),
    on_call: b.onCall,
    created_by: b.createdBy,
    created_at: b.createdAt,
    paused: b.paused,
  })),
  claims: [
    { key: 'teams:activity:live', expires_at: FAR },
    { key: 'teams:activity:old', expires_at: PAST },
  ],
  outbox: [
    outboxRow(1, '101', 'new', { title: 'first', n: 1 }, { lease_until: 0 }),
    outboxRow(2, '102', 'new', { title: 'second', nested: { a: [1, 2] } }, { lease_until: FAR }),
    outboxRow(3, '101', 'update', { title: 'done' }, { state: 'done', done_at: '2026-11-20T09:05:00.000Z' }),
  ],
  incident_posts: [
    {
      binding_id: 'bind-1',
      customer_id: 'contoso',
      incident_id: '101',
      message_id: '1700000000000',
      posted_at: '2026-11-20T09:01:02.003Z',
    },
  ],
  installations: [
    {
      platform: 'slack',
      key: 'T1',
      body: JSON.stringify({ team: { id: 'T1' }, bot: { token: 'xoxb-test' } }),
      updated_at: '2026-11-19T12:00:00.000Z',
    },
  ],
};

function outboxRow(
  id: number,
  incidentId: string,
  kind: string,
  payload: Record<string, unknown>,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  return {
    id,
    binding_id: 'bind-1',
    customer_id: 'contoso',
    incident_id: incidentId,
    kind,
    version: `v${id}`,
    payload: JSON.stringify(payload),
    state: 'pending',
    attempts: id - 1,
    not_before: PAST + id,
    scheduled: false,
    lease_until: 0,
    last_error: id === 2 ? 'HTTP 503' : null,
    created_at: `2026-11-20T09:0${id}:00.000Z`,
    done_at: null,
    ...extra,
  };
}

const KEYS: Record<string, string> = {
  incidents: 'customer_id, id',
  cursors: 'customer_id',
  bindings: 'customer_id, conversation_id',
  claims: 'key',
  outbox: 'id',
  incident_posts: 'binding_id, incident_id',
  installations: 'platform, key',
};

/** bigint columns, which pg returns as text. */
const INT8 = new Set(['claims.expires_at', 'outbox.id', 'outbox.not_before', 'outbox.lease_until']);

type Dump = Record<string, Record<string, unknown>[]>;

/** Every legacy column of every row kept, converted only to the column's new type. */
function expectIntact(before: Dump, after: Dump): void {
  for (const [table, rows] of Object.entries(before)) {
    const now = after[table] ?? [];
    expect(now.length, table).toBe(rows.length);
    rows.forEach((row, i) => {
      const next = now[i] ?? {};
      for (const [column, was] of Object.entries(row)) {
        const is = next[column];
        if (is instanceof Date) expect(is.toISOString(), `${table}.${column}`).toBe(was);
        else if (is !== null && typeof is === 'object')
          expect(is, `${table}.${column}`).toEqual(JSON.parse(String(was)));
        else expect(is, `${table}.${column}`).toStrictEqual(was);
      }
    });
  }
}

/** What the adopted store must serve from those rows. */
async function expectServed(store: CoreStore): Promise<void> {
  for (const incident of incidents) {
    expect(await store.getIncident(incident.customerId, incident.id)).toEqual(incident);
  }
  expect((await store.countByView('contoso')).all).toBe(2);
  // The list columns added later were filled from the old rows: search and the urgency order work.
  const found = await store.listIncidents({
    customerId: 'contoso',
    view: 'all',
    severity: null,
    terms: ['ws-legacy'],
    limit: 10,
    offset: 0,
  });
  expect(found.items.map((i) => i.id)).toEqual(['101']);
  const urgent = await store.listIncidents({
    customerId: 'contoso',
    view: 'awaiting',
    severity: 'high',
    limit: 10,
    offset: 0,
    order: 'urgency',
  });
  expect(Object.fromEntries(urgent.waitingSince ?? [])).toEqual({ '101': '2026-11-20T09:00:00.123Z' });
  expect(await store.getCursor('contoso')).toBe('c-contoso-7');
  expect(await store.listBindings('contoso')).toEqual([bindings[0]]);
  expect(await store.getBinding('bind-2')).toEqual(bindings[1]);
  expect(await store.getInstallation('slack', 'T1')).toEqual({
    team: { id: 'T1' },
    bot: { token: 'xoxb-test' },
  });
  expect(await store.getIncidentPost('bind-1', '101')).toEqual({
    bindingId: 'bind-1',
    customerId: 'contoso',
    incidentId: '101',
    messageId: '1700000000000',
    postedAt: '2026-11-20T09:01:02.003Z',
  });
  expect(await store.claimOnce('teams:activity:live', 60)).toBe(false);
  expect(await store.claimOnce('teams:activity:old', 60)).toBe(true);
  expect(await store.countPendingOutbox()).toBe(2);
  // The lease left by the old process is orphaned: recovered, both pending rows go out, payloads intact.
  expect(await store.recoverOutbox()).toBe(1);
  const items = await store.claimOutbox(10, 60_000, new Date(PAST + 10));
  expect(items.map((i) => [i.id, i.incidentId, i.payload, i.attempts, i.createdAt])).toEqual([
    [1, '101', { title: 'first', n: 1 }, 0, '2026-11-20T09:01:00.000Z'],
    [2, '102', { title: 'second', nested: { a: [1, 2] } }, 1, '2026-11-20T09:02:00.000Z'],
  ]);
  // And new rows continue after the old ids.
  expect(
    await store.enqueueOutbox([
      {
        bindingId: 'bind-1',
        customerId: 'contoso',
        incidentId: '103',
        kind: 'new',
        version: 'v4',
        payload: {},
      },
    ]),
  ).toBe(1);
  const next = await store.claimOutbox(10, 60_000, new Date(PAST + 200)); // the first two still leased
  expect(next.map((i) => i.id)).toEqual([4]);
}

describe('adopting a database made before the feature migrator: sqlite', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dxb-legacy-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const dump = (db: Database.Database): Dump =>
    Object.fromEntries(
      Object.keys(legacyRows).map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY ${KEYS[t]}`).all()]),
    ) as Dump;

  it('keeps every row, records the old steps as applied and serves the rows', async () => {
    const file = join(dir, 'bot.sqlite');
    const raw = new Database(file);
    raw.exec(fixture('sqlite-core-v3.sql'));
    for (const [table, rows] of Object.entries(legacyRows)) {
      for (const row of rows) {
        const values = Object.values(row).map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v));
        raw
          .prepare(
            `INSERT INTO ${table} (${Object.keys(row).join(', ')}) VALUES (${values.map(() => '?').join(', ')})`,
          )
          .run(...values);
      }
    }
    const before = dump(raw);
    raw.close();

    const store = await createSqliteStore({ file, clock: testClock(new Date(PAST + 100)) });
    try {
      const db = store.database;
      expectIntact(before, dump(db));
      expect(db.prepare('SELECT count(*) AS n FROM outbox WHERE lease_owner IS NOT NULL').get()).toEqual({
        n: 0,
      });
      const names = db.prepare('SELECT name FROM kysely_migration_core ORDER BY name').pluck().all();
      expect(names).toEqual(CORE_SCHEMA.migrations.map((m) => m.name));
      expect(db.pragma('user_version', { simple: true })).toBe(LEGACY_FENCE);
      await expectServed(store);
    } finally {
      await store.close();
    }
    // Opening it again changes nothing more.
    const again = await createSqliteStore({ file });
    expect(again.database.prepare('SELECT count(*) AS n FROM kysely_migration_core').get()).toEqual({
      n: CORE_SCHEMA.migrations.length,
    });
    await again.close();
  });
});

describe('adopting a database made before the feature migrator: postgres', () => {
  let schema: TestSchema;
  let client: pg.Client;
  beforeAll(async () => {
    schema = await createTestSchema('legacy');
    client = new pg.Client({ connectionString: schema.databaseUrl });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await schema?.drop();
  });

  const dump = async (): Promise<Dump> => {
    const out: Dump = {};
    for (const t of Object.keys(legacyRows)) {
      const r = await client.query(`SELECT * FROM ${t} ORDER BY ${KEYS[t]}`);
      out[t] = r.rows.map((row: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, INT8.has(`${t}.${k}`) ? Number(v) : v])),
      );
    }
    return out;
  };

  it('keeps every row, turns text instants and JSON into timestamptz and jsonb, and serves the rows', async () => {
    await client.query(fixture('postgres-core-v3.sql'));
    for (const [table, rows] of Object.entries(legacyRows)) {
      for (const row of rows) {
        const values = Object.values(row);
        await client.query(
          `INSERT INTO ${table} (${Object.keys(row).join(', ')}) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')})`,
          values,
        );
      }
    }
    await client.query(`UPDATE outbox SET lease_owner = 'gone-instance' WHERE lease_until > 0`);
    await client.query(`SELECT setval(pg_get_serial_sequence('outbox', 'id'), 3)`);
    const before = await dump();

    const store = await createPostgresStore({
      connectionString: schema.connectionString,
      schema: schema.schema,
      clock: testClock(new Date(PAST + 100)),
      instanceId: 'adopter',
    });
    try {
      expectIntact(before, await dump());
      const types = await client.query(
        `SELECT table_name || '.' || column_name AS c, data_type FROM information_schema.columns
          WHERE table_schema = $1 AND data_type IN ('jsonb', 'timestamp with time zone', 'text')
            AND table_name IN ('incidents', 'bindings', 'outbox', 'incident_posts', 'installations')`,
        [schema.schema],
      );
      const typeOf = Object.fromEntries(
        types.rows.map((r: { c: string; data_type: string }) => [r.c, r.data_type]),
      );
      for (const c of [
        'incidents.body',
        'bindings.conversation',
        'bindings.events',
        'outbox.payload',
        'installations.body',
      ]) {
        expect(typeOf[c], c).toBe('jsonb');
      }
      for (const c of [
        'bindings.created_at',
        'outbox.created_at',
        'outbox.done_at',
        'incident_posts.posted_at',
        'installations.updated_at',
      ]) {
        expect(typeOf[c], c).toBe('timestamp with time zone');
      }
      const names = await client.query('SELECT name FROM kysely_migration_core ORDER BY name');
      expect(names.rows.map((r: { name: string }) => r.name)).toEqual(
        CORE_SCHEMA.migrations.map((m) => m.name),
      );
      const fence = await client.query('SELECT max(version) AS v FROM schema_migrations');
      expect(fence.rows[0]?.v).toBe(LEGACY_FENCE);
      await expectServed(store);
    } finally {
      await store.close();
    }
  });
});
