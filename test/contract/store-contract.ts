import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelBinding } from '../../bot/domain/conversation.js';
import { type KnownSeverity, SEVERITIES } from '../../bot/domain/enums.js';
import { INCIDENT_VIEWS, type Incident, incidentInView } from '../../bot/domain/incident.js';
import { incidentMatches, searchTerms } from '../../bot/links/incident-search.js';
import type { Clock, Store } from '../../bot/ports.js';
import { makeIncident } from '../support/make-incident.js';
import { testClock } from '../support/test-clock.js';

// The Store port's contract: every Store implementation runs this same suite against
// its real backend. Nothing here knows which backend it is. Each test uses fresh random customer ids and
// claim keys, so a backend may hand out a shared database as long as cleanup() releases it.

/** What a backend's test file hands the suite: a ready store, and how to dispose of it (close may repeat). */
export interface StoreFixture {
  readonly store: Store;
  readonly cleanup: () => Promise<void>;
}

/** Opens a store on the test's clock: every instant the store stamps comes from the clock the test moves. */
export type StoreMaker = (clock: Clock) => Promise<StoreFixture>;

const HOUR = 3_600_000;
const BASE = Date.parse('2026-11-20T08:00:00.000Z');
const customer = (label: string): string => `${label}-${randomUUID().slice(0, 8)}`;
const key = (label: string): string => `contract:${label}:${randomUUID()}`;

type InstantStyle = 'iso' | 'graph7' | 'trimmed' | 'offset';
/** The same instant in the spellings sources use: 3 or 7 fractional digits, none, or an offset. */
function spell(ms: number, style: InstantStyle): string {
  const iso = new Date(ms).toISOString();
  if (style === 'graph7') return iso.replace('Z', '0000Z');
  if (style === 'trimmed') return iso.replace(/\.?0+Z$/, 'Z');
  if (style === 'offset') return new Date(ms + 2 * HOUR).toISOString().replace('Z', '+02:00');
  return iso;
}

/** Listing order: newest first; equal instants by id, longer first then by text (numeric ids as numbers). */
const byNewest =
  (ms: ReadonlyMap<string, number>) =>
  (a: string, b: string): number =>
    (ms.get(b) ?? 0) - (ms.get(a) ?? 0) || b.length - a.length || (a < b ? 1 : a > b ? -1 : 0);

function fullIncident(customerId: string, id: string): Incident {
  return makeIncident(customerId, {
    id,
    displayName: 'Ransomware "LockBit" on WS-FIN-042 — <b>é</b> 🚨\nsecond line',
    description: 'Defender Experts observed `vssadmin delete shadows` & lateral movement',
    status: 'pendingCustomerReview',
    severity: 'high',
    assignedTo: 'Customer',
    classification: 'truePositive',
    determination: 'Ransomware Precursor',
    createdDateTime: '2026-11-19T22:10:05.1234567Z',
    lastUpdateDateTime: '2026-11-20T08:00:00.1234567Z',
    systemTags: ['Defender Experts', 'Ransomware'],
    customTags: ['finance', 'vip'],
    priorityScore: 93,
    redirectIncidentId: '4711',
    summary: 'Initial access via phishing, then credential theft.',
    resolvingComment: 'Pending customer actions.',
    comments: [
      {
        comment: 'Handed over to customer',
        createdBy: 'Defender Experts',
        createdDateTime: '2026-11-20T07:59:00Z',
      },
      {
        comment: "I'll isolate it",
        createdBy: 'alice@contoso.example',
        createdDateTime: '2026-11-20T08:00:00Z',
      },
    ],
    alerts: [
      {
        id: 'da1',
        title: 'Credential theft',
        severity: 'critical',
        status: 'new',
        category: 'CredentialAccess',
        serviceSource: 'microsoftDefenderForEndpoint',
        detectionSource: 'antivirus',
        createdDateTime: '2026-11-19T22:10:05Z',
        assets: ['WS-FIN-042', 'alice@contoso.example'],
      },
      { id: 'da2', title: 'Phish delivered', severity: 'medium', assets: [] },
    ],
    guidedResponse: {
      investigationSummary: 'The attacker used a phishing mail to run a loader.',
      actions: [
        {
          id: 'a1',
          kind: 'isolateDevice',
          target: { type: 'device', id: 'm1', name: 'WS-FIN-042', excluded: false },
          state: 'completed',
          by: 'alice@contoso.example',
          at: '2026-11-20T08:00:00Z',
          note: 'done',
        },
        {
          id: 'a2',
          kind: 'quarantineMailbox',
          target: { type: 'user', id: 'u1', name: 'bob@contoso.example' },
        },
        {
          id: 'a3',
          kind: 'disableUser',
          target: { type: 'user', id: 'u2', name: 'svc', excluded: true },
          state: 'waiting',
        },
      ],
    },
  });
}

