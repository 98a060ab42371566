import { describe, expect, it } from 'vitest';
import {
  createSimulatedSource,
  type SimulatedSource,
} from '../../../../adapters/simulated/simulated-source.js';
import type { Customer, ExpertsAccess } from '../../../../bot/domain/customer.js';
import type { Incident, ResponseAction } from '../../../../bot/domain/incident.js';
import type { Clock } from '../../../../bot/ports.js';
import { makeCustomer } from '../../../support/make-customer.js';

// The Defender Experts service's incident lifecycle, played through SimulationControl (the console's expert
// persona) and by the autopilot; the invariants of each status must hold for every version.

const customer = (id: string, expertsAccess: ExpertsAccess): Customer => makeCustomer(id, expertsAccess);
const reader = customer('contoso', 'reader');
const operator = customer('fabrikam', 'operator');

function setup(): { sim: SimulatedSource; tick: () => void } {
  let t = Date.parse('2026-11-20T08:00:00.000Z');
  const clock: Clock = { now: () => new Date(t) };
  const sim = createSimulatedSource({ customers: [reader, operator], seed: 11, clock });
  return { sim, tick: () => (t += 60_000) };
}

/** What every version of every incident must satisfy, whichever path produced it. */
function expectLifecycleInvariants(i: Incident): void {
  const tagged = i.systemTags.includes('Defender Experts');
  switch (i.status) {
    case 'active':
      expect(i.assignedTo).toBeNull();
      expect(i.classification).toBe('unknown');
      break;
    case 'inProgress':
      expect(i.assignedTo).toBe('Defender Experts');
      expect(tagged).toBe(true);
      break;
    case 'awaitingAction':
      expect(i.assignedTo).toBe('Customer');
      expect(i.classification).toBe('truePositive');
      expect(tagged).toBe(true);
      expect(i.guidedResponse?.investigationSummary).toBeTruthy();
      expect(i.guidedResponse?.actions.length).toBeGreaterThan(0);
      break;
    case 'resolved':
      expect(i.assignedTo).toBeNull();
      expect(i.resolvingComment).toBeTruthy();
      expect(tagged).toBe(true);
      expect(i.alerts.every((a) => a.status === 'resolved')).toBe(true);
      break;
    default:
      throw new Error(`unexpected status ${JSON.stringify(i.status)}`);
  }
}

