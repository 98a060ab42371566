import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../../bot/ports.js';
import { createTestSchema, type TestSchema } from '../../support/pg-schema.js';
import { startTestBot, type TestBot } from '../../support/start-test-bot.js';

// The features' stores wired on PostgreSQL, with the same semantics as on SQLite: the real bot in-process with
// DATABASE_URL on a schema of this file's own, driven through the dev console over HTTP — a question asked,
// claimed, answered and resolved; a guided-response decision; an SDM check-in and a customer's edit — and each
// checked in PostgreSQL's own tables, so nothing silently fell back to SQLite or stayed in memory.

let schema: TestSchema;
let t: TestBot;
let db: pg.Client;
beforeAll(async () => {
  schema = await createTestSchema('features_e2e');
  t = await startTestBot({ DATABASE_URL: schema.databaseUrl, RELAY_SETTLE_MS: '0' });
  db = new pg.Client({ connectionString: schema.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await t?.cleanup();
  await schema?.drop();
});

const json = (x: unknown): string => JSON.stringify(x);
const texts = (replies: readonly Reply[]): string => replies.map((r) => r.text).join('\n');
const rows = async (sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> =>
  (await db.query(sql, params)).rows as Record<string, unknown>[];

async function api(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${t.url}/console/api${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
async function turn(personaId: string, body: Record<string, unknown>): Promise<readonly Reply[]> {
  const res = await api('/turn', { personaId, deliveryId: randomUUID(), ...body });
  expect(res.status).toBe(200);
  return (res.json.replies as Reply[] | undefined) ?? [];
}
interface FeedPost {
  readonly messageId: string;
  readonly reply: Reply;
  readonly thread: readonly { readonly reply: Reply }[];
}
async function feed(conversation: string): Promise<readonly FeedPost[]> {
  const res = await fetch(
    `${t.url}/console/api/alerts?conversation=${encodeURIComponent(conversation)}&since=0`,
  );
  return ((await res.json()) as { posts: FeedPost[] }).posts;
}
async function until<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 100; i += 1) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
function executes(card: unknown): { verb: string; data: Record<string, unknown> }[] {
  const out: { verb: string; data: Record<string, unknown> }[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (typeof n === 'object' && n !== null) {
      const o = n as Record<string, unknown>;
      if (o.type === 'Action.Execute')
        out.push({ verb: String(o.verb), data: o.data as Record<string, unknown> });
      for (const [k, v] of Object.entries(o)) if (k !== 'refresh') walk(v);
    }
  };
  walk(card);
  return out;
}

describe('feature stores wired on PostgreSQL', () => {
  it('runs on PostgreSQL with every feature module migrated in its schema', async () => {
    // No feature said it is off or read-only on PostgreSQL (what the wiring logged before its stores existed).
    expect(t.problems.filter((p) => /PostgreSQL|read-only|are off/.test(p.msg ?? ''))).toEqual([]);
    // Recorded by the feature migrator (kysely_migration_<feature>), or by the old runner (schema_modules).
    const recorded = await rows(
      `SELECT substr(table_name, 18) AS module FROM information_schema.tables
        WHERE table_schema = $1 AND table_name LIKE 'kysely_migration\\_%' AND table_name <> 'kysely_migration_lock'
       UNION SELECT module FROM schema_modules`,
      [schema.schema],
    );
    expect(recorded.map((r) => r.module)).toEqual(
      expect.arrayContaining(['core', 'questions', 'relay', 'response', 'sdm']),
    );
  });

  it('keeps a question and its relayed thread in PostgreSQL through claim, answer and resolve', async () => {
    const asked = await turn('contoso-analyst', { text: 'ask Is the 03:00 sign-in from Lagos expected?' });
    const id = /Question (Q-[0-9A-Z]+)/.exec(json(asked))?.[1];
    if (id === undefined) throw new Error(`no question id in ${json(asked)}`);
    expect(await rows('SELECT state, customer_id FROM questions WHERE id = $1', [id])).toEqual([
      { state: 'open', customer_id: 'contoso' },
    ]);
    const card = await until(
      async () => (await feed('web:experts-queue')).find((p) => json(p.reply).includes(id)),
      'the queue card',
    );
    expect(json(await turn('expert', { action: { verb: 'question.claim', data: { id } } }))).toContain(
      'Claimed by',
    );
    await turn('expert', {
      text: 'Expected: the user is travelling.',
      conversation: 'web:experts-queue',
      threadId: card.messageId,
    });
    await until(
      async () => (await feed('web:contoso-analyst')).find((p) => json(p.reply).includes('travelling')),
      'the answer in the analyst’s feed',
    );
    await turn('expert', { action: { verb: 'question.resolve', data: { id } } });
    expect((await rows('SELECT state FROM questions WHERE id = $1', [id]))[0]?.state).toBe('resolved');
    const pairs = await rows("SELECT id FROM relay_pairs WHERE kind = 'question' AND subject_id = $1", [id]);
    expect(pairs).toHaveLength(1);
    const done = await rows("SELECT op FROM relay_queue WHERE pair_id = $1 AND state = 'done' ORDER BY seq", [
      pairs[0]?.id,
    ]);
    expect(done.map((r) => r.op)).toEqual(expect.arrayContaining(['root', 'post']));
  });

  it('records a guided-response decision and its audit line in PostgreSQL', async () => {
    const created = await api('/sim/create', { personaId: 'expert', customerId: 'contoso' });
    const incidentId = String((created.json.incident as { id?: string } | undefined)?.id ?? created.json.id);
    const target = { personaId: 'expert', customerId: 'contoso', incidentId };
    await api('/sim/start', target);
    await api('/sim/classify', {
      ...target,
      classification: 'truePositive',
      determination: 'malware',
      summary: 'Malware.',
    });
    await api('/sim/handoff', target);
    const [card] = await turn('contoso-responder', { text: `incident ${incidentId}` });
    const done = executes(card?.card).find((a) => a.verb === 'response.done');
    expect(done).toBeDefined();
    const [after] = await turn('contoso-responder', { action: { verb: 'response.done', data: done?.data } });
    expect(after?.text).toMatch(/Completed \(Completed by Contoso Ltd responder/);
    // The same click again (a double click or a retry) changes nothing.
    await turn('contoso-responder', { action: { verb: 'response.done', data: done?.data } });
    const records = await rows(
      "SELECT state, version FROM response_actions WHERE customer_id = 'contoso' AND incident_id = $1",
      [incidentId],
    );
    expect(records).toEqual([{ state: 'completed', version: 1 }]);
    const audit = await rows(
      "SELECT event FROM response_audit WHERE customer_id = 'contoso' AND incident_id = $1",
      [incidentId],
    );
    expect(audit).toEqual([{ event: 'completed' }]);
  });

  it('keeps an SDM check-in and the customer’s edit in PostgreSQL', async () => {
    const started = await turn('sdm:dana@provider.example', { text: 'checkin start contoso' });
    expect(texts(started)).toMatch(/Posted check-in #1 to 1 Contoso Ltd channel/);
    expect(await rows("SELECT number FROM sdm_checkins WHERE customer_id = 'contoso'")).toEqual([
      { number: 1 },
    ]);
    const saved = await turn('contoso-analyst', {
      action: {
        verb: 'checkin.save',
        data: { customer: 'contoso', key: 'readiness:devices', itemState: 'planned', itemOwner: 'Alex' },
      },
    });
    expect(saved[0]?.mode).toBe('replace');
    expect(
      await rows(
        "SELECT state, owner FROM sdm_checklist_items WHERE customer_id = 'contoso' AND item_key = 'readiness:devices'",
      ),
    ).toEqual([{ state: 'planned', owner: 'Alex' }]);
  });

  it('posts one check-in when an SDM starts one twice at once, and says the other is open', async () => {
    const both = (
      await Promise.all([
        turn('sdm:dana@provider.example', { text: 'checkin start woodgrove' }),
        turn('sdm:dana@provider.example', { text: 'checkin start woodgrove' }),
      ])
    ).map(texts);
    expect(both.filter((x) => /Check-in started/.test(x))).toHaveLength(1);
    expect(both.filter((x) => /Check-in #1 is still open/.test(x))).toHaveLength(1);
    expect(await rows("SELECT number FROM sdm_checkins WHERE customer_id = 'woodgrove'")).toEqual([
      { number: 1 },
    ]);
  });

  it('logged no error on the way', () => {
    expect(t.problems.filter((p) => p.level === 'error')).toEqual([]);
  });
});