function binding(
  customerId: string,
  conversationId: string,
  over: Partial<ChannelBinding> = {},
): ChannelBinding {
  return {
    id: `b-${customerId}-${conversationId}`,
    customerId,
    conversation: { platform: 'slack', id: conversationId, threadId: null, kind: 'channel' },
    events: ['handoff', 'resolved'],
    onCall: null,
    createdBy: 'slack:U0ADMIN',
    createdAt: '2026-11-20T08:00:00.000Z',
    paused: false,
    ...over,
  };
}

const sortByConversation = (bs: readonly ChannelBinding[]): ChannelBinding[] =>
  [...bs].sort((a, b) => (a.conversation.id < b.conversation.id ? -1 : 1));

// A generated incident for the view/severity/order property: the values that decide views, including the
// awkward ones (an unrecognised status spelled like a known one, assignee spellings, unknown severities).
const generatedIncident = fc.record({
  status: fc.constantFrom<unknown>(
    'active',
    'inProgress',
    'awaitingAction',
    'resolved',
    'redirected',
    { unrecognised: 'resolved' },
    { unrecognised: 'unknownFutureValue' },
  ),
  assignedTo: fc.constantFrom<string | null>(
    'Defender Experts',
    ' defender experts ',
    'Microsoft Defender Experts',
    'Customer',
    'Unassigned',
    '',
    null,
    'alice@contoso.example',
  ),
  severity: fc.constantFrom<unknown>(
    'informational',
    'low',
    'medium',
    'high',
    { unrecognised: 'high' },
    'critical',
  ),
  second: fc.integer({ min: 0, max: 6 }),
  style: fc.constantFrom<InstantStyle>('iso', 'graph7', 'trimmed', 'offset'),
});

