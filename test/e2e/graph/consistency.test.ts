import { afterEach, describe, expect, it } from 'vitest';
import type { GraphHarness } from '../../support/graph-stand-in/harness.js';
import { startGraphHarness } from '../../support/graph-stand-in/harness.js';
import { createMirror, type Mirror } from '../../support/graph-stand-in/mirror.js';

// No gap and no duplicate: incident-sync polls the Graph source into the real SQLite store
// while the stand-in changes incidents in the middle of a paged read, stamps with a clock two minutes
// off, and throttles. "No gap": the store ends equal to Graph. "No duplicate": no version is handed out
// by the source, or reported to the alert pipeline, twice.

let h: GraphHarness;
let mirror: Mirror;

afterEach(async () => {
  await mirror?.close();
  await h?.close();
});

async function start(
  customers: Record<string, number>,
  extra: Parameters<typeof startGraphHarness>[0] = { customers },
) {
  h = await startGraphHarness({ ...extra, customers, tuning: { pageSize: 4, ...extra.tuning } });
  mirror = await createMirror(h);
  return { h, mirror };
}

const tenant = (customerId: string): string => h.tenantOf(customerId);

async function expectExact(): Promise<void> {
  expect(await mirror.gaps()).toEqual([]);
  expect(mirror.duplicates()).toEqual([]);
}

describe('Graph source: no gap, no duplicate', () => {
  it('when incidents change and appear while a pass is paging through them', async () => {
    await start({ contoso: 22, fabrikam: 3 });
    const ids = h.standIn.table.list(tenant('contoso')).map((i) => i.id);
    let played = false;
    h.standIn.beforeListPage = (tenantId, skip) => {
      if (tenantId !== tenant('contoso') || skip !== 8 || played) return;
      played = true;
      h.time.advance(5_000);
      // One on a page already read, one on a page not read yet, and a brand-new one.
      h.standIn.table.update(tenantId, ids[20] ?? '', { status: 'awaitingAction', assignedTo: 'Customer' });
      h.standIn.table.update(tenantId, ids[3] ?? '', { severity: 'high' });
      h.standIn.table.create(tenantId);
    };
    await mirror.syncAll();
    expect(played).toBe(true);
    h.time.advance(60_000);
    await mirror.syncAll();
    await expectExact();
    expect(await mirror.store.getIncident('contoso', ids[20] ?? '')).toMatchObject({
      status: 'awaitingAction',
    });

    // The same during an incremental pass of several pages.
    for (const id of ids.slice(0, 10)) h.standIn.table.update(tenant('contoso'), id, { severity: 'low' });
    let again = false;
    h.standIn.beforeListPage = (tenantId, skip) => {
      if (tenantId !== tenant('contoso') || skip !== 4 || again) return;
      again = true;
      h.time.advance(1_000);
      h.standIn.table.update(tenantId, ids[9] ?? '', { classification: 'truePositive' });
      h.standIn.table.update(tenantId, ids[1] ?? '', { classification: 'falsePositive' });
    };
    h.time.advance(60_000);
    await mirror.syncAll();
    expect(again).toBe(true);
    h.time.advance(60_000);
    await mirror.syncAll();
    await expectExact();
  });

  it('when a Graph writer stamps changes two minutes behind the newest one already read', async () => {
    await start({ contoso: 12, fabrikam: 4 });
    await mirror.syncAll();
    const [old, recent] = h.standIn.table.list(tenant('contoso'));
    if (!old || !recent) throw new Error('seed');
    h.standIn.table.update(tenant('contoso'), recent.id, { severity: 'high' });
    await mirror.syncAll(); // the mark is now "now"
    h.time.advance(30_000);
    h.standIn.table.skewMs = -120_000; // this writer's clock is two minutes slow
    h.standIn.table.update(tenant('contoso'), old.id, { status: 'awaitingAction' });
    h.standIn.table.skewMs = 0;
    await mirror.syncAll();
    await expectExact();
    expect(await mirror.store.getIncident('contoso', old.id)).toMatchObject({ status: 'awaitingAction' });
  });

  it.each([
    ['ahead', 120_000],
    ['behind', -120_000],
  ])('when the bot’s clock is two minutes %s of Graph’s', async (_, offset) => {
    await start({ contoso: 10, fabrikam: 10 }, { customers: {}, clockOffsetMs: offset });
    await mirror.syncAll();
    for (let round = 0; round < 4; round += 1) {
      for (const customer of h.customers) {
        const list = h.standIn.table.list(tenant(customer.id));
        h.standIn.table.update(tenant(customer.id), list[(round * 3) % list.length]?.id ?? '', {
          severity: 'medium',
        });
      }
      h.time.advance(20_000);
      await mirror.syncAll();
    }
    await expectExact();
  });

  it('after a run of 429s and 503s: every Retry-After honoured, the pass completes on a later poll', async () => {
    await start({ contoso: 20, fabrikam: 5 });
    h.standIn.fail(tenant('contoso'), { status: 429, retryAfter: '7' }, { times: 5, target: 'next-page' });
    h.standIn.fail(tenant('contoso'), { status: 503 }, { times: 2, target: 'next-page' });
    for (let poll = 0; poll < 4; poll += 1) {
      await mirror.syncAll();
      h.time.advance(60_000);
    }
    await expectExact();
    // At the stand-in: after each 429, this tenant's next request came no sooner than Retry-After allowed.
    const calls = h.standIn.graphRequests(tenant('contoso'));
    const throttled = calls.filter((r) => r.status === 429);
    expect(throttled).toHaveLength(5);
    for (const r of throttled) {
      const next = calls[calls.indexOf(r) + 1];
      expect(next && next.at - r.at).toBeGreaterThanOrEqual(7_000);
    }
    const metric = await h.registry.getSingleMetric('graph_throttled_total')?.get();
    expect(metric?.values.find((v) => v.labels.customer === h.metricsLabelOf('contoso'))?.value).toBe(5);
  });

  it('after a long Retry-After cuts a pass short: what was read is kept, the rest comes once allowed', async () => {
    await start({ contoso: 20, fabrikam: 5 });
    await mirror.syncAll();
    for (const i of h.standIn.table.list(tenant('contoso'))) {
      h.time.advance(600_000); // further apart than the overlap: a mark moved too early would lose them
      h.standIn.table.update(tenant('contoso'), i.id, { assignedTo: 'Customer' });
    }
    h.standIn.fail(tenant('contoso'), { status: 429, retryAfter: '240' }, { target: 'next-page' });
    await mirror.syncAll(); // first page read, then throttled for four minutes
    expect(mirror.changes.length).toBeGreaterThan(0);
    expect(await mirror.gaps()).not.toEqual([]);
    h.time.advance(60_000);
    await mirror.syncAll(); // still throttled: skipped without asking Graph
    h.time.advance(200_000);
    await mirror.syncAll();
    await expectExact();
  });

  it('after timeouts on slow answers', async () => {
    await start({ contoso: 9, fabrikam: 2 }, { customers: {}, tuning: { requestTimeoutMs: 250 } });
    h.standIn.fail(tenant('contoso'), { delayMs: 1_500 }, { times: 2, target: 'next-page' });
    await mirror.syncAll();
    await expectExact();
    const timeouts = await h.registry.getSingleMetric('graph_requests_total')?.get();
    expect(timeouts?.values.find((v) => v.labels.status_class === 'timeout')?.value).toBe(2);
  });
});