describe('lifecycle through SimulationControl', () => {
  it('reader: new → experts start → true positive → handoff → customer acts → experts resolve', async () => {
    const { sim, tick } = setup();
    const created = await sim.createIncident(reader.id);
    expect(created.status).toBe('active');
    expect(created.assignedTo).toBeNull();
    expect(created.systemTags).not.toContain('Defender Experts');

    tick();
    const started = await sim.startInvestigation(reader.id, created.id, 'Priya (Defender Experts)');
    expect(started.status).toBe('inProgress');
    expect(started.assignedTo).toBe('Defender Experts');
    expect(started.systemTags).toContain('Defender Experts');
    expect(started.comments.at(-1)?.createdBy).toBe('Priya (Defender Experts)');

    const classified = await sim.classify(
      reader.id,
      created.id,
      'truePositive',
      'malware',
      'Loader confirmed.',
    );
    expect(classified.status).toBe('inProgress');
    expect(classified.classification).toBe('truePositive');
    expect(classified.determination).toBe('malware');
    expect(classified.summary).toBe('Loader confirmed.');
    expect(classified.comments.at(-1)?.comment).toBe('Loader confirmed.');

    const handed = await sim.handOff(reader.id, created.id);
    expectLifecycleInvariants(handed);
    expect(handed.status).toBe('awaitingAction');
    expect(handed.assignedTo).toBe('Customer');
    const actions = handed.guidedResponse?.actions ?? [];
    expect(actions.every((a) => a.state === 'pending' && a.by === null && a.at === null)).toBe(true);

    let latest = handed;
    for (const a of actions) {
      latest = await sim.recordActionOutcome(
        reader.id,
        created.id,
        a.id,
        'completed',
        'adele.vance@contoso.example',
      );
    }
    expect(latest.status).toBe('awaitingAction');
    expect(
      latest.guidedResponse?.actions.every(
        (a) => a.state === 'completed' && a.by === 'adele.vance@contoso.example',
      ),
    ).toBe(true);

    const resolved = await sim.resolve(reader.id, created.id, 'All actions done; no further activity.');
    expectLifecycleInvariants(resolved);
    expect(resolved.resolvingComment).toBe('All actions done; no further activity.');
  });

  it('operator: the experts perform the actions themselves, then Resolved / Unassigned', async () => {
    const { sim, tick } = setup();
    const created = await sim.createIncident(operator.id);
    await sim.startInvestigation(operator.id, created.id, 'Defender Experts');
    await sim.classify(
      operator.id,
      created.id,
      'truePositive',
      'compromisedAccount',
      'Account takeover confirmed.',
    );
    tick();
    const resolved = await sim.resolve(
      operator.id,
      created.id,
      'Contained and remediated by Defender Experts.',
    );
    expectLifecycleInvariants(resolved);
    const guided = resolved.guidedResponse;
    expect(guided?.investigationSummary).toBeTruthy();
    expect(guided?.actions.length).toBeGreaterThan(0);
    for (const a of guided?.actions ?? []) {
      expect(a.by).toBe('Defender Experts');
      expect(a.at).toBe(resolved.lastUpdateDateTime);
      expect(a.state).toBe(a.target.excluded ? 'skipped' : 'completed');
    }
  });

  it.each([
    ['falsePositive', 'notMalicious'],
    ['informationalExpectedActivity', 'securityTesting'],
  ] as const)(
    '%s: resolved at once, unassigned, with the summary as resolving comment',
    async (classification, determination) => {
      const { sim } = setup();
      const created = await sim.createIncident(reader.id);
      await sim.startInvestigation(reader.id, created.id, 'Defender Experts');
      const done = await sim.classify(reader.id, created.id, classification, determination, 'Approved test.');
      expectLifecycleInvariants(done);
      expect(done.classification).toBe(classification);
      expect(done.determination).toBe(determination);
      expect(done.resolvingComment).toBe('Approved test.');
      expect(done.guidedResponse).toBeNull();
    },
  );

  it('hands off the actions the expert chose, as given', async () => {
    const { sim } = setup();
    const created = await sim.createIncident(reader.id);
    await sim.startInvestigation(reader.id, created.id, 'Defender Experts');
    await sim.classify(reader.id, created.id, 'truePositive', 'phishing', 'Consent phishing.');
    const chosen: ResponseAction[] = [
      {
        id: 'x-1',
        kind: 'blockOAuthApp',
        target: { type: 'app', id: 'app-1', name: 'Mail Backup Pro', excluded: false },
        state: 'pending',
        by: null,
        at: null,
        note: null,
      },
    ];
    const handed = await sim.handOff(reader.id, created.id, chosen);
    expect(handed.guidedResponse?.actions).toEqual(chosen);
  });

  it('adds comments on any incident, resolved ones included', async () => {
    const { sim } = setup();
    const resolved = (await sim.readChanges(reader, null)).incidents.find((i) => i.status === 'resolved');
    if (!resolved) throw new Error('no resolved incident');
    const after = await sim.comment(
      reader.id,
      resolved.id,
      'Defender Experts',
      'Follow-up: hash added to blocklist.',
    );
    expect(after.comments.at(-1)).toMatchObject({
      createdBy: 'Defender Experts',
      comment: 'Follow-up: hash added to blocklist.',
    });
    expect(after.status).toBe('resolved');
  });
});

describe('lifecycle through the autopilot', () => {
  it('keeps every invariant across 300 steps and plays every move, including customer-side progress', async () => {
    const { sim, tick } = setup();
    const cursors = new Map<string, string>();
    const seen: Incident[] = [];
    for (const c of [reader, operator]) {
      const batch = await sim.readChanges(c, null);
      cursors.set(c.id, batch.cursor);
      batch.incidents.forEach(expectLifecycleInvariants);
    }
    for (let n = 0; n < 300; n += 1) {
      tick();
      await sim.step();
      for (const c of [reader, operator]) {
        const batch = await sim.readChanges(c, cursors.get(c.id) ?? null);
        cursors.set(c.id, batch.cursor);
        for (const i of batch.incidents) {
          expect(i.customerId).toBe(c.id);
          expectLifecycleInvariants(i);
          seen.push(i);
        }
      }
    }
    const byCustomerUser = seen.filter((i) =>
      i.guidedResponse?.actions.some((a) => a.by?.endsWith('@contoso.example') && a.state !== 'pending'),
    );
    expect(byCustomerUser.length).toBeGreaterThan(0);
    expect(seen.some((i) => i.customerId === 'contoso' && i.status === 'awaitingAction')).toBe(true);
    expect(seen.some((i) => i.customerId === 'fabrikam' && i.status === 'awaitingAction')).toBe(false);
    expect(seen.some((i) => i.status === 'active')).toBe(true); // new incidents arrived
    const resolvedAfterHandoff = seen.filter(
      (i) => i.status === 'resolved' && i.customerId === 'contoso' && i.classification === 'truePositive',
    );
    expect(resolvedAfterHandoff.length).toBeGreaterThan(0);
    for (const i of resolvedAfterHandoff) {
      expect(i.guidedResponse?.actions.every((a) => a.state !== 'pending')).toBe(true);
    }
  });
});
