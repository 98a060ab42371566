import type { ChannelBinding } from '../domain/conversation.js';
import type { OutboxDraft, OutboxItem } from '../ports.js';
import type { ReminderStage } from './alert-messages.js';

// Aging handoffs: when a handoff is posted, its reminders are scheduled as outbox rows due at
// the configured ages. They survive restarts like any other row and do nothing if the incident has moved on.

export interface ReminderPlan {
  /** Ages after the handoff, in ms: [reminder, on-call mention (+ SDM note unless a third age is given), SDM]. */
  readonly agesMs: readonly number[];
}

/** Defaults: 4 h and 24 h. */
export const DEFAULT_REMINDER_PLAN: ReminderPlan = { agesMs: [4 * 3_600_000, 24 * 3_600_000] };

function stagesFor(count: number): ReminderStage[][] {
  if (count <= 0) return [];
  if (count === 1) return [['reminder']];
  if (count === 2) return [['reminder'], ['onCall', 'sdm']];
  return [
    ['reminder'],
    ['onCall'],
    ['sdm'],
    ...Array.from({ length: count - 3 }, (): ReminderStage[] => ['reminder']),
  ];
}

/** The scheduled rows for one delivered handoff event. */
export function reminderDrafts(
  plan: ReminderPlan,
  binding: ChannelBinding,
  handoff: OutboxItem,
  now: Date,
): OutboxDraft[] {
  const stages = stagesFor(plan.agesMs.length);
  // Ages count from the handoff itself (the version's instant), not from when a late post went out.
  const handedOffAt = Date.parse(handoff.version.split('#')[0] ?? '');
  const from = Number.isNaN(handedOffAt) ? now.getTime() : Math.min(handedOffAt, now.getTime());
  return plan.agesMs.flatMap((ageMs, i) =>
    (stages[i] ?? []).map((stage) => ({
      bindingId: binding.id,
      customerId: binding.customerId,
      incidentId: handoff.incidentId,
      kind: 'reminder',
      version: `${handoff.version}:${i}:${stage}`,
      payload: { stage, handedOffAt: from },
      notBefore: new Date(from + ageMs),
    })),
  );
}
