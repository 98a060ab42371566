import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../../../bot/domain/actor.js';
import type { Incident } from '../../../../bot/domain/incident.js';
import { createIncidentLinks, type IncidentLinks } from '../../../../bot/links/incident-links.js';
import { type CoreHarness, createCoreHarness } from '../../../support/core-harness.js';

// The one decision behind link previews and the compose-box search, over the real core (SQLite store,
// simulated source, demo customers): the sharer's own customer's incident, only where every organisation
// present may read it; otherwise one neutral preview, identical whatever the reason.

const slack = (userId: string, workspaceId: string): Principal => ({
  platform: 'slack',
  userId,
  workspaceId,
  displayName: userId,
});
const ALICE = slack('U0ALICE', 'T0CONTOSO');
const CONTOSO_TENANT = '11111111-1111-4111-8111-111111111111';

let h: CoreHarness;
let links: IncidentLinks;
let mine: Incident;
let theirs: Incident;
beforeAll(async () => {
  h = await createCoreHarness();
  links = createIncidentLinks({ store: h.store, directory: h.directory });
  const page = (customerId: string) =>
    h.store.listIncidents({ customerId, view: 'all', severity: null, limit: 1, offset: 0 });
  mine = (await page('contoso')).items[0] as Incident;
  theirs = (await page('fabrikam')).items[0] as Incident;
  expect(mine).toBeDefined();
  expect(theirs).toBeDefined();
});
afterAll(async () => {
  await h.cleanup();
});

const url = (id: string, tid = CONTOSO_TENANT) => `https://security.microsoft.com/incidents/${id}?tid=${tid}`;

describe('link previews', () => {
  it('shows the own incident in a DM and in the own organisation’s channel', async () => {
    for (const audience of [
      { kind: 'private' } as const,
      { kind: 'organisations', organisations: ['T0CONTOSO'] } as const,
      { kind: 'organisations', organisations: ['T0CONTOSO', 'T0EXPERTS'] } as const,
    ]) {
      const outcome = await links.preview({ principal: ALICE, audience }, url(mine.id));
      expect(outcome?.shown).toBe(true);
      expect(outcome?.preview.fallbackText).toContain(`Incident ${mine.id}`);
    }
  });

  it('gives one neutral preview for every case it may not show, whatever the reason', async () => {
    const cases = await Promise.all([
      links.preview({ principal: ALICE, audience: { kind: 'private' } }, url(theirs.id)),
      links.preview({ principal: ALICE, audience: { kind: 'private' } }, url('987654321')),
      links.preview(
        { principal: ALICE, audience: { kind: 'private' } },
        url(mine.id, '99999999-9999-4999-8999-999999999999'),
      ),
      links.preview(
        { principal: ALICE, audience: { kind: 'organisations', organisations: ['T0CONTOSO', 'T0FABRIKAM'] } },
        url(mine.id),
      ),
      links.preview({ principal: ALICE, audience: { kind: 'unknown', reason: 'test' } }, url(mine.id)),
      links.preview({ principal: slack('U0X', 'T0STRANGER'), audience: { kind: 'private' } }, url(mine.id)),
      links.preview(
        { principal: slack('U0EXPERT1', 'T0EXPERTS'), audience: { kind: 'private' } },
        url(mine.id),
      ),
    ]);
    for (const c of cases) {
      expect(c?.shown).toBe(false);
      expect(c).toEqual(cases[0]);
    }
    expect(JSON.stringify(cases[0])).not.toContain(mine.id);
  });

  it('is not asked about links that are not portal incident links', async () => {
    expect(
      await links.preview(
        { principal: ALICE, audience: { kind: 'private' } },
        'https://example.com/incidents/1',
      ),
    ).toBeNull();
  });
});

describe('compose-box search', () => {
  it('lists what awaits the customer before anything is typed, and refuses where the data may not go', async () => {
    const initial = await links.search({ principal: ALICE, audience: { kind: 'private' } }, '', 0, 25);
    if (initial.kind !== 'results') throw new Error(`refused: ${JSON.stringify(initial)}`);
    const awaiting = await h.store.listIncidents({
      customerId: 'contoso',
      view: 'awaiting',
      severity: null,
      limit: 25,
      offset: 0,
    });
    expect(awaiting.items.length).toBeGreaterThan(0);
    expect(initial.results.map((r) => r.id)).toEqual(awaiting.items.map((i) => i.id));
    const shared = await links.search(
      { principal: ALICE, audience: { kind: 'organisations', organisations: ['T0FABRIKAM'] } },
      mine.id,
      0,
      25,
    );
    expect(shared.kind).toBe('refused');
    expect(await links.search({ principal: ALICE, audience: { kind: 'private' } }, theirs.id, 0, 25)).toEqual(
      {
        kind: 'results',
        results: [],
        total: 0,
      },
    );
  });
});
