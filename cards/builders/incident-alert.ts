import type { Incident, ResponseAction } from '../../bot/domain/incident.js';
import { cardLine, cardText, LIMITS, plainLine, plainText, safeHttpsUrl } from '../escape.js';
import {
  type CardColor,
  classificationLabel,
  determinationLabel,
  formatStamp,
  plural,
  severityColor,
  severityLabel,
  statusLabel,
} from '../format.js';
import { askFormPayload } from '../question-verbs.js';
import type { CardMessage } from '../types.js';
import { isIncidentId, showPayload } from '../verbs.js';
import { cardMessage, execute, md, ownerFact } from '../view.js';
import { affectedUserView, NOT_THEM_NEXT } from './affected-user-lines.js';
import { askUserButtons } from './user-check.js';

// The channel alert: one post per incident, updated in place as the incident moves,
// so the card always shows the current state and its thread tells the history.

export interface IncidentAlertInput {
  readonly customerName: string;
  readonly incident: Incident;
  /** The latest change, one line ("Handed off to you: 3 recommended actions await your team."). */
  readonly latest: string;
  /** Kept for callers; the posted card shows absolute times only. */
  readonly now: Date;
}

interface Banner {
  readonly headline: string;
  readonly style: 'attention' | 'warning' | 'good' | 'accent' | 'emphasis';
  readonly color: CardColor;
}

function banner(incident: Incident): Banner {
  const s = typeof incident.status === 'string' ? incident.status : 'other';
  const c = typeof incident.classification === 'string' ? incident.classification : 'other';
  if (s === 'awaitingAction')
    return {
      headline: 'Action needed: handed off to you by Defender Experts',
      style: 'warning',
      color: 'attention',
    };
  if (s === 'resolved' && c === 'truePositive')
    return { headline: 'Resolved by Defender Experts: true positive', style: 'good', color: 'good' };
  if (s === 'resolved') return { headline: 'Resolved by Defender Experts', style: 'good', color: 'good' };
  if (s === 'redirected')
    return { headline: 'Merged into another incident', style: 'emphasis', color: 'default' };
  return { headline: 'Defender Experts are investigating', style: 'accent', color: 'accent' };
}

/** "2 of 3 actions done, 1 in progress": progress counts what is finished, then names what is not. */
export function responseProgress(actions: readonly ResponseAction[]): string {
  const count = (state: string) => actions.filter((a) => String(a.state) === state).length;
  const others = [
    [count('inProgress'), 'in progress'],
    [count('skipped'), 'skipped'],
    [count('failed'), 'failed'],
  ] as const;
  const extra = others.filter(([n]) => n > 0).map(([n, what]) => `, ${n} ${what}`);
  return `${count('completed')} of ${plural(actions.length, 'action')} done${extra.join('')}`;
}

/** The alert card for one incident in one channel, with the incident's current state. */
export function incidentAlertCard(input: IncidentAlertInput): CardMessage {
  const { incident } = input;
  const people = affectedUserView(incident.userChecks);
  const lifecycle = banner(incident);
  // The affected user's "No" raises the whole card to attention, whatever stage the incident is at.
  const top: Banner =
    people.notThem === null ? lifecycle : { ...lifecycle, style: 'attention', color: 'attention' };
  const id = plainLine(incident.id, 64);
  const title = plainLine(incident.displayName || `Incident ${id}`, LIMITS.title);
  const subtitle = `Incident ${id} · ${severityLabel(incident.severity)} severity`;
  const actions = incident.guidedResponse?.actions ?? [];
  const facts: [string, string][] = [
    ['Status', statusLabel(incident.status)],
    [...ownerFact(incident)],
    ['Classification', classificationLabel(incident.classification)],
    ['Determination', determinationLabel(incident.determination)],
  ];
  if (actions.length > 0) facts.push(['Guided response', responseProgress(actions)]);
  // A channel post is not redrawn on every read: an absolute time stays true, "just now" would not.
  facts.push(['Updated', formatStamp(incident.lastUpdateDateTime)]);
  const summary = incident.guidedResponse?.investigationSummary || incident.summary || '';
  const portalUrl = safeHttpsUrl(incident.incidentWebUrl);
  const customer = plainLine(input.customerName, LIMITS.name);
  const latest = plainLine(input.latest, LIMITS.line);
  return cardMessage(
    'incident-alert',
    {
      hasNotThem: people.notThem !== null,
      notThem: md(people.notThem ?? ''),
      notThemNext: md(NOT_THEM_NEXT),
      userLines: people.lines.map((l) => ({ ...l })),
      headline: md(top.headline),
      headlineColor: top.color,
      bannerStyle: top.style,
      customer: md(customer),
      title: md(title),
      subtitle: md(subtitle),
      severityColor: severityColor(incident.severity),
      facts: facts.map(([t, v]) => ({ title: md(t), value: cardLine(v, LIMITS.line) })),
      hasSummary: summary.trim() !== '',
      summary: cardText(summary, LIMITS.summary),
      latest: md(`Latest: ${latest}`),
      threadHint: md('Reply in this thread to reach Defender Experts.'),
      actions: isIncidentId(incident.id)
        ? [
            execute('Open incident', showPayload(incident.id)),
            execute('Ask Defender Experts', askFormPayload(incident.id, 'alert')),
            ...askUserButtons(incident, false),
          ]
        : [],
      hasPortal: portalUrl !== null,
      portalUrl: portalUrl ?? '',
    },
    [
      people.notThem === null ? '' : `URGENT: ${people.notThem}`,
      top.headline,
      ...people.plainLines,
      `${title} (${subtitle})`,
      ...facts.map(([t, v]) => `${t}: ${v}`),
      summary.trim() === '' ? '' : plainText(summary, 300).replace(/\s+/g, ' '),
      `Latest: ${latest}`,
      portalUrl === null ? '' : `Microsoft Defender portal: ${portalUrl}`,
    ],
  );
}
