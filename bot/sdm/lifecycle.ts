import { assigneeKind, type Incident } from '../domain/incident.js';
import type { IncidentChange } from '../ports.js';
import type { TimelinePatch } from './sdm-ports.js';

// Graph's incident has no "handed off at" or "resolved at": the bot learns them from the versions the sync
// saves. A step's time is the lastUpdateDateTime of the first version seen in it (the source's own clock,
// not the poll's); a first sighting already past a step records that version's time, marked inferred.

const statusOf = (i: Incident | null): string => (i === null ? '' : String(i.status));
const isResolved = (i: Incident | null): boolean => statusOf(i) === 'resolved';
const isHandedOff = (i: Incident | null): boolean => statusOf(i) === 'awaitingAction';
const isExpertsWorking = (i: Incident | null): boolean =>
  i !== null && statusOf(i) === 'inProgress' && assigneeKind(i.assignedTo) === 'experts';

/** Handed off earlier, judged from the body: guided-response actions done by someone other than the experts. */
export function handedOffBefore(i: Incident): boolean {
  const actions = i.guidedResponse?.actions ?? [];
  return actions.some((a) => a.by !== null && assigneeKind(a.by) !== 'experts');
}

/** The timeline facts one saved change adds (nothing when the change moved no step). */
export function timelinePatch(change: IncidentChange): TimelinePatch | null {
  const { previous, current } = change;
  const at = current.lastUpdateDateTime;
  const base = { customerId: current.customerId, incidentId: current.id };
  const patch: {
    expertsStartedAt?: string;
    handedOffAt?: string;
    resolvedAt?: string | null;
    inferred?: boolean;
  } = {};
  if (previous === null) {
    // First sighting: only the state it is in now is known for sure.
    if (isExpertsWorking(current)) patch.expertsStartedAt = at;
    if (isHandedOff(current)) patch.handedOffAt = at;
    if (isResolved(current)) {
      patch.resolvedAt = at;
      if (handedOffBefore(current)) patch.handedOffAt = at;
      patch.inferred = true;
    }
    return Object.keys(patch).length === 0 ? null : { ...base, ...patch };
  }
  if (isExpertsWorking(current) && !isExpertsWorking(previous)) patch.expertsStartedAt = at;
  if (isHandedOff(current) && !isHandedOff(previous)) patch.handedOffAt = at;
  if (isResolved(current) && !isResolved(previous)) patch.resolvedAt = at;
  if (!isResolved(current) && isResolved(previous)) patch.resolvedAt = null;
  return Object.keys(patch).length === 0 ? null : { ...base, ...patch };
}

/** The patches of a batch of saved changes, in order. */
export function timelinePatches(changes: readonly IncidentChange[]): readonly TimelinePatch[] {
  return changes.map(timelinePatch).filter((p): p is TimelinePatch => p !== null);
}
