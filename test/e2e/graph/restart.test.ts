import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { type GraphHarness, startGraphHarness } from '../../support/graph-stand-in/harness.js';
import { createMirror } from '../../support/graph-stand-in/mirror.js';

// Across a restart: the high-water mark lives only in the SQLite file (saved with the incidents by
// incident-sync), the restarted source has no memory and no token. Changes made while the bot was down,
// and while it was starting, arrive exactly once.

let h: GraphHarness;
let dir: string;

afterEach(async () => {
  await h?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('no gap and no duplicate across a restart, with the high-water mark persisted in the store', async () => {
  h = await startGraphHarness({ customers: { contoso: 15, fabrikam: 6 }, tuning: { pageSize: 4 } });
  dir = mkdtempSync(join(tmpdir(), 'graph-restart-'));
  const file = join(dir, 'bot.sqlite');
  const contoso = h.tenantOf('contoso');

  const before = await createMirror(h, file);
  await before.syncAll();
  h.time.advance(60_000);
  const [a, b, c] = h.standIn.table.list(contoso);
  if (!a || !b || !c) throw new Error('seed');
  h.standIn.table.update(contoso, a.id, { status: 'inProgress' });
  await before.syncAll();
  const cursor = await before.store.getCursor('contoso');
  expect(cursor).toContain('"hwm"');
  await before.close();

  // Down for an hour: several changes, one new incident.
  h.time.advance(3_600_000);
  h.standIn.table.update(contoso, b.id, { status: 'awaitingAction', assignedTo: 'Customer' });
  h.standIn.table.update(contoso, a.id, { classification: 'truePositive', determination: 'malware' });
  h.standIn.table.create(contoso);
  h.time.advance(30_000);

  h.restartSource();
  const after = await createMirror(h, file);
  expect(await after.store.getCursor('contoso')).toBe(cursor);
  // And a change lands while the restarted bot pages through its first read.
  h.standIn.beforeListPage = (tenantId, skip) => {
    if (tenantId === contoso && skip === 0) {
      h.standIn.beforeListPage = null;
      h.standIn.table.update(contoso, c.id, { severity: 'low' });
    }
  };
  await after.syncAll();
  h.time.advance(60_000);
  await after.syncAll();

  expect(await after.gaps()).toEqual([]);
  const twice = (list: readonly string[]): string[] => list.filter((k, i) => list.indexOf(k) !== i);
  expect(twice([...before.changes, ...after.changes])).toEqual([]);
  // The cursor carries the versions already handed out, so even the overlap re-read repeats none.
  expect(twice([...before.handedOut, ...after.handedOut])).toEqual([]);
  // The restart read from the mark (minus the overlap), not from the beginning.
  const firstAfter = h.standIn
    .graphRequests(contoso)
    .filter((r) => !r.query.has('$skip'))
    .at(-2);
  expect(firstAfter?.query.get('$filter')).toMatch(/^lastUpdateDateTime ge \d{4}-/);
  expect(await after.store.getIncident('contoso', b.id)).toMatchObject({ status: 'awaitingAction' });
  await after.close();
});