/** Runs the Store contract against one backend; call it from that backend's *.test.ts. */
export function storeContract(name: string, makeStore: StoreMaker): void {
  describe(`Store contract: ${name}`, () => {
    let fixture: StoreFixture;
    let store: Store;
    beforeEach(async () => {
      fixture = await makeStore(testClock(new Date(BASE)));
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    describe('incidents', () => {
      it('round-trips every field, unrecognised enum values and the guided response included', async () => {
        const c = customer('rt');
        const incident = fullIncident(c, '42');
        const minimal = makeIncident(c, { id: '43', assignedTo: null, priorityScore: null, alerts: [] });
        expect(incident.status).toEqual({ unrecognised: 'pendingCustomerReview' });
        const changes = await store.saveIncidentChanges(c, [incident, minimal], 'cursor-1');
        expect(changes).toStrictEqual([
          { previous: null, current: incident },
          { previous: null, current: minimal },
        ]);
        expect(await store.getIncident(c, '42')).toStrictEqual(incident);
        expect(await store.getIncident(c, '43')).toStrictEqual(minimal);
        const page = await store.listIncidents({
          customerId: c,
          view: 'all',
          severity: null,
          limit: 10,
          offset: 0,
        });
        expect(page.items).toStrictEqual([incident, minimal]); // 08:00:00.1234567 is newer than 08:00:00.000
        const later = { ...incident, lastUpdateDateTime: '2026-11-20T09:00:00Z', summary: 'updated' };
        const [change] = await store.saveIncidentChanges(c, [later], null);
        expect(change).toStrictEqual({ previous: incident, current: later });
      });

      it('answers null / empty for unknown ids and customers', async () => {
        const c = customer('empty');
        expect(await store.getIncident(c, '1')).toBeNull();
        expect(await store.getCursor(c)).toBeNull();
        expect(
          await store.listIncidents({ customerId: c, view: 'all', severity: null, limit: 5, offset: 0 }),
        ).toEqual({ items: [], total: 0 });
        expect(await store.countByView(c)).toEqual({
          open: 0,
          awaiting: 0,
          investigating: 0,
          resolved: 0,
          all: 0,
        });
      });

      it('implements every view, the severity filter, the order and countByView exactly as specified', async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(generatedIncident, { maxLength: 24 }), async (specs) => {
            const c = customer('views');
            const ms = new Map<string, number>();
            const incidents = specs.map(({ second, style, ...fields }, i) => {
              const id = String(7 + ((i * 37) % 101)); // distinct; mixes 1-, 2- and 3-digit ids
              ms.set(id, BASE + second * 1000);
              return makeIncident(c, {
                ...fields,
                id,
                lastUpdateDateTime: spell(BASE + second * 1000, style),
              });
            });
            await store.saveIncidentChanges(c, incidents, null);
            for (const view of INCIDENT_VIEWS) {
              for (const severity of [null, ...SEVERITIES] as (KnownSeverity | null)[]) {
                const expected = incidents
                  .filter((x) => incidentInView(x, view) && (severity === null || x.severity === severity))
                  .map((x) => x.id)
                  .sort(byNewest(ms));
                const page = await store.listIncidents({
                  customerId: c,
                  view,
                  severity,
                  limit: 100,
                  offset: 0,
                });
                expect({ view, severity, ids: page.items.map((x) => x.id) }).toEqual({
                  view,
                  severity,
                  ids: expected,
                });
                expect(page.total).toBe(expected.length);
              }
            }
            const counts = await store.countByView(c);
            for (const view of INCIDENT_VIEWS) {
              expect([view, counts[view]]).toEqual([
                view,
                incidents.filter((x) => incidentInView(x, view)).length,
              ]);
            }
          }),
          { numRuns: 15 },
        );
      });

      it('ranks what awaits the customer by urgency: severity, then waiting since the handoff, then id', async () => {
        const c = customer('urgency');
        const at = (hours: number): string => spell(BASE + hours * HOUR, 'graph7');
        const awaiting = (id: string, severity: string, hours: number): Incident =>
          makeIncident(c, {
            id,
            severity,
            status: 'awaitingAction',
            assignedTo: 'Customer',
            lastUpdateDateTime: at(hours),
          });
        await store.saveIncidentChanges(
          c,
          [
            awaiting('30', 'low', 0),
            awaiting('31', 'high', 5),
            awaiting('32', 'high', 1),
            awaiting('4', 'high', 1),
            awaiting('33', 'medium', 0),
            makeIncident(c, { id: '34', severity: 'high', status: 'active', lastUpdateDateTime: at(0) }),
          ],
          null,
        );
        // A later touch (a comment) on one still awaiting keeps its place: it waits since its handoff.
        await store.saveIncidentChanges(
          c,
          [{ ...awaiting('32', 'high', 9), summary: 'customer commented' }],
          null,
        );
        // One that went back to the experts and came back waits since its new handoff.
        await store.saveIncidentChanges(
          c,
          [makeIncident(c, { id: '30', severity: 'low', status: 'inProgress', lastUpdateDateTime: at(2) })],
          null,
        );
        await store.saveIncidentChanges(c, [awaiting('30', 'low', 3)], null);
        const page = await store.listIncidents({
          customerId: c,
          view: 'awaiting',
          severity: null,
          limit: 10,
          offset: 0,
          order: 'urgency',
        });
        expect(page.items.map((i) => i.id)).toEqual(['32', '4', '31', '33', '30']);
        expect(page.total).toBe(5);
        expect(Object.fromEntries(page.waitingSince ?? [])).toEqual({
          '4': new Date(BASE + HOUR).toISOString(),
          '32': new Date(BASE + HOUR).toISOString(),
          '31': new Date(BASE + 5 * HOUR).toISOString(),
          '33': new Date(BASE).toISOString(),
          '30': new Date(BASE + 3 * HOUR).toISOString(),
        });
        const second = await store.listIncidents({
          customerId: c,
          view: 'awaiting',
          severity: 'high',
          limit: 2,
          offset: 1,
          order: 'urgency',
        });
        expect({ ids: second.items.map((i) => i.id), total: second.total }).toEqual({
          ids: ['4', '31'],
          total: 3,
        });
        // The default order is unchanged: newest first, and no waiting times.
        const newest = await store.listIncidents({
          customerId: c,
          view: 'awaiting',
          severity: null,
          limit: 10,
          offset: 0,
        });
        expect(newest.items.map((i) => i.id)).toEqual(['32', '31', '30', '4', '33']);
        expect(newest.waitingSince).toBeUndefined();
      });

      it('searches by terms in SQL exactly as incidentMatches does, an exact id first', async () => {
        const c = customer('search');
        const incidents = [
          makeIncident(c, {
            id: '7',
            displayName: 'Phishing from 50%_off@deals.example',
            lastUpdateDateTime: spell(BASE, 'iso'),
          }),
          makeIncident(c, {
            id: '70',
            displayName: 'Ransomware on WS-7',
            description: 'Seen from 203.0.113.7',
            lastUpdateDateTime: spell(BASE + HOUR, 'iso'),
          }),
          makeIncident(c, {
            id: '71',
            displayName: 'Sign-in from Lagos',
            description: 'C:\\Temp\\a.exe',
            lastUpdateDateTime: spell(BASE + 2 * HOUR, 'iso'),
          }),
          makeIncident(c, {
            id: '72',
            displayName: 'Ünïcode Ärger on WS-7',
            lastUpdateDateTime: spell(BASE + 3 * HOUR, 'iso'),
          }),
        ];
        await store.saveIncidentChanges(c, incidents, null);
        // Someone else's incident with the same words is never found.
        const other = customer('other');
        await store.saveIncidentChanges(
          other,
          [makeIncident(other, { id: '73', displayName: 'Phishing WS-7 from Lagos' })],
          null,
        );
        const texts = [
          '7',
          'ws-7',
          'phishing 50%_off',
          '50%',
          '_',
          'c:\\temp\\a.exe',
          'temp\\',
          'ärger',
          'ws-7 lagos',
          'from',
          '203.0.113.7',
          'nothing',
        ];
        for (const text of texts) {
          const terms = searchTerms(text);
          const expected = incidents
            .filter((i) => incidentMatches(i, terms))
            .sort((a, b) => Date.parse(b.lastUpdateDateTime) - Date.parse(a.lastUpdateDateTime))
            .map((i) => i.id);
          const exact = terms.length === 1 ? expected.filter((id) => id === terms[0]) : [];
          const page = await store.listIncidents({
            customerId: c,
            view: 'all',
            severity: null,
            terms,
            limit: 10,
            offset: 0,
          });
          expect({ text, ids: page.items.map((i) => i.id), total: page.total }).toEqual({
            text,
            ids: [...exact, ...expected.filter((id) => !exact.includes(id))],
            total: expected.length,
          });
        }
        // The filters add up: a view and a severity narrow a search.
        const open = await store.listIncidents({
          customerId: c,
          view: 'resolved',
          severity: null,
          terms: ['ws-7'],
          limit: 10,
          offset: 0,
        });
        expect(open.total).toBe(0);
      });

      it('pages with limit and offset, reporting the full total', async () => {
        const c = customer('paging');
        const incidents = Array.from({ length: 23 }, (_, i) =>
          makeIncident(c, { id: String(100 + i), lastUpdateDateTime: spell(BASE + (i % 5) * HOUR, 'iso') }),
        );
        await store.saveIncidentChanges(c, incidents, null);
        const all = await store.listIncidents({
          customerId: c,
          view: 'all',
          severity: null,
          limit: 100,
          offset: 0,
        });
        expect(all.total).toBe(23);
        const pages: string[] = [];
        for (let offset = 0; offset < 30; offset += 10) {
          const page = await store.listIncidents({
            customerId: c,
            view: 'all',
            severity: null,
            limit: 10,
            offset,
          });
          expect(page.total).toBe(23);
          pages.push(...page.items.map((x) => x.id));
        }
        expect(pages).toEqual(all.items.map((x) => x.id));
        const none = await store.listIncidents({
          customerId: c,
          view: 'all',
          severity: null,
          limit: 0,
          offset: 0,
        });
        expect(none).toEqual({ items: [], total: 23 });
        await expect(
          store.listIncidents({ customerId: c, view: 'all', severity: null, limit: -1, offset: 0 }),
        ).rejects.toThrow();
      });

      it('ignores older copies and identical ones, comparing lastUpdateDateTime as instants', async () => {
        const c = customer('older');
        const v1 = makeIncident(c, {
          id: '7',
          lastUpdateDateTime: '2026-11-20T08:00:00Z',
          status: 'inProgress',
        });
        expect(await store.saveIncidentChanges(c, [v1], null)).toHaveLength(1);
        expect(await store.saveIncidentChanges(c, [v1], null)).toEqual([]);
        // Same instant spelled differently, same content: not a change.
        const respelled = { ...v1, lastUpdateDateTime: '2026-11-20T10:00:00.0000000+02:00' };
        expect(await store.saveIncidentChanges(c, [respelled], null)).toEqual([]);
        // ".5Z" is newer than "Z" although it sorts lower as text.
        const v2 = { ...v1, lastUpdateDateTime: '2026-11-20T08:00:00.5Z', status: 'awaitingAction' as const };
        expect(await store.saveIncidentChanges(c, [v2], null)).toEqual([{ previous: v1, current: v2 }]);
        // Older by a tenth of a millisecond (Graph sends 7 digits): ignored.
        const v3 = makeIncident(c, { id: '8', lastUpdateDateTime: '2026-11-20T08:00:00.1235Z' });
        const stale = { ...v3, lastUpdateDateTime: '2026-11-20T08:00:00.1234Z', status: 'resolved' as const };
        await store.saveIncidentChanges(c, [v3], null);
        expect(await store.saveIncidentChanges(c, [stale], null)).toEqual([]);
        expect(await store.getIncident(c, '8')).toStrictEqual(v3);
        // An offset spelling that looks later as text but is earlier as an instant: ignored.
        const older = { ...v2, lastUpdateDateTime: '2026-11-20T09:59:59+02:00', status: 'resolved' as const };
        expect(await store.saveIncidentChanges(c, [older], null)).toEqual([]);
        expect(await store.getIncident(c, '7')).toStrictEqual(v2);
        // Same instant, different content: a change.
        const edited = { ...v2, summary: 'experts added a summary' };
        expect(await store.saveIncidentChanges(c, [edited], null)).toEqual([
          { previous: v2, current: edited },
        ]);
      });

      it('reports changes in input order, applying a batch in order', async () => {
        const c = customer('changes');
        const a = makeIncident(c, { id: '1', lastUpdateDateTime: '2026-11-20T08:00:00Z' });
        const b = makeIncident(c, { id: '2', lastUpdateDateTime: '2026-11-20T08:00:00Z' });
        await store.saveIncidentChanges(c, [a, b], null);
        const b2 = { ...b, lastUpdateDateTime: '2026-11-20T09:00:00Z', assignedTo: 'Customer' };
        const d = makeIncident(c, { id: '4' });
        const e1 = makeIncident(c, { id: '5', lastUpdateDateTime: '2026-11-20T08:00:00Z' });
        const e2 = { ...e1, lastUpdateDateTime: '2026-11-20T08:30:00Z', status: 'resolved' as const };
        const f2 = makeIncident(c, { id: '6', lastUpdateDateTime: '2026-11-20T09:00:00Z' });
        const f1 = { ...f2, lastUpdateDateTime: '2026-11-20T08:00:00Z' };
        const changes = await store.saveIncidentChanges(c, [d, a, b2, e1, e2, f2, f1], null);
        expect(changes).toStrictEqual([
          { previous: null, current: d },
          { previous: b, current: b2 },
          { previous: null, current: e1 },
          { previous: e1, current: e2 },
          { previous: null, current: f2 },
        ]);
        expect(await store.getIncident(c, '5')).toStrictEqual(e2);
        expect(await store.getIncident(c, '6')).toStrictEqual(f2);
      });

      it('saves a large batch in one call', async () => {
        const c = customer('large');
        const batch = Array.from({ length: 400 }, (_, i) => makeIncident(c, { id: String(i + 1) }));
        expect(await store.saveIncidentChanges(c, batch, 'after-400')).toHaveLength(400);
        expect((await store.countByView(c)).all).toBe(400);
      });

      it('keeps one cursor per customer; null leaves it where it was', async () => {
        const [a, b] = [customer('cur-a'), customer('cur-b')];
        expect(await store.saveIncidentChanges(a, [], 'a-1')).toEqual([]);
        expect(await store.getCursor(a)).toBe('a-1');
        expect(await store.getCursor(b)).toBeNull();
        await store.saveIncidentChanges(b, [makeIncident(b)], 'b-1');
        await store.saveIncidentChanges(a, [makeIncident(a)], null);
        expect([await store.getCursor(a), await store.getCursor(b)]).toEqual(['a-1', 'b-1']);
        await store.saveIncidentChanges(a, [], 'a-2');
        expect([await store.getCursor(a), await store.getCursor(b)]).toEqual(['a-2', 'b-1']);
      });

      it('never shows one customer the rows of another, even with the same incident id', async () => {
        const [a, b] = [customer('iso-a'), customer('iso-b')];
        const ofA = makeIncident(a, { id: '99', status: 'awaitingAction', assignedTo: 'Customer' });
        const ofB = makeIncident(b, { id: '99', status: 'resolved', severity: 'low' });
        await store.saveIncidentChanges(a, [ofA], 'a');
        expect(await store.saveIncidentChanges(b, [ofB], 'b')).toStrictEqual([
          { previous: null, current: ofB },
        ]);
        expect(await store.getIncident(a, '99')).toStrictEqual(ofA);
        expect(await store.getIncident(b, '99')).toStrictEqual(ofB);
        const listA = await store.listIncidents({
          customerId: a,
          view: 'all',
          severity: null,
          limit: 10,
          offset: 0,
        });
        expect(listA).toStrictEqual({ items: [ofA], total: 1 });
        expect((await store.countByView(b)).awaiting).toBe(0);
        expect(await store.getIncident(customer('other'), '99')).toBeNull();
      });

      it('refuses an incident of another customer and rolls the whole batch back', async () => {
        const [a, b] = [customer('atom-a'), customer('atom-b')];
        const kept = makeIncident(a, { id: '1', lastUpdateDateTime: '2026-11-20T08:00:00Z' });
        await store.saveIncidentChanges(a, [kept], 'before');
        const update = { ...kept, lastUpdateDateTime: '2026-11-20T09:00:00Z', status: 'resolved' as const };
        const fresh = makeIncident(a, { id: '2' });
        const intruder = makeIncident(b, { id: '3' });
        await expect(store.saveIncidentChanges(a, [update, fresh, intruder], 'after')).rejects.toThrow();
        expect(await store.getIncident(a, '1')).toStrictEqual(kept);
        expect(await store.getIncident(a, '2')).toBeNull();
        expect(await store.getIncident(a, '3')).toBeNull();
        expect(await store.getIncident(b, '3')).toBeNull();
        expect(await store.getCursor(a)).toBe('before');
      });
    });

    describe('bindings', () => {
      it('adds, replaces per conversation, lists and deletes', async () => {
        const c = customer('bind');
        const one = binding(c, 'slack:T1:C1');
        const two = binding(c, 'teams:19:abc@thread.tacv2', {
          conversation: {
            platform: 'teams',
            id: 'teams:19:abc@thread.tacv2',
            threadId: '1700000000',
            kind: 'channel',
          },
          createdAt: '2026-11-21T08:00:00.000Z',
        });
        await store.saveBinding(one);
        await store.saveBinding(two);
        expect(sortByConversation(await store.listBindings(c))).toStrictEqual(sortByConversation([one, two]));
        const replaced = { ...one, id: 'b-new', events: ['handoff'], onCall: 'S0ONCALL', paused: true };
        await store.saveBinding(replaced);
        expect(sortByConversation(await store.listBindings(c))).toStrictEqual(
          sortByConversation([replaced, two]),
        );
        expect(await store.deleteBinding(c, 'slack:T1:C1')).toBe(true);
        expect(await store.deleteBinding(c, 'slack:T1:C1')).toBe(false);
        expect(await store.listBindings(c)).toStrictEqual([two]);
      });

      it('keeps customers apart for the same conversation id', async () => {
        const [a, b] = [customer('bind-a'), customer('bind-b')];
        await store.saveBinding(binding(a, 'slack:T1:C1'));
        await store.saveBinding(binding(b, 'slack:T1:C1', { events: ['resolved'] }));
        expect(await store.listBindings(a)).toStrictEqual([binding(a, 'slack:T1:C1')]);
        expect(await store.deleteBinding(a, 'slack:T1:C1')).toBe(true);
        expect(await store.listBindings(a)).toEqual([]);
        expect(await store.listBindings(b)).toStrictEqual([
          binding(b, 'slack:T1:C1', { events: ['resolved'] }),
        ]);
        expect(await store.deleteBinding(customer('none'), 'slack:T1:C1')).toBe(false);
      });
    });

    describe('claimOnce', () => {
      it('is true the first time only, per key', async () => {
        const [k1, k2] = [key('a'), key('b')];
        expect(await store.claimOnce(k1, 3600)).toBe(true);
        expect(await store.claimOnce(k1, 3600)).toBe(false);
        expect(await store.claimOnce(k2, 3600)).toBe(true);
        expect(await store.claimOnce(k1, 3600)).toBe(false);
      });

      it('lets exactly one of many simultaneous claims win', async () => {
        const k = key('race');
        const results = await Promise.all(Array.from({ length: 12 }, () => store.claimOnce(k, 3600)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('health', () => {
      it('pings while open; after close (which may repeat) ping rejects', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
        await store.close();
        await store.close();
        await expect(store.ping()).rejects.toThrow();
      });
    });
  });
}
