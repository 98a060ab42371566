import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore, type SqliteStore } from '../../../adapters/sqlite/sqlite-store.js';
import { createUserCheckStore } from '../../../adapters/store/user-check/user-check-store.js';
import type { Customer } from '../../../bot/domain/customer.js';
import type { Logger } from '../../../bot/ports.js';
import { commentText } from '../../../bot/user-check/publish.js';
import { createUserCheckPass, type UserCheckPass } from '../../../bot/user-check/reminders.js';
import { createUserCheckService } from '../../../bot/user-check/service.js';
import type { UserCheckStore } from '../../../bot/user-check/user-check-ports.js';
import { type GraphHarness, startGraphHarness } from '../../support/graph-stand-in/harness.js';
import { testClock } from '../../support/test-clock.js';

// The answer's comment reaches the incident in Graph exactly once: a POST that failed (503, not applied) is
// tried again by the pass; a POST that was applied but whose success was never recorded (a crash between
// the two) is found by its marker on the incident and not posted again. Real SQLite, the Graph source on the
// Graph stand-in.

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

let h: GraphHarness;
let dir: string;
let base: SqliteStore;
let checks: UserCheckStore;
let pass: UserCheckPass;
let contoso: Customer;
let incidentId: string;

beforeEach(async () => {
  h = await startGraphHarness({ customers: { contoso: 1 } });
  [contoso] = h.customers as [Customer];
  incidentId = h.standIn.table.list(h.tenantOf('contoso'))[0]?.id ?? '';
  dir = mkdtempSync(join(tmpdir(), 'dxb-user-check-comment-'));
  base = await createSqliteStore({ file: join(dir, 'bot.sqlite'), logger: quiet });
  checks = await createUserCheckStore(base.host);
  const service = createUserCheckService({
    checks,
    store: base,
    source: h.source,
    directory: {
      customers: [contoso],
      experts: {
        slackTeamId: null,
        slackChannelId: null,
        teamsTenantId: null,
        teamsChannelId: null,
        teamsServiceUrl: null,
        members: [],
      },
    },
    clock: testClock(),
    logger: quiet,
    reachFor: () => undefined,
    chatFor: () => undefined,
    writer: h.source,
  });
  pass = createUserCheckPass(service.deps);
});
afterEach(async () => {
  await base.close();
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

async function answered() {
  const { check } = await checks.create({
    id: 'UC-DURAB1',
    customerId: 'contoso',
    incidentId,
    upn: 'alice@contoso.example',
    platform: 'slack',
    targetUserId: 'U0ALICE',
    dm: null,
    seen: 'Sign-in to Exchange Online from 203.0.113.7',
    requesterId: 'slack:U0DANA',
    requester: { platform: 'slack', workspace: 'T0CONTOSO', userId: 'U0DANA', name: 'Dana', direct: null },
    createdAt: '2026-11-27T09:00:00.000Z',
  });
  const done = await checks.answer('contoso', check.id, 'no', null, '2026-11-27T09:05:00.000Z');
  if (done === null) throw new Error('not answered');
  return done;
}

const marked = () =>
  (h.standIn.table.get(h.tenantOf('contoso'), incidentId)?.comments ?? []).filter((c) =>
    String((c as { comment?: unknown }).comment).includes('[Was this you? UC-DURAB1]'),
  );
const posts = () =>
  h.standIn.graphRequests().filter((r) => r.method === 'POST' && r.path.endsWith('/comments'));

describe('the answer’s comment in Graph', () => {
  it('is tried again after a 503 and written once', async () => {
    await answered();
    h.standIn.fail(h.tenantOf('contoso'), { status: 503 }, { target: 'write' });
    await pass.runOnce();
    expect(marked()).toHaveLength(0);
    expect((await checks.get('contoso', 'UC-DURAB1'))?.comment).toBe('pending');
    await pass.runOnce();
    expect(marked()).toHaveLength(1);
    expect((await checks.get('contoso', 'UC-DURAB1'))?.comment).toBe('written');
    await pass.runOnce();
    expect(marked()).toHaveLength(1);
    expect(posts().filter((r) => r.status < 300)).toHaveLength(1);
  });

  it('is not posted again when it got through before a crash recorded it', async () => {
    const check = await answered();
    // The crashed attempt: counted, posted, never marked written.
    await checks.markCommented('contoso', check.id, false);
    await h.source.addComment(contoso, incidentId, commentText(check));
    const before = posts().length;
    await pass.runOnce();
    expect(posts()).toHaveLength(before);
    expect(marked()).toHaveLength(1);
    expect((await checks.get('contoso', check.id))?.comment).toBe('written');
  });
});
