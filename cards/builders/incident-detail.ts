import type { Incident } from '../../bot/domain/incident.js';
import { isUnrecognised } from '../../bot/domain/tolerant.js';
import { cardLine, cardText, LIMITS, plainLine, plainText, safeHttpsUrl } from '../escape.js';
import {
  classificationLabel,
  determinationLabel,
  formatWhen,
  severityColor,
  severityLabel,
  statusLabel,
} from '../format.js';
import { askFormPayload } from '../question-verbs.js';
import type { CardMessage } from '../types.js';
import { commentsPayload, isIncidentId, showPayload } from '../verbs.js';
import { cardBytes, cardMessage, type ExecuteView, execute, md, ownerFact } from '../view.js';
import {
  type ActionControls,
  alertRows,
  commentRows,
  moreText,
  responseActionRows,
  SECTION_LIMITS,
} from './incident-sections.js';
import { askUserButtons } from './user-check.js';

// One incident in detail, in the portal's vocabulary: facts, summary, guided response,
// alerts, comments and history, and the way to the portal.

export interface IncidentDetailInput {
  readonly incident: Incident;
  /** How many of the newest comments to show (default 3); the flow passes all of them for "Show all". */
  readonly commentsShown?: number;
  readonly now: Date;
  /** What this viewer may do with each guided-response action (by action id); absent: read-only. */
  readonly controls?: ReadonlyMap<string, ActionControls>;
  /** Seen from the provider's side: no buttons (they act as the customer's people). */
  readonly readOnly?: boolean;
}

const MAX_TAGS = 10;

type Fact = { readonly title: string; readonly value: string };
type Section = { readonly heading: string; readonly text: string };
type Banner = { readonly style: string; readonly text: string };

function tagsText(tags: readonly string[]): string {
  const shown = tags.slice(0, MAX_TAGS).map((t) => plainLine(t, LIMITS.tag));
  const more = tags.length > MAX_TAGS ? ` (+${tags.length - MAX_TAGS} more)` : '';
  return `${shown.join(', ')}${more}`;
}

function facts(incident: Incident, now: Date): Fact[] {
  const list: [string, string][] = [
    ['Status', statusLabel(incident.status)],
    [...ownerFact(incident)],
    ['Classification', classificationLabel(incident.classification)],
    ['Determination', determinationLabel(incident.determination)],
    ['Severity', severityLabel(incident.severity)],
    ['Priority score', incident.priorityScore === null ? 'Not scored' : `${incident.priorityScore} / 100`],
  ];
  if (incident.systemTags.length > 0) list.push(['System tags', tagsText(incident.systemTags)]);
  if (incident.customTags.length > 0) list.push(['Custom tags', tagsText(incident.customTags)]);
  if (incident.systemTags.length + incident.customTags.length === 0) list.push(['Tags', 'None']);
  list.push(['Created', formatWhen(incident.createdDateTime, now)]);
  list.push(['Updated', formatWhen(incident.lastUpdateDateTime, now)]);
  if (incident.redirectIncidentId !== null) {
    list.push(['Redirected to', `Incident ${plainLine(incident.redirectIncidentId, 64)}`]);
  }
  return list.map(([title, value]) => ({ title: md(title), value: cardLine(value, LIMITS.line) }));
}

function sections(incident: Incident): Section[] {
  const list: [string, string | null, number][] = [
    ['Summary', incident.summary, LIMITS.summary],
    ['Description', incident.description, LIMITS.section],
    ['Resolution', incident.resolvingComment, LIMITS.section],
  ];
  return list
    .filter((entry): entry is [string, string, number] => entry[1] !== null && entry[1].trim() !== '')
    .map(([heading, text, max]) => ({ heading: md(heading), text: cardText(text, max) }));
}

function banner(incident: Incident): Banner | null {
  const s = incident.status;
  if (isUnrecognised(s)) return null;
  switch (s) {
    case 'awaitingAction':
      return {
        style: 'warning',
        text: 'Defender Experts handed this incident over to you. Review the guided response below and act on it.',
      };
    case 'resolved':
      return { style: 'good', text: 'This incident is resolved.' };
    case 'redirected':
      return { style: 'emphasis', text: 'This incident was merged into another incident.' };
    case 'inProgress':
    case 'active':
      return null;
  }
}

/** Cards above this many bytes show fewer comments: Teams rejects messages over about 28 KB. */
export const DETAIL_CARD_BUDGET = 24_000;

