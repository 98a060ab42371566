import { incidentAlertCard } from '../../cards/index.js';
import type { Incident } from '../domain/incident.js';
import type { Reply } from '../ports.js';
import { cardReply, textReply } from '../replies.js';
import { categoryLabel } from '../sdm/report-figures.js';

// The messages the dispatcher sends, built from the incident's CURRENT stored state: an update after a
// delay shows where the incident is now; the thread keeps the step-by-step history.

export type ReminderStage = 'reminder' | 'onCall' | 'sdm';

/** The alert card for a binding's channel; its "Latest" line reads like the thread's. */
export function alertCard(customerName: string, incident: Incident, latest: string, now: Date): Reply {
  return cardReply(incidentAlertCard({ customerName, incident, latest: readableLine(latest), now }));
}

/** One thread line under the post, in people's words (the portal comment keeps the full audit text). */
export const threadLine = (line: string): Reply => textReply(readableLine(line));

// The provider signs every line the same way, whatever the portal's author field says: the service answers.
const PROVIDER_AUTHOR = /^(?:microsoft\s+)?defender\s+experts(?:\s+(?:analyst|bot|team|service))?$/i;
const COMMENT = /^(.{0,160}?) commented: ([\s\S]*)$/;
// bot/response/state.ts auditComment: "[Guided response] <kind> on <type> <name> (id …): <event>
// [by <name> (<id>)] at <ISO> ([requested by <name> (<id>) ]from chat[; via]) — <note>".
const GUIDED =
  /^\[Guided response\] (.+?) on (?:device|file|user|email message|app) (.+?)(?: \(id [^)]*\))?(?: — excluded asset)?: (marked completed|skipped|run requested|run completed|run failed)(?: by (.+?)(?: \([a-z]+:[^)\s]*\))?)?(?: at \S+)? \((?:requested by (.+?)(?: \([a-z]+:[^)\s]*\))? )?from chat[^)]*\)(?: — ([\s\S]*))?$/;
const RESOLVED_RAW = /^Resolved as (.+) \(([a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+)\)\.$/;
const ISO_TIME = /\b(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?Z\b/g;

function guidedLine(m: RegExpExecArray): string {
  const [, kind = '', target = '', event = '', by, requester, note] = m;
  const what = `${kind} for ${target}`;
  const person = by ?? requester ?? null;
  const why = note === undefined || note.trim() === '' ? '' : `: ${note.trim()}`;
  switch (event) {
    case 'marked completed':
      return `✔ ${what} — marked completed${person === null ? '' : ` by ${person}`}`;
    case 'skipped':
      return `${what} — skipped${person === null ? '' : ` by ${person}`}${why}`;
    case 'run requested':
      return `${what} — run started${person === null ? '' : ` by ${person}`}`;
    case 'run completed':
      return `✔ ${what} — completed${person === null ? '' : ` (run by ${person})`}`;
    default:
      return `✖ ${what} — failed${person === null ? '' : ` (run by ${person})`}${why}`;
  }
}

/**
 * A lifecycle line as people read it in chat: guided-response audit comments shortened to what happened,
 * one "Defender Experts" signature for the provider, and times as the cards write them (no ISO stamps).
 */
export function readableLine(line: string): string {
  const comment = COMMENT.exec(line);
  const author = comment?.[1]?.trim() ?? null;
  const body = comment?.[2] ?? line;
  const guided = GUIDED.exec(body.trim());
  if (guided !== null) return guidedLine(guided);
  // "Resolved as True positive (clickFix)." — a determination the portal added after us, spelled out.
  const resolved = RESOLVED_RAW.exec(line);
  if (comment === null && resolved !== null)
    return `Resolved as ${resolved[1]} (${categoryLabel(resolved[2] ?? '')}).`;
  let text = body.replace(ISO_TIME, '$1 $2 UTC');
  // A clipped audit comment the pattern cannot read still loses its object ids and account ids.
  if (text.startsWith('[Guided response] '))
    text = text
      .slice('[Guided response] '.length)
      .replace(/ \(id [^)]*\)/g, '')
      .replace(/ \((?:web|slack|teams):[^)\s]*\)/g, '');
  if (comment === null || author === null) return text;
  return `${PROVIDER_AUTHOR.test(author) ? 'Defender Experts' : author} commented: ${text}`;
}

const hours = (ms: number): string => {
  const h = Math.round(ms / 3_600_000);
  return h >= 48 ? `${Math.round(h / 24)} days` : `${h} h`;
};

const pendingText = (incident: Incident): string => {
  const pending = (incident.guidedResponse?.actions ?? []).filter((a) => a.state === 'pending').length;
  return pending === 0 ? '' : ` ${pending} recommended action${pending === 1 ? '' : 's'} still pending.`;
};

/** Aging handoffs: reminder in the thread; on-call mention; note to the SDM. */
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
