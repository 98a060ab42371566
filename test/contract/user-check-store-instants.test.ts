import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { createUserCheckStore } from '../../adapters/store/user-check/user-check-store.js';
import type { UserCheckDraft, UserCheckStore } from '../../bot/user-check/user-check-ports.js';
import { onBothDatabases } from '../support/pg-feature-host.js';

// The "Was this you?" store's timestamp columns take instants only: text that is none is the caller's
// bad_input, the same on both databases (PostgreSQL's timestamptz would refuse it, SQLite's text would keep
// it), and nothing is written.

const NOT_AN_INSTANT = 'yesterday-ish';

const draft = (createdAt: string): UserCheckDraft => ({
  id: `UC-${randomUUID().slice(0, 8).toUpperCase()}`,
  customerId: 'contoso',
  incidentId: '101',
  upn: 'alex@contoso.example',
  platform: 'web',
  targetUserId: 'alex',
  dm: null,
  seen: 'a sign-in',
  requesterId: 'web:dana',
  requester: { platform: 'web', workspace: 'console', userId: 'dana', name: 'Dana', direct: null },
  createdAt,
});

async function refusesText(store: UserCheckStore): Promise<void> {
  const badInput = { code: 'bad_input', message: expect.stringContaining(NOT_AN_INSTANT) };
  await expect(store.create(draft(NOT_AN_INSTANT))).rejects.toMatchObject(badInput);
  expect(await store.listForIncident('contoso', '101')).toEqual([]);

  const { check } = await store.create(draft('2026-11-20T08:00:00.000Z'));
  await expect(store.answer('contoso', check.id, 'yes', null, NOT_AN_INSTANT)).rejects.toMatchObject(
    badInput,
  );
  await expect(store.cancel('contoso', check.id, 'Dana', NOT_AN_INSTANT)).rejects.toMatchObject(badInput);
  await expect(store.markStage('contoso', check.id, 'reminded', NOT_AN_INSTANT)).rejects.toMatchObject(
    badInput,
  );
  await expect(store.listAskedBefore(NOT_AN_INSTANT, 10)).rejects.toMatchObject(badInput);
  expect(await store.get('contoso', check.id)).toEqual(check);
}

onBothDatabases(
  '"Was this you?" store: instants only',
  'user_check_instants',
  createUserCheckStore,
  refusesText,
);
