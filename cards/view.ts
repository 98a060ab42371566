import type { Incident } from '../bot/domain/incident.js';
import { assigneeKind, assigneeLabel, isExpertsIncident } from '../bot/domain/incident.js';
import { escapeMarkdown, LIMITS, plainLine, plainText } from './escape.js';
import { formatAge, formatWaiting, severityColor, severityLabel, statusLabel } from './format.js';
import type { TemplateData, TemplateName, TemplateValue } from './template-engine.js';
import { expandTemplate } from './template-engine.js';
import type { CardMessage } from './types.js';
import { type ActionPayload, isIncidentId, showPayload } from './verbs.js';

// Helpers the builders share: the shape of an Execute button in template data, the incident row used by
// the list and the summary, and the last step that pairs a card with its fallback text.

const FALLBACK_MAX = 2000;
const CARD_FALLBACK_MAX = 1000;

/** An Action.Execute as template data: plain-text title (action titles are not markdown) plus payload. */
export type ExecuteView = { readonly title: string; readonly verb: string; readonly data: TemplateValue };

/** Turns a typed payload into button data; the only way builders create Execute actions. */
export function execute(title: string, payload: ActionPayload): ExecuteView {
  return { title: plainLine(title, 60), verb: payload.verb, data: payload.data };
}

/** Markdown-escaped text from a plain string the builder composed (escaping is never optional). */
export const md = (plain: string): string => escapeMarkdown(plain);

/** One incident as a row of the list and the summary cards. */
export type IncidentRowView = {
  readonly title: string;
  readonly meta: string;
  readonly severity: string;
  readonly severityColor: string;
  readonly hasOpen: boolean;
  readonly open: ExecuteView;
};

/** The row's plain-text line for fallback text: "#42 [High] Title — status, assignee, age". */
export function incidentRowFallback(incident: Incident, now: Date): string {
  const title = plainLine(incident.displayName, LIMITS.title);
  const who =
    String(incident.status) === 'resolved'
      ? resolvedPhrase(incident)
      : `${statusLabel(incident.status)}, ${assigneeLabel(incident.assignedTo)}`;
  return `#${plainLine(incident.id, 64)} [${severityLabel(incident.severity)}] ${title} — ${who}, created ${formatAge(incident.createdDateTime, now)}`;
}

/** "Assigned to Contoso SOC", "Unassigned": never "Assigned to Unassigned". */
export function assignedPhrase(assignedTo: string | null): string {
  const label = plainLine(assigneeLabel(assignedTo), LIMITS.name);
  return assigneeKind(assignedTo) === 'unassigned' ? label : `Assigned to ${label}`;
}

/**
 * Who resolved a resolved incident, as far as its record tells: the assignee it was closed under; else
 * the customer's person who took the last guided-response step; else Defender Experts for their incidents.
 */
export function resolvedByLabel(incident: Incident): string | null {
  if (assigneeKind(incident.assignedTo) !== 'unassigned') return assigneeLabel(incident.assignedTo);
  const customerSteps = (incident.guidedResponse?.actions ?? []).filter(
    (a) => a.by !== null && assigneeKind(a.by) !== 'experts',
  );
  const last = customerSteps[customerSteps.length - 1];
  if (last?.by) return `Customer (${last.by.trim()})`;
  return isExpertsIncident(incident) ? 'Defender Experts' : null;
}

/** "Resolved by Defender Experts", or just "Resolved" when the record does not say who. */
export function resolvedPhrase(incident: Incident): string {
  const by = resolvedByLabel(incident);
  return by === null ? 'Resolved' : `Resolved by ${by}`;
}

/** The "who" fact of an incident: "Resolved by" once it is resolved, else "Assigned to". */
export function ownerFact(incident: Incident): readonly [string, string] {
  return String(incident.status) === 'resolved'
    ? ['Resolved by', resolvedByLabel(incident) ?? 'Not recorded']
    : ['Assigned to', assigneeLabel(incident.assignedTo) || 'Unassigned'];
}

/**
 * Builds one incident row; the "Open" button is left out when the id could not be sent back safely. With
 * `waitingSince` (the awaiting views) the row says how long it has waited instead of when it was created.
 */
export function incidentRow(incident: Incident, now: Date, waitingSince?: string): IncidentRowView {
  const id = plainLine(incident.id, 64);
  const meta = [
    `#${id}`,
    // A resolved incident says who resolved it; "Resolved · Unassigned" reads as if nobody had.
    ...(String(incident.status) === 'resolved'
      ? [plainLine(resolvedPhrase(incident), LIMITS.name)]
      : [plainLine(statusLabel(incident.status), LIMITS.name), assignedPhrase(incident.assignedTo)]),
    waitingSince === undefined
      ? `created ${formatAge(incident.createdDateTime, now)}`
      : formatWaiting(waitingSince, now),
  ].join(' · ');
  const canOpen = isIncidentId(incident.id);
  return {
    title: md(plainLine(incident.displayName, LIMITS.title)),
    meta: md(meta),
    severity: md(plainLine(severityLabel(incident.severity), LIMITS.name)),
    severityColor: severityColor(incident.severity),
    hasOpen: canOpen,
    open: execute(`Open ${canOpen ? id : ''}`.trim(), showPayload(canOpen ? incident.id : '0')),
  };
}

/**
 * Expands a template and pairs it with fallback text: plain text on the message (adapters escape it for
 * their platform) and a markdown-escaped copy inside the card, where the schema says markdown may render.
 */
export function cardMessage(
  name: TemplateName,
  data: TemplateData,
  fallbackLines: readonly string[],
): CardMessage {
  const fallbackText = plainText(fallbackLines.filter((l) => l !== '').join('\n'), FALLBACK_MAX);
  const card = expandTemplate(name, {
    ...data,
    fallbackText: md(plainText(fallbackText, CARD_FALLBACK_MAX)),
  });
  return { card, fallbackText };
}

/** UTF-8 size of a card as sent: Teams refuses messages over about 28 KB. */
export function cardBytes(message: CardMessage): number {
  return new TextEncoder().encode(JSON.stringify(message.card)).length + message.fallbackText.length;
}
