import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudienceFacts } from '../../bot/audience.js';
import type { Principal } from '../../bot/domain/actor.js';
import type { ConversationRef } from '../../bot/domain/conversation.js';
import type { Reply, Turn } from '../../bot/ports.js';
import { VERBS } from '../../cards/verbs.js';
import { type CoreHarness, createCoreHarness } from '../support/core-harness.js';

// For random pairs of customers, people, conversations (DMs, their own channels, Slack Connect channels
// shared with the other customer or with the provider, channels whose members cannot be told) and random
// commands and card payloads, nothing of one customer (incident ids, titles, people, devices, its name)
// reaches anyone of another customer: not in what is said openly where they read, not in what is said
// to them privately. The core is driven directly, as the adapters drive it, with the audience facts they
// report; an answer marked private reaches the person alone, anything else everyone in the conversation.

const CUSTOMERS = ['contoso', 'fabrikam', 'woodgrove'] as const;
type CustomerId = (typeof CUSTOMERS)[number];
const TEAM: Record<CustomerId, string> = {
  contoso: 'T0CONTOSO',
  fabrikam: 'T0FABRIKAM',
  woodgrove: 'T0WOODGROVE',
};
const PROVIDER = 'T0EXPERTS';
const PEOPLE: Record<CustomerId, readonly string[]> = {
  contoso: ['U0ALICE', 'U0ADMIN', 'U0CARL'],
  fabrikam: ['U0FABI', 'U0FRED'],
  woodgrove: ['U0WOODY'],
};

let h: CoreHarness;
/** What only that customer has: strings found in no other customer's incidents. */
const secrets = new Map<CustomerId, string[]>();
const ids = new Map<CustomerId, string[]>();

beforeAll(async () => {
  h = await createCoreHarness();
  const strings = new Map<CustomerId, Set<string>>();
  // Everything each customer's incidents say: a string found in another customer's own incidents too (the
  // simulation draws device and user names from one catalogue) belongs to both, so it is no secret of either.
  const texts = new Map<CustomerId, string>();
  for (const c of CUSTOMERS) {
    const page = await h.store.listIncidents({
      customerId: c,
      view: 'all',
      severity: null,
      limit: 500,
      offset: 0,
    });
    ids.set(
      c,
      page.items.map((i) => i.id),
    );
    texts.set(c, JSON.stringify(page.items));
    const own = new Set<string>();
    for (const i of page.items) {
      own.add(i.id);
      own.add(i.displayName);
      for (const a of i.alerts) {
        own.add(a.title);
        for (const asset of a.assets) own.add(asset);
      }
      for (const action of i.guidedResponse?.actions ?? []) own.add(action.target.name);
    }
    strings.set(c, own);
  }
  for (const c of CUSTOMERS) {
    const others = CUSTOMERS.filter((o) => o !== c).map((o) => texts.get(o) ?? '');
    const name = h.directory.customers.find((x) => x.id === c)?.name ?? c;
    secrets.set(c, [
      name,
      ...[...(strings.get(c) ?? [])].filter((s) => s.length >= 4 && !others.some((t) => t.includes(s))),
    ]);
  }
});
afterAll(async () => {
  await h?.cleanup();
});

type Place = 'dm' | 'own-channel' | 'shared-with-other' | 'shared-with-provider' | 'unknown';

interface Case {
  readonly a: CustomerId;
  readonly b: CustomerId;
  /** Who speaks: a person of A or B, or one of the provider's experts. */
  readonly speaker: 'a' | 'b' | 'provider';
  readonly person: number;
  readonly place: Place;
  readonly input: Turn['input'];
}

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length] as T;

const someId = fc.oneof(
  fc.tuple(fc.constantFrom(...CUSTOMERS), fc.nat()).map(([c, n]) => pick(ids.get(c) ?? ['1'], n)),
  fc.string({ maxLength: 8 }),
);

const commands = fc.oneof(
  fc.constantFrom('help', 'incidents', 'incidents all', 'incidents awaiting high', 'summary', 'questions'),
  fc.constantFrom('messages 30d', 'report 30d', 'subscribe', 'unsubscribe', 'sdm', 'checkin'),
  someId.map((id) => `incident ${id}`),
  fc.tuple(fc.constantFrom(...CUSTOMERS), someId).map(([c, id]) => `incident ${c} ${id}`),
  fc.constantFrom(...CUSTOMERS).map((c) => `summary ${c}`),
  fc
    .tuple(fc.constantFrom(...CUSTOMERS), fc.nat())
    .map(([c, n]) => `find ${pick(secrets.get(c) ?? ['x'], n)}`),
);

