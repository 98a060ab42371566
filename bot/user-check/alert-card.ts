import { REDRAW_KIND } from '../alerts/planner.js';
import type { AffectedUserAnswer, Incident } from '../domain/incident.js';
import type { UserCheck } from '../domain/user-check.js';
import type { OutboxDraft, Store } from '../ports.js';
import type { UserCheckStore } from './user-check-ports.js';

// "Was this you?" on the incident's alert card: the questions about an incident are laid over it before the
// dispatcher draws its card, and a question asked or answered queues a redraw of that card in each of the
// customer's bound channels (an update in place: a channel without a post of the incident gets nothing).

const shown = (c: UserCheck): AffectedUserAnswer | null =>
  c.state === 'asked' || c.state === 'answered'
    ? { upn: c.upn, state: c.state, answer: c.answer, answeredAt: c.answeredAt }
    : null;

/** Lays the incident's open and answered questions over it (its own customer's questions only). */
export function presentUserChecks(checks: UserCheckStore): (incident: Incident) => Promise<Incident> {
  return async (incident) => {
    const views = (await checks.listForIncident(incident.customerId, incident.id))
      .map(shown)
      .filter((v): v is AffectedUserAnswer => v !== null);
    return views.length === 0 ? incident : { ...incident, userChecks: views };
  };
}

/**
 * Queues one redraw of the incident's alert card per active binding of the question's customer; `line` is
 * the card's new "Latest". Returns how many rows were new (a repeated call for the same step adds none).
 */
export async function queueAlertRedraw(
  store: Store,
  check: UserCheck,
  line: string,
  now: Date,
): Promise<number> {
  const bindings = (await store.listBindings(check.customerId)).filter(
    (b) => !b.paused && b.customerId === check.customerId,
  );
  const drafts: OutboxDraft[] = [];
  for (const binding of bindings) {
    if ((await store.getIncidentPost(binding.id, check.incidentId)) === null) continue;
    drafts.push({
      bindingId: binding.id,
      customerId: check.customerId,
      incidentId: check.incidentId,
      kind: REDRAW_KIND,
      version: `${check.id}:${check.state}:${check.answer ?? ''}`,
      payload: { matchesRule: false, line, detectedAt: now.getTime() },
    });
  }
  return drafts.length === 0 ? 0 : store.enqueueOutbox(drafts);
}
