import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../../adapters/postgres/postgres-store.js';
import { createSqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { QUESTIONS_SCHEMA } from '../../adapters/store/questions/questions-schema.js';
import { createQuestionsStore } from '../../adapters/store/questions/questions-store.js';
import type { Question } from '../../bot/domain/question.js';
import type { QuestionsStore } from '../../bot/questions/questions-ports.js';
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

// A questions table made by the old module runner (its exact DDL in test/fixtures/legacy-store, rows as that
// code wrote them) is adopted on both backends: no row lost or altered, PostgreSQL's text instants become
// timestamptz, and the store serves every row — the resend key included.

const base: Omit<Question, 'id' | 'customerId' | 'state'> = {
  askerId: 'slack:U0ALICE',
  askerName: 'Alice',
  topic: 'deviceCompromise',
  text: 'Is this sign-in expected? <!channel>',
  context: 'device WS-42',
  incidentId: '42',
  claimedBy: null,
  claimedByName: null,
  createdAt: '2026-11-20T08:00:00.000Z',
  firstResponseAt: null,
  resolvedAt: null,
  resolvedBy: null,
  reopenCount: 0,
  lastActivityAt: '2026-11-20T08:00:00.000Z',
};
const questions: Question[] = [
  { ...base, id: 'Q-OPEN1', customerId: 'contoso', state: 'open' },
  {
    ...base,
    id: 'Q-DONE2',
    customerId: 'contoso',
    state: 'resolved',
    topic: 'other',
    context: null,
    incidentId: null,
    claimedBy: 'web:expert',
    claimedByName: 'Eve',
    createdAt: '2026-10-02T09:30:00.250Z',
    firstResponseAt: '2026-10-02T10:00:00.000Z',
    resolvedAt: '2026-10-03T11:00:00.000Z',
    resolvedBy: 'expert',
    reopenCount: 1,
    lastActivityAt: '2026-10-03T11:00:00.000Z',
  },
  { ...base, id: 'Q-FAB3', customerId: 'fabrikam', state: 'claimed', claimedBy: 'slack:U0EVE' },
];
const KEY = 'web:alice:fingerprint';

const legacyRows: Dump = {
  questions: questions.map((q) => ({
    id: q.id,
    customer_id: q.customerId,
    asker_id: q.askerId,
    asker_name: q.askerName,
    topic: q.topic,
    text: q.text,
    context: q.context,
    incident_id: q.incidentId,
    state: q.state,
    claimed_by: q.claimedBy,
    claimed_by_name: q.claimedByName,
    created_at: q.createdAt,
    first_response_at: q.firstResponseAt,
    resolved_at: q.resolvedAt,
    resolved_by: q.resolvedBy,
    reopen_count: q.reopenCount,
    last_activity_at: q.lastActivityAt,
    request_key: q.id === 'Q-OPEN1' ? KEY : null,
  })),
};
const KEYS = { questions: 'id' };
const names = QUESTIONS_SCHEMA.migrations.map((m) => m.name);

async function expectServed(store: QuestionsStore): Promise<void> {
  for (const q of questions) expect(await store.get(q.customerId, q.id)).toEqual(q);
  expect(await store.get('fabrikam', 'Q-OPEN1')).toBeNull();
  expect((await store.listByAsker('contoso', 'slack:U0ALICE', 10)).map((q) => q.id)).toEqual([
    'Q-OPEN1',
    'Q-DONE2',
  ]);
  expect((await store.listQueue(['open', 'claimed'], 10)).map((q) => q.id)).toEqual(['Q-FAB3', 'Q-OPEN1']);
  expect(await store.countCreated('contoso', '2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z')).toBe(2);
  // The old request's resend key still finds it.
  const again = await store.create({ ...base, id: 'Q-NEW4', customerId: 'contoso', state: 'open' }, null, {
    key: KEY,
    since: '2026-11-20T07:00:00.000Z',
  });
  expect(again).toEqual({ ok: true, question: questions[0], existing: true });
  const claimed = await store.transition('contoso', 'Q-OPEN1', {
    from: ['open'],
    patch: { state: 'claimed', claimedBy: 'web:expert', lastActivityAt: '2026-11-21T08:00:00.000Z' },
  });
  expect(claimed).toMatchObject({ state: 'claimed', lastActivityAt: '2026-11-21T08:00:00.000Z' });
}

describe('adopting a questions table made before the feature migrator: sqlite', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dxb-legacy-questions-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every row, records the old steps as applied and serves the rows', async () => {
    const file = join(dir, 'bot.sqlite');
    const before = makeLegacySqlite(file, 'sqlite-questions-v2.sql', legacyRows, KEYS);
    const core = await createSqliteStore({ file });
    try {
      const store = await createQuestionsStore(core.host);
      expectIntact(before, dumpSqlite(core.database, ['questions'], KEYS));
      const recorded = core.database.prepare('SELECT name FROM kysely_migration_questions ORDER BY name');
      expect(recorded.pluck().all()).toEqual(names);
      await expectServed(store);
    } finally {
      await core.close();
    }
  });
});

describe('adopting a questions table made before the feature migrator: postgres', () => {
  let schema: TestSchema;
  let client: pg.Client;
  beforeAll(async () => {
    schema = await createTestSchema('legacy_questions');
    client = new pg.Client({ connectionString: schema.databaseUrl });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await schema?.drop();
  });

  it('keeps every row, turns text instants into timestamptz and serves the rows', async () => {
    await makeLegacyPostgres(client, 'postgres-questions-v2.sql', legacyRows);
    const before = await dumpPostgres(client, ['questions'], KEYS);
    const core = await createPostgresStore({
      connectionString: schema.connectionString,
      schema: schema.schema,
    });
    try {
      const store = await createQuestionsStore(core.host);
      expectIntact(before, await dumpPostgres(client, ['questions'], KEYS));
      const types = await columnTypes(client, schema.schema);
      for (const c of ['created_at', 'first_response_at', 'resolved_at', 'last_activity_at']) {
        expect(types[`questions.${c}`], c).toBe('timestamp with time zone');
      }
      const recorded = await client.query('SELECT name FROM kysely_migration_questions ORDER BY name');
      expect(recorded.rows.map((r: { name: string }) => r.name)).toEqual(names);
      await expectServed(store);
    } finally {
      await core.close();
    }
  });
});
