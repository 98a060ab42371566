import { describe, expect, it } from 'vitest';
import {
  createSimulatedSource,
  type SimulatedSource,
} from '../../../../adapters/simulated/simulated-source.js';
import type { Customer, ExpertsAccess } from '../../../../bot/domain/customer.js';
import type { KnownClassification, KnownDetermination } from '../../../../bot/domain/enums.js';
import type { Incident, ResponseAction } from '../../../../bot/domain/incident.js';
import { BotError, type ErrorCode } from '../../../../bot/errors.js';
import type { Clock } from '../../../../bot/ports.js';
import { makeCustomer } from '../../../support/make-customer.js';

// Invalid SimulationControl calls get a coded BotError with a clear message and change nothing: no new
// version, no cursor movement, same incident afterwards.

const customer = (id: string, expertsAccess: ExpertsAccess): Customer => makeCustomer(id, expertsAccess);
const contoso = customer('contoso', 'reader');
const fabrikam = customer('fabrikam', 'reader');
const clock: Clock = { now: () => new Date('2026-11-20T08:00:00.000Z') };

async function fixture() {
  const sim = createSimulatedSource({ customers: [contoso, fabrikam], seed: 3, clock });
  const { incidents, cursor } = await sim.readChanges(contoso, null);
  const pick = (p: (i: Incident) => boolean): Incident => {
    const found = incidents.find(p);
    if (!found) throw new Error('fixture lacks an incident in that state');
    return found;
  };
  const other = (await sim.readChanges(fabrikam, null)).incidents[0];
  if (!other) throw new Error('no incidents for fabrikam');
  return {
    sim,
    cursor,
    resolved: pick((i) => i.status === 'resolved'),
    active: pick((i) => i.status === 'active'),
    inProgress: pick((i) => i.status === 'inProgress' && i.classification === 'unknown'),
    awaiting: pick((i) => i.status === 'awaitingAction'),
    otherId: other.id,
  };
}

/** Expects the call to fail with the code and message, and the simulation to be unchanged. */
async function rejects(
  sim: SimulatedSource,
  cursor: string,
  call: () => Promise<unknown>,
  code: ErrorCode,
  message: RegExp,
): Promise<void> {
  const before = await Promise.all([sim.readChanges(contoso, null), sim.readChanges(fabrikam, null)]);
  const error = await call().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BotError);
  expect((error as BotError).code).toBe(code);
  expect((error as BotError).message).toMatch(message);
  expect((await sim.readChanges(contoso, cursor)).incidents).toEqual([]);
  const after = await Promise.all([sim.readChanges(contoso, null), sim.readChanges(fabrikam, null)]);
  expect(after).toEqual(before);
}

