import { describe, expect, it } from 'vitest';
import { createSimulatedSource } from '../../../../adapters/simulated/simulated-source.js';
import type { Customer, ExpertsAccess } from '../../../../bot/domain/customer.js';
import { DETERMINATIONS } from '../../../../bot/domain/enums.js';
import { type Incident, incidentInView } from '../../../../bot/domain/incident.js';
import { isUnrecognised } from '../../../../bot/domain/tolerant.js';
import type { Clock } from '../../../../bot/ports.js';
import { makeCustomer } from '../../../support/make-customer.js';

// On creation every customer already has incidents at every stage, so the console has content at once.

const customer = (id: string, expertsAccess: ExpertsAccess): Customer =>
  makeCustomer(id, expertsAccess, `${id[0]?.toUpperCase()}${id.slice(1)} Ltd`);
const NOW = Date.parse('2026-11-20T08:00:00.000Z');
const clock: Clock = { now: () => new Date(NOW) };
const customers = [
  customer('contoso', 'reader'),
  customer('fabrikam', 'operator'),
  customer('woodgrove', 'reader'),
];

async function all(c: Customer): Promise<readonly Incident[]> {
  const sim = createSimulatedSource({ customers, seed: 2026, clock });
  return (await sim.readChanges(c, null)).incidents;
}

const count = (list: readonly Incident[], p: (i: Incident) => boolean): number => list.filter(p).length;

describe('initial state', () => {
  it('gives each customer 14 incidents by default, with numeric ids distinct across customers', async () => {
    const sim = createSimulatedSource({ customers, seed: 2026, clock });
    const seen = new Set<string>();
    for (const c of customers) {
      const { incidents } = await sim.readChanges(c, null);
      expect(incidents).toHaveLength(14);
      for (const i of incidents) {
        expect(i.id).toMatch(/^[1-9]\d*$/);
        expect(seen.has(i.id)).toBe(false);
        seen.add(i.id);
        expect(i.customerId).toBe(c.id);
      }
    }
  });

  it.each(customers.filter((c) => c.expertsAccess === 'reader'))(
    'covers every stage for reader customer $id',
    async (c) => {
      const list = await all(c);
      expect(count(list, (i) => incidentInView(i, 'awaiting'))).toBeGreaterThanOrEqual(2);
      expect(count(list, (i) => incidentInView(i, 'investigating'))).toBeGreaterThanOrEqual(1);
      expect(count(list, (i) => i.status === 'active' && i.assignedTo === null)).toBeGreaterThanOrEqual(1);
      expect(
        count(list, (i) => i.status === 'resolved' && i.classification === 'falsePositive'),
      ).toBeGreaterThanOrEqual(1);
      expect(
        count(list, (i) => i.status === 'resolved' && i.classification === 'informationalExpectedActivity'),
      ).toBeGreaterThanOrEqual(1);
      expect(
        count(list, (i) => i.status === 'resolved' && i.classification === 'truePositive'),
      ).toBeGreaterThanOrEqual(1);
      // A customer-side action already done on one handoff shows progress in the console.
      const handoffs = list.filter((i) => i.status === 'awaitingAction');
      expect(handoffs.some((i) => i.guidedResponse?.actions.some((a) => a.state !== 'pending'))).toBe(true);
    },
  );

  it('plays the operator path for an operator customer: no handoffs, actions done by the experts', async () => {
    const list = await all(customers[1] as Customer);
    expect(count(list, (i) => i.status === 'awaitingAction')).toBe(0);
    expect(count(list, (i) => incidentInView(i, 'investigating'))).toBeGreaterThanOrEqual(1);
    const tp = list.filter((i) => i.status === 'resolved' && i.classification === 'truePositive');
    expect(tp.length).toBeGreaterThan(0);
    for (const i of tp) {
      for (const a of i.guidedResponse?.actions ?? []) {
        expect(a.by).toBe('Defender Experts');
        expect(a.state).toBe(a.target.excluded ? 'skipped' : 'completed');
      }
    }
  });

  it('keeps a determination outside the known list as text (ClickFix)', async () => {
    const list = await all(customers[0] as Customer);
    const odd = list.filter((i) => isUnrecognised(i.determination));
    expect(odd.length).toBeGreaterThan(0);
    expect(odd.map((i) => (isUnrecognised(i.determination) ? i.determination.unrecognised : ''))).toContain(
      'clickFix',
    );
    expect(DETERMINATIONS as readonly string[]).not.toContain('clickFix');
  });

  it('dates every version in the past, after creation, with history in order', async () => {
    for (const c of customers) {
      for (const i of await all(c)) {
        const updated = Date.parse(i.lastUpdateDateTime);
        expect(updated).toBeLessThanOrEqual(NOW);
        expect(updated).toBeGreaterThanOrEqual(Date.parse(i.createdDateTime));
        const times = i.comments.map((x) => Date.parse(x.createdDateTime));
        expect([...times].sort((x, y) => x - y)).toEqual(times);
        for (const t of times) expect(t).toBeLessThanOrEqual(updated);
      }
    }
  });

  it('honours initialIncidentsPerCustomer, including zero', async () => {
    const few = createSimulatedSource({ customers, seed: 1, clock, initialIncidentsPerCustomer: 3 });
    expect((await few.readChanges(customers[0] as Customer, null)).incidents).toHaveLength(3);
    const none = createSimulatedSource({ customers, seed: 1, clock, initialIncidentsPerCustomer: 0 });
    expect((await none.readChanges(customers[0] as Customer, null)).incidents).toHaveLength(0);
    expect(() =>
      createSimulatedSource({ customers, seed: 1, clock, initialIncidentsPerCustomer: -1 }),
    ).toThrow(/initialIncidentsPerCustomer/);
  });

  it('refuses a customer listed twice', () => {
    expect(() =>
      createSimulatedSource({
        customers: [customers[0] as Customer, customers[0] as Customer],
        seed: 1,
        clock,
      }),
    ).toThrow(/listed twice/);
  });
});
