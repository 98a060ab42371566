import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Customer } from '../../../bot/domain/customer.js';
import type { Fault } from '../../support/graph-stand-in/faults.js';
import { type GraphHarness, startGraphHarness } from '../../support/graph-stand-in/harness.js';

// Writes for guided response (SecurityIncident.ReadWrite.All): a comment, the lifecycle fields, custom tags
// read-modify-write. A comment is never posted twice after an unclear failure; a PATCH may be repeated.

let h: GraphHarness;
let contoso: Customer;
let fabrikam: Customer;
let id: string;

beforeEach(async () => {
  h = await startGraphHarness({ customers: { contoso: 3, fabrikam: 2 } });
  [contoso, fabrikam] = h.customers as [Customer, Customer];
  id = h.standIn.table.list(h.tenantOf('contoso'))[0]?.id ?? '';
});
afterEach(async () => {
  await h?.close();
});

const stored = () => h.standIn.table.get(h.tenantOf('contoso'), id);
const writes = () => h.standIn.graphRequests().filter((r) => r.method !== 'GET');

describe('Graph source writes', () => {
  it('adds a comment to Comments and history, and the next read carries it', async () => {
    const first = await h.source.readChanges(contoso, null);
    const comments = await h.source.addComment(contoso, id, 'Isolated WS-7 as recommended. — Alice (SOC)');
    expect(comments.at(-1)).toMatchObject({
      comment: 'Isolated WS-7 as recommended. — Alice (SOC)',
      createdBy: `API-App:${h.standIn.app.clientId}`,
    });
    const next = await h.source.readChanges(contoso, first.cursor);
    expect(next.incidents.find((i) => i.id === id)?.comments.at(-1)?.comment).toMatch(/^Isolated WS-7/);
  });

  it('sets status, assignee, classification and determination (awaitingAction needs the Prefer header)', async () => {
    await h.source.updateIncident(contoso, id, {
      status: 'awaitingAction',
      assignedTo: 'Customer',
      classification: 'truePositive',
      determination: 'malware',
    });
    expect(stored()).toMatchObject({
      status: 'awaitingAction',
      assignedTo: 'Customer',
      classification: 'truePositive',
      determination: 'malware',
    });
    expect((await h.source.getIncident(contoso, id))?.status).toBe('awaitingAction');
    await expect(h.source.updateIncident(contoso, id, {})).rejects.toMatchObject({ code: 'bad_input' });
  });

  it('changes custom tags read-modify-write, keeping the others, and writes nothing when nothing changes', async () => {
    h.standIn.table.update(h.tenantOf('contoso'), id, { customTags: ['VIP', 'Finance'] });
    const tags = await h.source.updateCustomTags(contoso, id, {
      add: ['Handoff', 'vip'],
      remove: ['finance'],
    });
    expect(tags).toEqual(['VIP', 'Handoff']);
    expect(stored()?.customTags).toEqual(['VIP', 'Handoff']);
    const patches = writes().length;
    expect(await h.source.updateCustomTags(contoso, id, { add: ['handoff'] })).toEqual(['VIP', 'Handoff']);
    expect(writes()).toHaveLength(patches);
  });

  it('never posts a comment twice after a 503, but repeats a PATCH', async () => {
    const before = stored()?.comments.length ?? 0;
    h.standIn.fail(h.tenantOf('contoso'), { status: 503 }, { target: 'write' });
    await expect(h.source.addComment(contoso, id, 'once')).rejects.toMatchObject({ kind: 'unavailable' });
    expect(writes().filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(stored()?.comments).toHaveLength(before);

    h.standIn.fail(h.tenantOf('contoso'), { status: 503 }, { target: 'write' });
    await h.source.updateIncident(contoso, id, { assignedTo: 'Defender Experts' });
    expect(
      writes()
        .filter((r) => r.method === 'PATCH')
        .map((r) => r.status),
    ).toEqual([503, 200]);
    expect(stored()?.assignedTo).toBe('Defender Experts');
  });

  it('posts a comment once after a 502, a 504 or a timeout, since Graph may have applied it', async () => {
    // Short deadline, so a slow answer is a timeout.
    await h.close();
    h = await startGraphHarness({
      customers: { contoso: 3, fabrikam: 2 },
      tuning: { requestTimeoutMs: 250 },
    });
    [contoso, fabrikam] = h.customers as [Customer, Customer];
    id = h.standIn.table.list(h.tenantOf('contoso'))[0]?.id ?? '';
    const faults: Fault[] = [{ status: 502 }, { status: 504 }, { delayMs: 1_000 }];
    for (const fault of faults) {
      const posts = writes().filter((r) => r.method === 'POST').length;
      h.standIn.fail(h.tenantOf('contoso'), fault, { target: 'write' });
      await expect(h.source.addComment(contoso, id, 'maybe')).rejects.toMatchObject({ kind: 'unavailable' });
      if ('delayMs' in fault) await new Promise((resolve) => setTimeout(resolve, fault.delayMs + 200));
      expect(writes().filter((r) => r.method === 'POST')).toHaveLength(posts + 1);
    }
  });

  it('posts a comment again after a 429 or a 503 with Retry-After: Graph turned it away', async () => {
    const before = stored()?.comments.length ?? 0;
    for (const fault of [
      { status: 429, retryAfter: '2' },
      { status: 503, retryAfter: '1' },
    ]) {
      h.standIn.fail(h.tenantOf('contoso'), fault, { target: 'write' });
      await h.source.addComment(contoso, id, `after ${fault.status}`);
      const posts = writes().filter((r) => r.method === 'POST');
      expect(posts.slice(-2).map((r) => r.status)).toEqual([fault.status, expect.any(Number)]);
      expect(posts.at(-1)?.status).toBeLessThan(300);
      // Not before the Retry-After, on the shared virtual clock.
      expect((posts.at(-1)?.at ?? 0) - (posts.at(-2)?.at ?? 0)).toBeGreaterThanOrEqual(
        Number(fault.retryAfter) * 1000,
      );
    }
    expect(
      stored()
        ?.comments.map((c) => c.comment)
        .slice(before),
    ).toEqual(['after 429', 'after 503']);
  });

  it('repeats a read after 502 and 504, a bounded number of times', async () => {
    const reads = () => h.standIn.graphRequests(h.tenantOf('contoso')).filter((r) => r.method === 'GET');
    h.standIn.fail(h.tenantOf('contoso'), { status: 502 }, { target: 'list' });
    h.standIn.fail(h.tenantOf('contoso'), { status: 504 }, { target: 'list' });
    await h.source.readChanges(contoso, null);
    expect(reads().map((r) => r.status)).toEqual([502, 504, 200]);
    h.standIn.fail(h.tenantOf('contoso'), { status: 502 }, { target: 'list', times: 10 });
    await expect(h.source.readChanges(contoso, null)).rejects.toMatchObject({ kind: 'unavailable' });
    expect(reads().filter((r) => r.status === 502)).toHaveLength(1 + 4);
  });

  it("answers an unknown id and another customer's id alike: not found", async () => {
    const ofFabrikam = h.standIn.table.list(h.tenantOf('fabrikam'))[0]?.id ?? '';
    for (const other of [ofFabrikam, '987654321', '../x', '']) {
      await expect(h.source.addComment(contoso, other, 'x')).rejects.toMatchObject({ code: 'not_found' });
      await expect(h.source.updateIncident(contoso, other, { status: 'resolved' })).rejects.toMatchObject({
        code: 'not_found',
      });
    }
    expect(await h.source.listAlerts(contoso, ofFabrikam)).toBeNull();
    expect((await h.source.listAlerts(fabrikam, ofFabrikam))?.[0]?.assets).toContain('alice@contoso.example');
  });

  it('a tenant that granted only read access refuses writes without being reported as lost', async () => {
    h.standIn.addTenant(h.tenantOf('contoso'), 0, { canWrite: false });
    await expect(h.source.addComment(contoso, id, 'x')).rejects.toMatchObject({
      kind: 'forbidden',
      code: 'forbidden',
    });
    await expect(h.source.updateCustomTags(contoso, id, { add: ['x'] })).rejects.toThrow(/ReadWrite\.All/);
    expect((await h.source.readChanges(contoso, null)).incidents).toHaveLength(3);
    expect(h.lines.filter((l) => /access lost/.test(l.msg))).toHaveLength(0);
  });
});
