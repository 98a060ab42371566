import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../../../bot/domain/incident.js';
import { type CoreHarness, createCoreHarness, webUser } from '../../../support/core-harness.js';

// "What needs my action?" over the real core: the awaiting summary and list put the highest
// severity first, then the longest waiting, and say so, rather than whatever was touched last.

const analyst = webUser('contoso-analyst', 'customer:contoso');
const RANK: Record<string, number> = { high: 0, medium: 1, low: 2, informational: 3 };

let h: CoreHarness;
beforeAll(async () => {
  h = await createCoreHarness();
});
afterAll(async () => {
  await h.cleanup();
});

async function awaiting(): Promise<Incident[]> {
  const page = await h.store.listIncidents({
    customerId: 'contoso',
    view: 'awaiting',
    severity: null,
    limit: 100,
    offset: 0,
  });
  return [...page.items];
}

const idsIn = (text: string): string[] => [...text.matchAll(/#(\d+)/g)].map((m) => m[1] ?? '');

describe('awaiting, most urgent first', () => {
  it('has a mix to order in the seeded world (else this test proves nothing)', async () => {
    const items = await awaiting();
    expect(items.length).toBeGreaterThan(1);
  });

  it('orders the summary and the awaiting list by severity, then oldest handoff', async () => {
    const items = await awaiting();
    const expected = [...items]
      .sort(
        (a, b) =>
          (RANK[String(a.severity)] ?? 4) - (RANK[String(b.severity)] ?? 4) ||
          Date.parse(a.lastUpdateDateTime) - Date.parse(b.lastUpdateDateTime) ||
          a.id.localeCompare(b.id),
      )
      .map((i) => i.id);
    // The store lists by last update; the test only means something where the two orders differ.
    expect(expected).not.toEqual(items.map((i) => i.id));
    const [summary] = await h.say(analyst, 'summary');
    expect(summary?.text).toContain('most urgent first (highest severity, then longest waiting)');
    const listed = idsIn(
      summary?.text
        .split('\n')
        .filter((l) => l.startsWith('- #'))
        .join('\n') ?? '',
    );
    expect(listed).toEqual(expected.slice(0, listed.length));

    const [list] = await h.say(analyst, 'what needs my action?');
    expect(list?.text).toContain('Most urgent first: highest severity, then longest waiting.');
    const rows = idsIn(
      list?.text
        .split('\n')
        .filter((l) => l.startsWith('- #'))
        .join('\n') ?? '',
    );
    expect(rows).toEqual(expected.slice(0, rows.length));
  });
});
