import type { Clock } from '../../bot/ports.js';
import { EXPERTS, pendingCount } from './lifecycle.js';
import {
  closingText,
  moveConcludeAsScripted,
  moveCustomerAction,
  moveHandOff,
  movePerform,
  moveResolve,
  moveStart,
} from './moves.js';
import type { Random } from './random.js';
import { demoDomain } from './scenario-kit.js';
import { pickScenario } from './scenarios.js';
import { addIncident, type CustomerState, type Entry, isOpen, stamp, type World } from './world.js';

// The autopilot: what the experts and the customer's SOC do on their own, one step at a time. Each step
// draws from the customer's seeded stream in a fixed order, so the same seed and clock replay exactly.

/** At most this many incidents of one customer move per step, so the demo stays readable. */
const MAX_CHANGES_PER_STEP = 2;
/** Chance per step and customer that a new incident arrives. */
const NEW_INCIDENT_CHANCE = 0.15;
/** The autopilot stops adding incidents beyond this many per customer (the console still can). */
const AUTOPILOT_CAP = 400;

const RESPONDERS = ['adele.vance', 'lidia.holloway', 'grady.archie', 'soc.oncall'];
const DONE_NOTES = ['Done from the Defender portal.', 'Done; confirmed with the asset owner.', null];
const SKIP_NOTES = [
  'Skipped: the device is being reimaged instead.',
  'Skipped: already covered by a Conditional Access block.',
];

/** A person on the customer's SOC team, as the portal would show them. */
export const customerUser = (rng: Random, cs: CustomerState): string =>
  `${rng.pick(RESPONDERS)}@${demoDomain(cs.customer)}`;

/** The customer works one pending action: mostly done, sometimes skipped with a reason. */
export function customerWorksOneAction(world: World, cs: CustomerState, e: Entry, at: string): boolean {
  const action = e.raw.guidedResponse?.actions.find((a) => a.state === 'pending' || a.state === 'inProgress');
  if (!action) return false;
  const by = customerUser(cs.rng, cs);
  const skip = !action.target.excluded && cs.rng.chance(0.2);
  const note = action.target.excluded
    ? 'Done manually, following the guidance for this excluded asset.'
    : skip
      ? cs.rng.pick(SKIP_NOTES)
      : cs.rng.pick(DONE_NOTES);
  moveCustomerAction(world, e, action.id, { state: skip ? 'skipped' : 'completed', by, note }, at);
  return true;
}

/** One move for one incident, if its turn comes up; true when something changed. */
function advance(world: World, cs: CustomerState, e: Entry, clock: Clock): boolean {
  const { rng } = cs;
  const r = e.raw;
  const operator = cs.customer.expertsAccess === 'operator';
  const now = () => stamp(world, clock);
  if (r.status === 'active') {
    if (!rng.chance(0.5)) return false;
    moveStart(world, e, EXPERTS, now());
    return true;
  }
  if (r.status === 'inProgress') {
    if (r.classification === 'unknown') {
      if (!rng.chance(0.35)) return false;
      moveConcludeAsScripted(world, e, now());
      return true;
    }
    if (!rng.chance(0.5)) return false;
    if (r.classification !== 'truePositive' || (r.guidedResponse !== null && pendingCount(r) === 0)) {
      moveResolve(world, e, EXPERTS, closingText(e, false), now(), operator);
    } else if (operator) {
      movePerform(world, e, now());
    } else {
      moveHandOff(world, e, null, now());
    }
    return true;
  }
  if (r.status === 'awaitingAction') {
    if (pendingCount(r) > 0) return rng.chance(0.3) && customerWorksOneAction(world, cs, e, now());
    if (!rng.chance(0.5)) return false;
    moveResolve(world, e, EXPERTS, closingText(e, true), now(), operator);
    return true;
  }
  return false;
}

/** One step of the simulated service for one customer. */
export function stepCustomer(world: World, cs: CustomerState, clock: Clock): void {
  let changes = 0;
  for (const e of cs.entries.values()) {
    if (changes >= MAX_CHANGES_PER_STEP) break;
    if (isOpen(e) && advance(world, cs, e, clock)) changes += 1;
  }
  if (cs.rng.chance(NEW_INCIDENT_CHANCE) && cs.entries.size < AUTOPILOT_CAP) {
    addIncident(world, cs, pickScenario(cs.rng), stamp(world, clock));
  }
}
