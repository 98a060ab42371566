import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore, type SqliteStore } from '../../../../adapters/sqlite/sqlite-store.js';
import { parseActionPayload } from '../../../../bot/actions/registry.js';
import type { Actor } from '../../../../bot/domain/actor.js';
import {
  CONFIRMATION_TTL_SECONDS,
  type ConfirmationScope,
  issueConfirmation,
  useConfirmation,
} from '../../../../bot/response/confirmation.js';
import { VERBS } from '../../../../cards/verbs.js';
import { fixedClock } from '../../../support/core-harness.js';

// The run confirmation token against a real SQLite store: only the person, action and version it
// was issued for can use it, once; anyone else's attempt is refused and changes nothing.

const actor = (userId: string): Actor => ({
  principal: { platform: 'web', userId, workspaceId: 'contoso', displayName: userId },
  qualifiedId: `web:${userId}`,
  customerId: 'contoso',
  roles: new Set(['responder']),
  linked: true,
});
const responder = actor('contoso-responder');
const admin = actor('contoso-admin');
const scopeOf = (a: Actor, over: Partial<ConfirmationScope> = {}): ConfirmationScope => ({
  actor: a,
  customerId: 'contoso',
  incidentId: '10491',
  actionId: '10491-2',
  version: 0,
  ...over,
});

describe('run confirmation token', () => {
  let dir: string;
  let store: SqliteStore;
  const clock = fixedClock();
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dxb-confirm-'));
    store = await createSqliteStore({ file: join(dir, 'bot.sqlite'), clock });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is used once by the person it was issued to', async () => {
    const token = await issueConfirmation(store, scopeOf(responder));
    expect(await useConfirmation(store, token, scopeOf(responder))).toBe('ok');
    expect(await useConfirmation(store, token, scopeOf(responder))).toBe('used');
  });

  it("is not burned by another person's attempt: the responder can still confirm", async () => {
    const token = await issueConfirmation(store, scopeOf(responder));
    expect(await useConfirmation(store, token, scopeOf(admin))).toBe('invalid');
    expect(await useConfirmation(store, token, scopeOf(admin))).toBe('invalid');
    expect(await useConfirmation(store, token, scopeOf(responder))).toBe('ok');
  });

  it('is not burned by an attempt for another action, incident, customer or version', async () => {
    const token = await issueConfirmation(store, scopeOf(responder));
    for (const other of [
      { actionId: '10491-3' },
      { incidentId: '10492' },
      { customerId: 'fabrikam' },
      { version: 1 },
    ]) {
      expect(await useConfirmation(store, token, scopeOf(responder, other))).toBe('invalid');
    }
    expect(await useConfirmation(store, token, scopeOf(responder))).toBe('ok');
  });

  it('refuses a forged token, including one shaped like a real one for the forger', async () => {
    expect(await useConfirmation(store, 'a8a631a3-3d4a-4573-bea7-5efcfe87e04a', scopeOf(admin))).toBe(
      'invalid',
    );
    const real = await issueConfirmation(store, scopeOf(responder));
    // The responder's nonce with a tag computed for the admin's scope (the tag is not a secret): never
    // issued, so refused, and the responder's own token still works.
    const nonce = real.slice(0, 23);
    const tag = createHash('sha256')
      .update(`${nonce}\nweb:contoso-admin:contoso:10491:10491-2:0`)
      .digest('hex')
      .slice(0, 12);
    expect(await useConfirmation(store, `${nonce}-${tag}`, scopeOf(admin))).toBe('invalid');
    expect(await useConfirmation(store, real, scopeOf(responder))).toBe('ok');
  });

  it('expires', async () => {
    const token = await issueConfirmation(store, scopeOf(responder));
    clock.advance((CONFIRMATION_TTL_SECONDS + 1) * 1000);
    expect(await useConfirmation(store, token, scopeOf(responder))).toBe('invalid');
  });

  it('fits the confirm button data the verbs accept, shaped like a UUID', async () => {
    const token = await issueConfirmation(store, scopeOf(responder));
    expect(token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const data = { id: '10491', action: '10491-2', v: 0, c: token };
    expect(parseActionPayload(VERBS.responseRunConfirm, data)).not.toBeNull();
  });
});