const payloads = fc.record({
  verb: fc.constantFrom(...Object.values(VERBS)),
  data: fc.record(
    {
      id: someId,
      view: fc.constantFrom('open', 'awaiting', 'investigating', 'resolved', 'all', 'bogus'),
      severity: fc.constantFrom(null, 'high', 'low'),
      offset: fc.integer({ min: -1, max: 40 }),
      action: fc.constantFrom('a1', 'a2', 'isolate'),
      v: fc.integer({ min: 0, max: 3 }),
      customer: fc.constantFrom(...CUSTOMERS),
    },
    { requiredKeys: [] },
  ),
});

const cases: fc.Arbitrary<Case> = fc
  .record({
    pair: fc.uniqueArray(fc.constantFrom(...CUSTOMERS), { minLength: 2, maxLength: 2 }),
    speaker: fc.constantFrom('a', 'b', 'provider'),
    person: fc.nat(),
    place: fc.constantFrom<Place>(
      'dm',
      'own-channel',
      'shared-with-other',
      'shared-with-provider',
      'unknown',
    ),
    input: fc.oneof(
      commands.map((text): Turn['input'] => ({ kind: 'message', text, attachmentCount: 0 })),
      payloads.map((p): Turn['input'] => ({ kind: 'action', verb: p.verb, data: p.data })),
    ),
  })
  .map(({ pair, ...rest }) => ({ ...rest, a: pair[0] as CustomerId, b: pair[1] as CustomerId }));

/** The speaker, the conversation and the organisations that read it, as the Slack adapter reports them. */
function scene(c: Case): {
  principal: Principal;
  conversation: ConversationRef;
  facts: AudienceFacts;
  readers: string[];
} {
  const own = c.speaker === 'provider' ? PROVIDER : TEAM[c.speaker === 'a' ? c.a : c.b];
  const userId =
    c.speaker === 'provider' ? 'U0EXPERT1' : pick(PEOPLE[c.speaker === 'a' ? c.a : c.b], c.person);
  const principal: Principal = { platform: 'slack', userId, workspaceId: own, displayName: userId };
  const channel = `C0${c.place.replace(/-/g, '').toUpperCase().slice(0, 10)}`;
  const conversation: ConversationRef = {
    platform: 'slack',
    id: c.place === 'dm' ? `slack:${own}:D0${userId}` : `slack:${own}:${channel}`,
    threadId: null,
    kind: c.place === 'dm' ? 'personal' : 'channel',
  };
  switch (c.place) {
    case 'dm':
      return { principal, conversation, facts: { kind: 'private' }, readers: [own] };
    case 'own-channel':
      return { principal, conversation, facts: { kind: 'organisations', organisations: [] }, readers: [own] };
    case 'shared-with-other': {
      const orgs = [TEAM[c.a], TEAM[c.b]];
      return {
        principal,
        conversation,
        facts: { kind: 'organisations', organisations: orgs },
        readers: [...orgs, own],
      };
    }
    case 'shared-with-provider':
      return {
        principal,
        conversation,
        facts: { kind: 'organisations', organisations: [own, PROVIDER] },
        readers: [own, PROVIDER],
      };
    case 'unknown':
      return {
        principal,
        conversation,
        facts: { kind: 'unknown', reason: 'lookup failed' },
        readers: [own, ...CUSTOMERS.map((x) => TEAM[x])],
      };
  }
}

/** Another customer's secret that `viewer` would read in this reply; null when there is none. */
function leak(reply: Reply, viewer: string, input: string): string | null {
  const viewed = CUSTOMERS.find((x) => TEAM[x] === viewer);
  if (viewed === undefined) return null; // the provider's people may read every customer's data
  const said = JSON.stringify({ text: reply.text, card: reply.card });
  for (const other of CUSTOMERS) {
    if (other === viewed) continue;
    for (const secret of secrets.get(other) ?? []) {
      // What the viewer typed or clicked themselves is theirs to see echoed back.
      if (input.includes(secret)) continue;
      const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      if (new RegExp(`(^|[^A-Za-z0-9])${escaped}($|[^A-Za-z0-9])`).test(said)) return `${other}: ${secret}`;
    }
  }
  return null;
}

describe('no customer’s data reaches another customer', () => {
  it('knows what belongs to each customer alone (so the property below can fail)', () => {
    for (const c of CUSTOMERS) expect(secrets.get(c)?.length ?? 0).toBeGreaterThan(10);
  });

  it('holds for random customers, people, conversations, commands and card payloads', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const { principal, conversation, facts, readers } = scene(c);
        const replies = await h.send({ principal, conversation, input: c.input, audience: facts });
        const input = JSON.stringify(c.input);
        for (const reply of replies) {
          const seenBy = reply.ephemeral === true ? [principal.workspaceId] : readers;
          for (const viewer of seenBy) expect(leak(reply, viewer, input), `${viewer} reads it`).toBeNull();
        }
      }),
      { numRuns: 300 },
    );
  });
});
