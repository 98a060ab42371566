import type { Incident } from '../../bot/domain/incident.js';
import { cardLine, LIMITS, plainLine, safeHttpsUrl } from '../escape.js';
import { classificationLabel, plural, severityColor, severityLabel, statusLabel } from '../format.js';
import type { CardMessage } from '../types.js';
import { cardMessage, md, ownerFact } from '../view.js';
import { noticeCard } from './notice.js';

// The preview of a Microsoft Defender portal link shared in chat (a Slack unfurl, a Teams link preview,
// a compose-box search result): the incident at a glance and a way to open it. It carries no buttons
// that act, because it is shown to everyone in the conversation, each with their own role.

export interface IncidentPreviewInput {
  readonly incident: Incident;
  /** The link that was shared: the Open button goes where the person pointed. Else the incident's own. */
  readonly url?: string;
}

/** The preview card plus the two lines a platform's small preview shows (Teams thumbnail, search list). */
export interface IncidentPreview extends CardMessage {
  readonly title: string;
  readonly subtitle: string;
}

/** What awaits the customer: the recommended actions still open, or that nothing does. */
function awaitingLine(incident: Incident): { readonly text: string; readonly waiting: boolean } {
  const pending = (incident.guidedResponse?.actions ?? []).filter(
    (a) => String(a.state) === 'pending' && !a.target.excluded,
  );
  if (String(incident.status) !== 'awaitingAction')
    return { text: 'Nothing awaits your action.', waiting: false };
  if (pending.length === 0) return { text: 'Awaiting your action.', waiting: true };
  return { text: `Awaiting your action: ${plural(pending.length, 'recommended action')}.`, waiting: true };
}

/** The preview of one incident of the viewer's own customer. */
export function incidentPreviewCard(input: IncidentPreviewInput): IncidentPreview {
  const { incident } = input;
  const id = plainLine(incident.id, 64);
  const title = plainLine(incident.displayName || `Incident ${id}`, LIMITS.title);
  const subtitle = `Incident ${id} · ${severityLabel(incident.severity)} severity`;
  const facts: [string, string][] = [
    ['Status', statusLabel(incident.status)],
    [...ownerFact(incident)],
    ['Classification', classificationLabel(incident.classification)],
  ];
  const awaiting = awaitingLine(incident);
  const portalUrl = safeHttpsUrl(input.url ?? null) ?? safeHttpsUrl(incident.incidentWebUrl);
  const message = cardMessage(
    'incident-preview',
    {
      title: md(title),
      subtitle: md(subtitle),
      severityColor: severityColor(incident.severity),
      facts: facts.map(([t, v]) => ({ title: md(t), value: cardLine(v, LIMITS.line) })),
      awaiting: md(awaiting.text),
      awaitingColor: awaiting.waiting ? 'attention' : 'default',
      hasPortal: portalUrl !== null,
      portalUrl: portalUrl ?? '',
    },
    [
      `${title} (${subtitle})`,
      ...facts.map(([t, v]) => `${t}: ${v}`),
      awaiting.text,
      portalUrl === null ? '' : `Microsoft Defender portal: ${portalUrl}`,
    ],
  );
  const factLine = facts.map(([t, v]) => `${t}: ${plainLine(v, LIMITS.line)}`).join(' · ');
  return { ...message, title, subtitle: `${subtitle} · ${factLine}` };
}

/** The same title for every link the viewer may not see here: it says nothing about the incident. */
export const NEUTRAL_PREVIEW_TITLE = 'Microsoft Defender incident';

/**
 * The preview of a link whose incident is not shown here (another customer's, an unknown id, a shared
 * conversation): identical for all of them, so it never tells whether the id exists.
 */
export function neutralPreviewCard(): IncidentPreview {
  const text = 'Open the link in the Microsoft Defender portal to see this incident.';
  return {
    ...noticeCard({ title: NEUTRAL_PREVIEW_TITLE, text, tone: 'info' }),
    title: NEUTRAL_PREVIEW_TITLE,
    subtitle: text,
  };
}