describe('SimulationControl refuses invalid transitions without changing anything', () => {
  it('unknown customer and unknown incident: not_found', async () => {
    const f = await fixture();
    await rejects(
      f.sim,
      f.cursor,
      () => f.sim.createIncident('northwind'),
      'not_found',
      /customer "northwind"/,
    );
    await rejects(
      f.sim,
      f.cursor,
      () => f.sim.startInvestigation('contoso', '999999', 'X'),
      'not_found',
      /incident 999999 not found/,
    );
    await rejects(
      f.sim,
      f.cursor,
      () => f.sim.comment('contoso', '', 'X', 'hello'),
      'not_found',
      /not found/,
    );
  });

  it("another customer's id is answered exactly like an unknown id", async () => {
    const f = await fixture();
    const failure = (p: Promise<unknown>): Promise<BotError> =>
      p.then(
        () => {
          throw new Error('expected a failure');
        },
        (e: unknown) => e as BotError,
      );
    const unknown = await failure(f.sim.resolve('contoso', '999999', 'x'));
    const foreign = await failure(f.sim.resolve('contoso', f.otherId, 'x'));
    expect(foreign).toBeInstanceOf(BotError);
    expect([foreign.code, foreign.message.replace(f.otherId, 'ID')]).toEqual([
      unknown.code,
      unknown.message.replace('999999', 'ID'),
    ]);
    await rejects(f.sim, f.cursor, () => f.sim.handOff('contoso', f.otherId), 'not_found', /not found/);
    expect(await f.sim.getIncident(contoso, f.otherId)).toBeNull();
  });

  it('handing off a resolved, an unclassified or an awaiting incident: bad_input', async () => {
    const f = await fixture();
    await rejects(
      f.sim,
      f.cursor,
      () => f.sim.handOff('contoso', f.resolved.id),
      'bad_input',
      /Resolved; it can no longer change/,
    );
    await rejects(
      f.sim,
      f.cursor,
      () => f.sim.handOff('contoso', f.inProgress.id),
      'bad_input',
      /true positive/,
    );
    await rejects(
      f.sim,
      f.cursor,
      () => f.sim.handOff('contoso', f.awaiting.id),
      'bad_input',
      /Awaiting customer action/,
    );
  });

  it('starting an incident that is not Active, or with no expert name: bad_input', async () => {
    const f = await fixture();
    await rejects(
      f.sim,
      f.cursor,
      () => f.sim.startInvestigation('contoso', f.inProgress.id, 'X'),
      'bad_input',
      /only an Active/,
    );
    await rejects(
      f.sim,
      f.cursor,
      () => f.sim.startInvestigation('contoso', f.active.id, '  '),
      'bad_input',
      /expert name is empty/,
    );
  });

  it('classifying before the investigation, as unknown, or without a summary: bad_input', async () => {
    const f = await fixture();
    const classify = (id: string, c: string, d: string, s: string) => () =>
      f.sim.classify('contoso', id, c as KnownClassification, d as KnownDetermination, s);
    await rejects(
      f.sim,
      f.cursor,
      classify(f.active.id, 'truePositive', 'malware', 'x'),
      'bad_input',
      /start the investigation/,
    );
    await rejects(
      f.sim,
      f.cursor,
      classify(f.inProgress.id, 'unknown', 'malware', 'x'),
      'bad_input',
      /classification must be/,
    );
    await rejects(
      f.sim,
      f.cursor,
      classify(f.inProgress.id, 'truePositive', 'clickFix', 'x'),
      'bad_input',
      /determination must be/,
    );
    await rejects(
      f.sim,
      f.cursor,
      classify(f.inProgress.id, 'truePositive', 'malware', ''),
      'bad_input',
      /summary is empty/,
    );
    await rejects(
      f.sim,
      f.cursor,
      classify(f.resolved.id, 'falsePositive', 'other', 'x'),
      'bad_input',
      /Resolved/,
    );
  });

  it('resolving twice, empty or oversized comments: bad_input', async () => {
    const f = await fixture();
    await rejects(
      f.sim,
      f.cursor,
      () => f.sim.resolve('contoso', f.resolved.id, 'again'),
      'bad_input',
      /Resolved/,
    );
    await rejects(f.sim, f.cursor, () => f.sim.resolve('contoso', f.active.id, ''), 'bad_input', /empty/);
    await rejects(
      f.sim,
      f.cursor,
      () => f.sim.comment('contoso', f.active.id, 'X', 'a'.repeat(4001)),
      'bad_input',
      /longer than/,
    );
    await rejects(
      f.sim,
      f.cursor,
      () => f.sim.comment('contoso', f.active.id, '', 'hi'),
      'bad_input',
      /author is empty/,
    );
  });

  it('handoff actions with duplicate ids: bad_input', async () => {
    const f = await fixture();
    const sim = f.sim;
    await sim.startInvestigation('contoso', f.active.id, 'X');
    await sim.classify('contoso', f.active.id, 'truePositive', 'malware', 'Confirmed.');
    const { cursor } = await sim.readChanges(contoso, null);
    const action: ResponseAction = {
      id: 'a',
      kind: 'isolateDevice',
      target: { type: 'device', id: 'd', name: 'WS-FIN-042', excluded: false },
      state: 'pending',
      by: null,
      at: null,
      note: null,
    };
    await rejects(
      sim,
      cursor,
      () => sim.handOff('contoso', f.active.id, [action, action]),
      'bad_input',
      /unique/,
    );
  });

  it('recording an action outcome twice, or for an unknown action', async () => {
    const f = await fixture();
    const pending = f.awaiting.guidedResponse?.actions.find((a) => a.state === 'pending');
    if (!pending) throw new Error('no pending action');
    await f.sim.recordActionOutcome(
      'contoso',
      f.awaiting.id,
      pending.id,
      'skipped',
      'adele.vance@contoso.example',
      'n/a',
    );
    const { cursor } = await f.sim.readChanges(contoso, null);
    await rejects(
      f.sim,
      cursor,
      () => f.sim.recordActionOutcome('contoso', f.awaiting.id, pending.id, 'completed', 'x@contoso.example'),
      'bad_input',
      /already skipped/,
    );
    await rejects(
      f.sim,
      cursor,
      () => f.sim.recordActionOutcome('contoso', f.awaiting.id, 'nope', 'completed', 'x@contoso.example'),
      'not_found',
      /action nope not found/,
    );
  });

  it('readChanges for a customer outside the simulation: not_found', async () => {
    const f = await fixture();
    await expect(f.sim.readChanges(customer('northwind', 'reader'), null)).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
