import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Customer } from '../../bot/domain/customer.js';
import type { Incident } from '../../bot/domain/incident.js';
import type { ChangeBatch, IncidentSource } from '../../bot/ports.js';

// The IncidentSource port's contract, for every implementation: the simulation and the Graph client (against a
// loopback Graph stand-in) run this same suite. It only uses the port plus `mutate`, which the fixture
// implements however its backend changes an incident (the simulation's control, a write to the stand-in).

/** What a source's test file hands the suite. Needs at least two customers, each with incidents. */
export interface IncidentSourceFixture {
  readonly source: IncidentSource;
  readonly customers: readonly Customer[];
  /** Changes one incident of that customer (newer lastUpdateDateTime) and returns its id. */
  mutate(customerId: string): Promise<string>;
  cleanup(): Promise<void>;
}

// Graph writes 7 fractional digits, we write 3; either, with Z or an offset, is a valid instant.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})$/;

/** Orders instants at full precision (Date.parse alone would drop digits past the millisecond). */
function instant(text: string): number {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?(.*)$/.exec(text);
  if (!m) return Number.NaN;
  const fraction = (m[2] ?? '').padEnd(7, '0');
  const ms = Date.parse(`${m[1]}.${fraction.slice(0, 3)}${m[3]}`);
  return ms * 10_000 + Number(fraction.slice(3));
}

const ids = (batch: ChangeBatch): string[] => batch.incidents.map((i) => i.id);

function expectWellFormed(incident: Incident, customerId: string): void {
  expect(incident.id.trim()).not.toBe('');
  expect(incident.customerId).toBe(customerId);
  expect(incident.displayName.trim()).not.toBe('');
  expect(incident.lastUpdateDateTime).toMatch(ISO_INSTANT);
  expect(incident.createdDateTime).toMatch(ISO_INSTANT);
  expect(Number.isFinite(instant(incident.lastUpdateDateTime))).toBe(true);
  expect(instant(incident.lastUpdateDateTime)).toBeGreaterThanOrEqual(instant(incident.createdDateTime));
  expect(Array.isArray(incident.comments) && Array.isArray(incident.alerts)).toBe(true);
  // Stores persist incidents as JSON: what a source returns must survive the round trip unchanged.
  expect(JSON.parse(JSON.stringify(incident))).toEqual(incident);
}

/** Runs the IncidentSource contract against one implementation. */
export function incidentSourceContract(
  name: string,
  makeFixture: () => Promise<IncidentSourceFixture>,
): void {
  describe(`IncidentSource contract: ${name}`, () => {
    let f: IncidentSourceFixture;
    let a: Customer;
    let b: Customer;

    beforeEach(async () => {
      f = await makeFixture();
      const [first, second] = f.customers;
      if (!first || !second) throw new Error('the fixture must provide at least two customers');
      a = first;
      b = second;
    });
    afterEach(async () => {
      await f.cleanup();
    });

    it('readChanges(null) returns well-formed incidents of that customer only', async () => {
      const seen = new Map<string, string>();
      for (const customer of [a, b]) {
        const batch = await f.source.readChanges(customer, null);
        expect(batch.incidents.length).toBeGreaterThan(0);
        expect(typeof batch.cursor).toBe('string');
        expect(batch.cursor).not.toBe('');
        expect(new Set(ids(batch)).size).toBe(batch.incidents.length);
        for (const incident of batch.incidents) {
          expectWellFormed(incident, customer.id);
          expect(seen.get(incident.id), `id ${incident.id} returned for two customers`).toBeUndefined();
          seen.set(incident.id, customer.id);
        }
      }
    });

    it('returns nothing newer when nothing changed (overlap may repeat, never newer)', async () => {
      const first = await f.source.readChanges(a, null);
      const known = new Map(first.incidents.map((i) => [i.id, i.lastUpdateDateTime]));
      const again = await f.source.readChanges(a, first.cursor);
      for (const incident of again.incidents) {
        expect(known.get(incident.id)).toBe(incident.lastUpdateDateTime);
      }
      expect(typeof again.cursor).toBe('string');
    });

    it('after a change, the next read from the cursor has the newer version, and the cursor moves', async () => {
      const first = await f.source.readChanges(a, null);
      const id = await f.mutate(a.id);
      const before = first.incidents.find((i) => i.id === id);
      expect(before, 'mutate must change an incident readChanges(null) returned').toBeDefined();
      const next = await f.source.readChanges(a, first.cursor);
      const after = next.incidents.find((i) => i.id === id);
      expect(after, 'the changed incident must be in the next batch').toBeDefined();
      if (!before || !after) return;
      expectWellFormed(after, a.id);
      expect(instant(after.lastUpdateDateTime)).toBeGreaterThan(instant(before.lastUpdateDateTime));
      expect(next.cursor).not.toBe(first.cursor);
      // Reading on from the new cursor does not hand the same version back as newer.
      const third = await f.source.readChanges(a, next.cursor);
      for (const incident of third.incidents) {
        const prior =
          next.incidents.find((i) => i.id === incident.id) ??
          first.incidents.find((i) => i.id === incident.id);
        expect(prior?.lastUpdateDateTime).toBe(incident.lastUpdateDateTime);
      }
    });

    it("a change to one customer's incident never shows in another customer's changes", async () => {
      const firstB = await f.source.readChanges(b, null);
      const knownB = new Map(firstB.incidents.map((i) => [i.id, i.lastUpdateDateTime]));
      const id = await f.mutate(a.id);
      const nextB = await f.source.readChanges(b, firstB.cursor);
      expect(ids(nextB)).not.toContain(id);
      for (const incident of nextB.incidents) {
        expect(incident.customerId).toBe(b.id);
        expect(knownB.get(incident.id)).toBe(incident.lastUpdateDateTime);
      }
    });

    it('getIncident returns the current version of a known id', async () => {
      const first = await f.source.readChanges(a, null);
      const sample = first.incidents[0];
      if (!sample) throw new Error('no incidents');
      const got = await f.source.getIncident(a, sample.id);
      expect(got?.id).toBe(sample.id);
      expect(got?.lastUpdateDateTime).toBe(sample.lastUpdateDateTime);
      if (got) expectWellFormed(got, a.id);

      const id = await f.mutate(a.id);
      const changed = (await f.source.readChanges(a, first.cursor)).incidents.find((i) => i.id === id);
      const fresh = await f.source.getIncident(a, id);
      expect(fresh?.lastUpdateDateTime).toBe(changed?.lastUpdateDateTime);
    });

    it("getIncident answers an unknown id and another customer's id alike: null", async () => {
      const ofB = (await f.source.readChanges(b, null)).incidents[0];
      if (!ofB) throw new Error('no incidents');
      expect(await f.source.getIncident(a, ofB.id)).toBeNull();
      expect(await f.source.getIncident(a, '987654321')).toBeNull();
      expect(await f.source.getIncident(a, '')).toBeNull();
      expect(await f.source.getIncident(b, ofB.id)).not.toBeNull();
    });

    it('ping resolves when the source is reachable', async () => {
      await expect(f.source.ping()).resolves.toBeUndefined();
    });
  });
}
