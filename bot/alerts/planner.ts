import type { ChannelBinding } from '../domain/conversation.js';
import type { OutboxDraft, OutboxPlanner } from '../ports.js';
import { type AlertRule, lifecycleEvents } from './events.js';

// Turns saved changes into outbox rows, inside the save transaction. Every event goes to every active
// binding of the customer; `matchesRule` tells the dispatcher whether the event may START a post — once an
// incident has a post, every later event updates it and adds a thread line.

/**
 * The outbox kind that only redraws an incident's existing alert post, for state the bot keeps beside the
 * incident (a "Was this you?" answer): updated in place, no thread line, never a new post.
 */
export const REDRAW_KIND = 'redraw';

export interface AlertPayload {
  readonly matchesRule: boolean;
  readonly line: string;
  readonly rule: AlertRule;
  /** When the change was detected (ms since epoch), for detection-to-post latency. */
  readonly detectedAt: number;
}

const instant = (iso: string): number => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
};

/**
 * The planner for one customer's bindings. The first sync of a customer (no cursor yet) is a baseline and
 * alerts nothing; a binding hears only about changes at or after its creation.
 */
export function planAlerts(bindings: readonly ChannelBinding[], detectedAt: number): OutboxPlanner {
  return (changes, firstSync) => {
    if (firstSync) return [];
    const active = bindings.filter((b) => !b.paused);
    const drafts: OutboxDraft[] = [];
    for (const change of changes) {
      const events = lifecycleEvents(change);
      const changedAt = instant(change.current.lastUpdateDateTime);
      for (const binding of active) {
        if (changedAt < instant(binding.createdAt)) continue;
        events.forEach((event, index) => {
          const payload: AlertPayload = {
            matchesRule: binding.events.includes(event.rule),
            line: event.line,
            rule: event.rule,
            detectedAt,
          };
          drafts.push({
            bindingId: binding.id,
            customerId: binding.customerId,
            incidentId: change.current.id,
            kind: event.kind,
            // Several events of one kind in one version (two comments) stay distinct.
            version: `${change.current.lastUpdateDateTime}#${index}`,
            payload: { ...payload },
          });
        });
      }
    }
    return drafts;
  };
}
