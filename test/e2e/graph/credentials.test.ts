import { afterEach, describe, expect, it } from 'vitest';
import { createGraphSource } from '../../../adapters/graph/graph-source.js';
import type { Customer } from '../../../bot/domain/customer.js';
import {
  type GraphHarness,
  graphCustomer,
  recordingLogger,
  startGraphHarness,
} from '../../support/graph-stand-in/harness.js';
import { appCertificate } from '../../support/graph-stand-in/tls.js';

// Client credentials against the stand-in's Entra endpoints: a secret, a certificate assertion (checked for
// shape, claims and signature), a wrong secret; one token per tenant, cached; a token Graph stops accepting
// is replaced once. With a non-default authority host nothing but the stand-in is ever contacted.

let h: GraphHarness;
afterEach(async () => {
  await h?.close();
});

const kinds = (): string[] => [...new Set(h.standIn.requests.map((r) => r.kind))].sort();

describe('Graph source credentials', () => {
  it('uses one cached token per tenant and asks only the configured hosts (no instance discovery)', async () => {
    h = await startGraphHarness({ customers: { contoso: 3, fabrikam: 3 } });
    for (let poll = 0; poll < 5; poll += 1) {
      for (const c of h.customers) await h.source.readChanges(c, null);
      h.time.advance(60_000);
    }
    const tokens = h.standIn.requests.filter((r) => r.kind === 'token');
    expect(tokens.map((r) => r.tenantId).sort()).toEqual(h.customers.map((c) => c.entraTenantId).sort());
    expect(tokens.every((r) => r.status === 200)).toBe(true);
    expect(kinds()).toEqual(['graph', 'metadata', 'token']);
    expect(h.standIn.requests.filter((r) => r.kind === 'metadata').map((r) => r.path)).toEqual(
      h.customers.map((c) => `/${c.entraTenantId}/v2.0/.well-known/openid-configuration`),
    );
    expect(new Set(h.standIn.connections)).toEqual(new Set(['127.0.0.1']));
  });

  it('signs in with a certificate: the stand-in verifies the client assertion', async () => {
    h = await startGraphHarness({ customers: { contoso: 4, fabrikam: 1 }, credential: 'certificate' });
    const batch = await h.source.readChanges(h.customers[0] as Customer, null);
    expect(batch.incidents).toHaveLength(4);
    expect(h.standIn.requests.find((r) => r.kind === 'token')?.status).toBe(200);
  });

  it('is refused with a certificate the app registration does not hold: access lost, reported once', async () => {
    h = await startGraphHarness({ customers: { contoso: 2, fabrikam: 1 }, credential: 'certificate' });
    Object.assign(h.standIn.app, { certificate: (await appCertificate()).cert });
    const contoso = h.customers[0] as Customer;
    await expect(h.source.readChanges(contoso, null)).rejects.toMatchObject({ kind: 'access_lost' });
    await expect(h.source.readChanges(contoso, null)).rejects.toThrow(/AADSTS700027/);
    expect(h.lines.filter((l) => /access lost/.test(l.msg))).toHaveLength(1);
    expect(h.standIn.graphRequests()).toHaveLength(0);
  });

  it('reports a wrong client secret once, as lost access naming AADSTS7000215, and sends no Graph request', async () => {
    h = await startGraphHarness({ customers: { contoso: 2, fabrikam: 1 } });
    const { logger, lines } = recordingLogger();
    const lost: string[] = [];
    const wrong = createGraphSource({
      clientId: h.standIn.app.clientId,
      credential: { kind: 'secret', secret: 'not-the-secret' },
      graphBaseUrl: h.standIn.url,
      authorityHost: h.standIn.url,
      logger,
      agent: h.standIn.agent(),
      sleep: h.time.sleep,
      onAccessLost: (_, reason) => void lost.push(reason),
    });
    const contoso = h.customers[0] as Customer;
    for (let i = 0; i < 3; i += 1) {
      await expect(wrong.readChanges(contoso, null)).rejects.toMatchObject({
        kind: 'access_lost',
        code: 'forbidden',
      });
    }
    wrong.close();
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatch(/AADSTS7000215/);
    expect(lost[0]).not.toContain('not-the-secret');
    expect(JSON.stringify(lines)).not.toContain('not-the-secret');
    expect(h.standIn.graphRequests()).toHaveLength(0);
  });

  it('replaces a token Graph stops accepting, once, without calling the tenant lost', async () => {
    h = await startGraphHarness({ customers: { contoso: 3, fabrikam: 1 } });
    const contoso = h.customers[0] as Customer;
    await h.source.readChanges(contoso, null);
    h.standIn.expireTokens();
    expect((await h.source.readChanges(contoso, null)).incidents).toHaveLength(3);
    expect(h.standIn.requests.filter((r) => r.kind === 'token')).toHaveLength(2);
    expect(h.standIn.graphRequests().map((r) => r.status)).toEqual([200, 401, 200]);
    expect(h.lines.filter((l) => /access lost/.test(l.msg))).toHaveLength(0);
  });

  it('calls an unreachable Entra or Graph unavailable (retry later), never lost access; readiness says so', async () => {
    h = await startGraphHarness({ customers: { contoso: 1 } });
    const closed = await startGraphHarness({ customers: { fabrikam: 1 } });
    const deadUrl = closed.standIn.url;
    await closed.close();
    const lost: string[] = [];
    const make = (graph: string, authority: string) =>
      createGraphSource({
        clientId: h.standIn.app.clientId,
        credential: { kind: 'secret', secret: h.standIn.app.secret },
        graphBaseUrl: graph,
        authorityHost: authority,
        logger: recordingLogger().logger,
        agent: h.standIn.agent(),
        clock: h.time.clock,
        sleep: h.time.sleep,
        onAccessLost: (customer) => void lost.push(customer.id),
      });
    const contoso = h.customers[0] as Customer;
    for (const source of [make(h.standIn.url, deadUrl), make(deadUrl, h.standIn.url)]) {
      await expect(source.readChanges(contoso, null)).rejects.toMatchObject({
        kind: 'unavailable',
        code: 'source_unavailable',
      });
      source.close();
    }
    const unreachable = make(deadUrl, h.standIn.url);
    await expect(unreachable.ping()).rejects.toMatchObject({ code: 'source_unavailable' });
    unreachable.close();
    await expect(h.source.ping()).resolves.toBeUndefined();
    expect(lost).toEqual([]);
  });

  it('never follows an @odata.nextLink outside GRAPH_BASE_URL with the token', async () => {
    h = await startGraphHarness({ customers: { contoso: 6 }, tuning: { pageSize: 2 } });
    h.standIn.nextLinkOrigin = 'https://graph.microsoft.com.evil.example';
    const contoso = h.customers[0] as Customer;
    const batch = await h.source.readChanges(contoso, null);
    expect(batch.incidents).toHaveLength(2); // the first page is kept, the mark does not move
    expect(h.standIn.graphRequests()).toHaveLength(1);
    expect(new Set(h.standIn.connections)).toEqual(new Set(['127.0.0.1']));
    expect(
      h.lines.some((l) => /refusing to send a Graph token outside GRAPH_BASE_URL/.test(String(l.obj.err))),
    ).toBe(true);
  });

  it('refuses to read for a customer without an entraTenantId', async () => {
    h = await startGraphHarness({ customers: { contoso: 1 } });
    await expect(h.source.readChanges(graphCustomer('tailspin', null), null)).rejects.toThrow(
      /tailspin.*entraTenantId/,
    );
  });
});
