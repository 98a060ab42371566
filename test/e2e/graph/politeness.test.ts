import { afterEach, describe, expect, it } from 'vitest';
import type { Customer } from '../../../bot/domain/customer.js';
import { type GraphHarness, startGraphHarness } from '../../support/graph-stand-in/harness.js';
import { createMirror, type Mirror } from '../../support/graph-stand-in/mirror.js';
import type { RequestRecord } from '../../support/graph-stand-in/server.js';

// Politeness toward each customer tenant, counted where Graph would count it — at the stand-in, in the
// shared virtual time: the request budget, Retry-After of minutes, and a tenant that revoked consent.
// One tenant's trouble never holds up another's.

let h: GraphHarness;
let mirror: Mirror | undefined;

afterEach(async () => {
  await mirror?.close();
  mirror = undefined;
  await h?.close();
});

/** The most requests of one tenant inside any window of `windowMs` (virtual time). */
function busiest(calls: readonly RequestRecord[], windowMs: number): number {
  let most = 0;
  for (const [i, r] of calls.entries()) {
    const inside = calls.slice(i).filter((x) => x.at < r.at + windowMs).length;
    most = Math.max(most, inside);
  }
  return most;
}

const metricValue = async (name: string, labels: Record<string, string>): Promise<number | undefined> =>
  (await h.registry.getSingleMetric(name)?.get())?.values.find((v) =>
    Object.entries(labels).every(([k, x]) => v.labels[k] === x),
  )?.value;

describe('Graph source politeness', () => {
  it('never exceeds 20 % of 150 requests/min per tenant, and each tenant has its own budget', async () => {
    h = await startGraphHarness({ customers: { contoso: 90, fabrikam: 90 }, tuning: { pageSize: 2 } });
    const [contoso, fabrikam] = h.customers as [Customer, Customer];
    const started = h.time.now();
    expect((await h.source.readChanges(contoso, null)).incidents).toHaveLength(90);
    const contosoDone = h.time.now();
    expect((await h.source.readChanges(fabrikam, null)).incidents).toHaveLength(90);
    for (const c of h.customers) {
      const calls = h.standIn.graphRequests(c.entraTenantId ?? '');
      expect(calls).toHaveLength(45);
      expect(busiest(calls, 60_000)).toBeLessThanOrEqual(30);
      expect(busiest(calls, 10_000)).toBeLessThanOrEqual(5);
    }
    // 45 requests at ≤ 30/min take over a minute…
    expect(contosoDone - started).toBeGreaterThan(60_000);
    // …and contoso having spent its budget does not slow fabrikam's first requests.
    const first = h.standIn.graphRequests(fabrikam.entraTenantId ?? '').slice(0, 5);
    expect(first.every((r) => r.at === contosoDone)).toBe(true);
  });

  it('skips a tenant that got a Retry-After of minutes until then, while the others carry on', async () => {
    h = await startGraphHarness({ customers: { contoso: 6, fabrikam: 6 } });
    mirror = await createMirror(h);
    const [contoso, fabrikam] = h.customers as [Customer, Customer];
    const tc = contoso.entraTenantId ?? '';
    h.standIn.fail(tc, { status: 429, retryAfter: '300' });
    await mirror.syncAll();
    expect(
      await mirror.store.listIncidents({
        customerId: 'fabrikam',
        view: 'all',
        severity: null,
        limit: 50,
        offset: 0,
      }),
    ).toMatchObject({ total: 6 });
    expect(await mirror.store.getCursor('contoso')).toBeNull();

    const askedAt = h.standIn.graphRequests(tc).length;
    for (let minute = 0; minute < 4; minute += 1) {
      h.time.advance(60_000);
      h.standIn.table.update(
        fabrikam.entraTenantId ?? '',
        h.standIn.table.list(fabrikam.entraTenantId ?? '')[0]?.id ?? '',
        { severity: 'low' },
      );
      await mirror.syncAll();
    }
    expect(h.standIn.graphRequests(tc)).toHaveLength(askedAt); // not asked again during the 5 minutes
    expect(await mirror.gaps()).toEqual(
      h.standIn.table.list(tc).map((i) => `contoso/${i.id}: stand-in ${i.lastUpdateDateTime}, store missing`),
    );
    expect(h.lines.filter((l) => /throttled this tenant/.test(l.msg))).toHaveLength(1);

    h.time.advance(61_000);
    await mirror.syncAll();
    expect(await mirror.gaps()).toEqual([]);
    expect(mirror.duplicates()).toEqual([]);
    expect(await metricValue('graph_throttled_total', { customer: h.metricsLabelOf('contoso') })).toBe(1);
  });

  it.each(['api', 'token'] as const)(
    'reports a tenant whose consent was revoked (%s) once, carries on with the others, and recovers',
    async (where) => {
      const lost: [string, string][] = [];
      const restored: string[] = [];
      h = await startGraphHarness({
        customers: { contoso: 5, fabrikam: 5 },
        source: {
          onAccessLost: (customer, reason) => void lost.push([customer.id, reason]),
          onAccessRestored: (customer) => void restored.push(customer.id),
        },
      });
      mirror = await createMirror(h);
      const tc = h.tenantOf('contoso');
      h.standIn.revoke(tc, where);
      for (let poll = 0; poll < 3; poll += 1) {
        await mirror.syncAll();
        h.time.advance(60_000);
      }
      expect(lost).toHaveLength(1);
      expect(lost[0]?.[0]).toBe('contoso');
      expect(lost[0]?.[1]).toMatch(
        where === 'api' ? /HTTP 403: Forbidden: Missing application roles/ : /AADSTS7000229/,
      );
      expect(h.lines.filter((l) => l.level === 'warn' && /access lost/.test(l.msg))).toHaveLength(1);
      expect(await metricValue('graph_access_lost_total', { customer: h.metricsLabelOf('contoso') })).toBe(1);
      expect(await metricValue('graph_tenant_access', { customer: h.metricsLabelOf('contoso') })).toBe(0);
      expect(await metricValue('graph_tenant_access', { customer: h.metricsLabelOf('fabrikam') })).toBe(1);
      expect((await mirror.gaps()).every((g) => g.startsWith('contoso/'))).toBe(true);
      // Polled once per poll while refused (so it can recover), never retried within a poll.
      const refusedCalls =
        where === 'api'
          ? h.standIn.graphRequests(tc)
          : h.standIn.requests.filter((r) => r.kind === 'token' && r.tenantId === tc);
      expect(refusedCalls).toHaveLength(3);

      h.standIn.restore(tc);
      await mirror.syncAll();
      h.time.advance(60_000);
      await mirror.syncAll();
      expect(restored).toEqual(['contoso']);
      expect(lost).toHaveLength(1);
      expect(await metricValue('graph_tenant_access', { customer: h.metricsLabelOf('contoso') })).toBe(1);
      expect(await mirror.gaps()).toEqual([]);
      expect(h.lines.filter((l) => /access restored/.test(l.msg))).toHaveLength(1);
    },
  );
});
