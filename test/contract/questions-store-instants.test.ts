import { expect } from 'vitest';
import { createQuestionsStore } from '../../adapters/store/questions/questions-store.js';
import type { Question } from '../../bot/domain/question.js';
import type { QuestionsStore } from '../../bot/questions/questions-ports.js';
import { onBothDatabases } from '../support/pg-feature-host.js';

// The questions store's timestamp columns take instants only: text that is none is the caller's bad_input,
// the same on both databases (PostgreSQL's timestamptz would refuse it as a database failure, SQLite's text
// would keep it and compare it as text), and nothing is written.

const NOT_AN_INSTANT = 'yesterday-ish';
const T0 = '2026-11-20T08:00:00.000Z';

const question = (id: string, createdAt: string): Question => ({
  ...{ id, customerId: 'contoso', askerId: 'slack:U0ALICE', askerName: 'Alice', topic: 'other' },
  ...{ text: 'Is this sign-in expected?', context: null, incidentId: null, state: 'open' },
  ...{ claimedBy: null, claimedByName: null, createdAt, firstResponseAt: null, resolvedAt: null },
  ...{ resolvedBy: null, reopenCount: 0, lastActivityAt: T0 },
});

async function refusesText(store: QuestionsStore): Promise<void> {
  const badInput = { code: 'bad_input', message: expect.stringContaining(NOT_AN_INSTANT) };
  await expect(store.create(question('Q-BAD', NOT_AN_INSTANT), null)).rejects.toMatchObject(badInput);
  expect(await store.get('contoso', 'Q-BAD')).toBeNull();
  const since = { key: 'k1', since: NOT_AN_INSTANT };
  await expect(store.create(question('Q-BAD2', T0), null, since)).rejects.toMatchObject(badInput);
  const allocation = { from: NOT_AN_INSTANT, to: T0, limit: 5 };
  await expect(store.create(question('Q-BAD3', T0), allocation)).rejects.toMatchObject(badInput);
  expect(await store.listByAsker('contoso', 'slack:U0ALICE', 10)).toEqual([]);

  const q = question('Q-GOOD', T0);
  await store.create(q, null);
  const patch = { state: 'claimed' as const, lastActivityAt: NOT_AN_INSTANT };
  await expect(store.transition('contoso', q.id, { from: ['open'], patch })).rejects.toMatchObject(badInput);
  await expect(store.countCreated('contoso', NOT_AN_INSTANT, T0)).rejects.toMatchObject(badInput);
  await expect(store.purgeBefore(NOT_AN_INSTANT)).rejects.toMatchObject(badInput);
  expect(await store.get('contoso', q.id)).toEqual(q);
}

onBothDatabases('questions store: instants only', 'questions_instants', createQuestionsStore, refusesText);