/**
 * Everything the customer needs about one incident, with the newest comments first. If the card would
 * exceed DETAIL_CARD_BUDGET, it shows fewer comments and says the rest are in the portal.
 */
export function incidentDetailCard(input: IncidentDetailInput): CardMessage {
  let cap: number = SECTION_LIMITS.comments;
  let message = build(input, cap);
  while (cardBytes(message) > DETAIL_CARD_BUDGET && cap > 1) {
    cap = Math.floor(cap / 2);
    message = build(input, cap);
  }
  return message;
}

function build(input: IncidentDetailInput, cap: number): CardMessage {
  const { incident, now } = input;
  const wanted = Math.min(cap, Math.max(0, Math.floor(input.commentsShown ?? 3)));
  const canAct = isIncidentId(incident.id) && input.readOnly !== true;
  const id = plainLine(incident.id, 64);
  const title = plainLine(incident.displayName || `Incident ${id}`, LIMITS.title);
  const subtitle = `Incident ${id} · ${severityLabel(incident.severity)} severity`;
  const top = banner(incident);

  const alerts = alertRows(incident.alerts);
  const guided = incident.guidedResponse;
  const responses = responseActionRows(guided?.actions ?? [], now, input.controls);
  const responseTotal = guided?.actions.length ?? 0;

  const total = incident.comments.length;
  const comments = commentRows(incident.comments, wanted, now);
  const shownComments = comments.rows.length;
  const hasMoreComments = canAct && shownComments < total && shownComments < cap;
  const commentsNote =
    shownComments >= cap && total > shownComments
      ? `Showing the ${shownComments} newest of ${total} comments. The rest are in the Microsoft Defender portal.`
      : '';
  const moreComments: ExecuteView = execute(
    `Show all ${total} comments`,
    commentsPayload(canAct ? incident.id : '0'),
  );

  const portalUrl = safeHttpsUrl(incident.incidentWebUrl);
  const actions: ExecuteView[] = [
    ...(canAct
      ? [
          execute('Refresh', showPayload(incident.id)),
          execute('Ask Defender Experts', askFormPayload(incident.id, 'incident')),
        ]
      : []),
    // "Was this you?": the provider's read-only card names the customer so an expert's click finds it.
    ...askUserButtons(incident, input.readOnly === true),
  ];
  const factList = facts(incident, now);
  const summary = incident.summary ?? incident.description;

  return cardMessage(
    'incident-detail',
    {
      title: md(title),
      subtitle: md(subtitle),
      severityColor: severityColor(incident.severity),
      hasBanner: top !== null,
      bannerStyle: top?.style ?? 'default',
      bannerText: md(top?.text ?? ''),
      facts: factList,
      sections: sections(incident),
      hasGuided: guided !== null,
      hasInvestigationSummary: (guided?.investigationSummary.trim() ?? '') !== '',
      investigationSummary: cardText(guided?.investigationSummary, LIMITS.summary),
      noResponseActions: guided !== null && responseTotal === 0,
      responseActions: responses.rows,
      hasMoreResponseActions: responseTotal > responses.rows.length,
      moreResponseActionsText: md(moreText(responseTotal, responses.rows.length, 'action')),
      alertsHeading: md(`Alerts (${incident.alerts.length})`),
      noAlerts: incident.alerts.length === 0,
      alerts: alerts.rows,
      hasMoreAlerts: incident.alerts.length > alerts.rows.length,
      moreAlertsText: md(moreText(incident.alerts.length, alerts.rows.length, 'alert')),
      commentsHeading: md(`Comments and history (${total})`),
      noComments: total === 0,
      comments: comments.rows,
      hasCommentsNote: commentsNote !== '',
      commentsNote: md(commentsNote),
      hasMoreComments,
      moreComments,
      hasPortal: portalUrl !== null,
      portalUrl: portalUrl ?? '',
      actions,
    },
    [
      title,
      subtitle,
      `Status: ${statusLabel(incident.status)} · ${ownerFact(incident).join(': ')}`,
      `Classification: ${classificationLabel(incident.classification)} · Determination: ${determinationLabel(incident.determination)}`,
      summary === null ? '' : `Summary: ${plainText(summary, 300).replace(/\s+/g, ' ')}`,
      responses.fallback.length > 0 ? 'Guided response:' : '',
      ...responses.fallback.slice(0, 8),
      total > 0 ? `Comments and history (${total}), newest first:` : '',
      ...comments.fallback,
      portalUrl === null ? '' : `Microsoft Defender portal: ${portalUrl}`,
    ],
  );
}
