import { incidentAlertCard } from '../../cards/index.js';
import type { Incident } from '../domain/incident.js';
import type { Reply } from '../ports.js';
import { cardReply, textReply } from '../replies.js';

// The messages the dispatcher sends, built from the incident's CURRENT stored state: an update after a
// delay shows where the incident is now; the thread keeps the step-by-step history.

export type ReminderStage = 'reminder' | 'onCall' | 'sdm';

/** The alert card for a binding's channel. */
export function alertCard(customerName: string, incident: Incident, latest: string, now: Date): Reply {
  return cardReply(incidentAlertCard({ customerName, incident, latest, now }));
}

/** One thread line under the post. */
export const threadLine = (line: string): Reply => textReply(line);

const hours = (ms: number): string => {
  const h = Math.round(ms / 3_600_000);
  return h >= 48 ? `${Math.round(h / 24)} days` : `${h} h`;
};

const pendingText = (incident: Incident): string => {
  const pending = (incident.guidedResponse?.actions ?? []).filter((a) => a.state === 'pending').length;
  return pending === 0 ? '' : ` ${pending} recommended action${pending === 1 ? '' : 's'} still pending.`;
};

/** Reminder in the thread; on-call mention; note to the SDM (issue 6.5). */
export function reminderMessage(
  stage: ReminderStage,
  incident: Incident,
  customerName: string,
  ageMs: number,
  onCall: string | null,
): Reply {
  const age = hours(ageMs);
  switch (stage) {
    case 'reminder':
      return textReply(
        `Reminder: Defender Experts handed this incident to you ${age} ago.${pendingText(incident)}`,
      );
    case 'onCall': {
      const base = `This handoff has waited ${age} for action.${pendingText(incident)}`;
      return onCall === null
        ? textReply(
            `${base} No on-call person is set for this channel (an admin can set one with "subscribe oncall <id>").`,
          )
        : { ...textReply(`@${onCall} ${base}`), mention: { id: onCall, name: onCall } };
    }
    case 'sdm':
      return textReply(
        `${customerName}: incident ${incident.id} ("${incident.displayName}") has awaited customer action for ${age}.${pendingText(incident)}`,
      );
  }
}
