import type { Incident } from '../../bot/domain/incident.js';
import type { GraphAction } from './graph-json.js';
import {
  addComment,
  conclude,
  EXPERTS,
  handOff,
  investigationSummaryOf,
  pendingActions,
  pendingCount,
  performActions,
  recommendedActions,
  resolve,
  setActionState,
  startInvestigation,
} from './lifecycle.js';
import { commit, type Entry, type World } from './world.js';

// The moves of the lifecycle, applied to one simulated incident and committed as one change each. Shared
// by the autopilot (timer steps, initial state) and by SimulationControl (the console's expert persona);
// callers validate first, so every move here is allowed.

/** Experts pick the incident up, with the scenario's triage note. */
export function moveStart(world: World, e: Entry, by: string, at: string): Incident {
  return commit(world, e, startInvestigation(e.raw, by, e.scenario.triage(e.ctx), at));
}

/** The verdict; FP and informational are resolved in the same change, as the experts do. */
export function moveConclude(
  world: World,
  e: Entry,
  verdict: { classification: string; determination: string; summary: string },
  by: string,
  at: string,
): Incident {
  return commit(world, e, conclude(e.raw, verdict, by, at));
}

/** The verdict the scenario's story calls for. */
export function moveConcludeAsScripted(world: World, e: Entry, at: string): Incident {
  const { verdict, determination } = e.scenario;
  return moveConclude(
    world,
    e,
    { classification: verdict, determination, summary: e.scenario.conclusion(e.ctx) },
    EXPERTS,
    at,
  );
}

const guidedFor = (e: Entry, actions: readonly GraphAction[] | null) => ({
  investigationSummary: investigationSummaryOf(e.scenario, e.ctx, e.raw.summary ?? ''),
  actions: actions ?? pendingActions(e.raw.id, recommendedActions(e.scenario, e.ctx)),
});

/** The handoff: recommended actions go to the customer, who now owns the incident. */
export function moveHandOff(
  world: World,
  e: Entry,
  actions: readonly GraphAction[] | null,
  at: string,
): Incident {
  const text =
    `Handing over to ${e.ctx.customerName}. Our access is Security Reader, so the recommended actions in ` +
    'Guided response are yours to perform. Reply in this thread if anything is unclear; we stay on the incident.';
  return commit(world, e, handOff(e.raw, guidedFor(e, actions), EXPERTS, text, at));
}

/** Security Operator access: the experts run the actions themselves (still In progress afterwards). */
export function movePerform(world: World, e: Entry, at: string): Incident {
  const text =
    'Defender Experts performed the recommended actions under Security Operator access; see Guided response ' +
    'for what was done. Excluded assets need the manual steps in the investigation summary.';
  return commit(
    world,
    e,
    performActions(e.raw, guidedFor(e, e.raw.guidedResponse?.actions ?? null), text, at),
  );
}

/**
 * Resolved and Unassigned. For an operator customer's true positive whose actions are not yet done, the
 * experts perform them in the same change, as they would before closing.
 */
export function moveResolve(
  world: World,
  e: Entry,
  by: string,
  text: string,
  at: string,
  operator: boolean,
): Incident {
  const needsActions =
    operator &&
    e.raw.classification === 'truePositive' &&
    (e.raw.guidedResponse === null || pendingCount(e.raw) > 0);
  const base = needsActions
    ? performActions(
        e.raw,
        guidedFor(e, e.raw.guidedResponse?.actions ?? null),
        'Recommended actions performed by Defender Experts.',
        at,
      )
    : e.raw;
  return commit(world, e, resolve(base, by, text, at));
}

/** What the experts write when they close a true positive. */
export function closingText(e: Entry, afterCustomer: boolean): string {
  return afterCustomer
    ? `Thank you, ${e.ctx.customerName}: every recommended action is recorded as done. We checked the ` +
        'affected assets again and see no further attacker activity. Resolving; ask us here if it recurs.'
    : 'Containment and remediation are complete and no further malicious activity was observed. Resolving.';
}

/** The customer records the outcome of one action (from chat, or simulated). */
export function moveCustomerAction(
  world: World,
  e: Entry,
  actionId: string,
  change: { state: 'completed' | 'skipped' | 'failed'; by: string; note: string | null },
  at: string,
): Incident {
  return commit(world, e, setActionState(e.raw, actionId, change, at));
}

/** A line in Comments and history. */
export function moveComment(world: World, e: Entry, by: string, text: string, at: string): Incident {
  return commit(world, e, addComment(e.raw, by, text, at));
}
