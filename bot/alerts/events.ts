import {
  ACTION_KIND_LABELS,
  ACTION_STATE_LABELS,
  CLASSIFICATION_LABELS,
  DETERMINATION_LABELS,
} from '../domain/enums.js';
import { assigneeKind, type Incident } from '../domain/incident.js';
import { isUnrecognised, tolerantLabel } from '../domain/tolerant.js';
import type { IncidentChange } from '../ports.js';

// Lifecycle events, derived from two versions of an incident. Pure: the poller
// diffs the stored version against the new one inside the save transaction.

export const EVENT_KINDS = [
  'expertsStarted',
  'handedOff',
  'resolved',
  'classificationChanged',
  'commentAdded',
  'actionChanged',
  'reopened',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** What a binding can choose to be alerted about; `resolved` splits by classification. */
export const ALERT_RULES = [
  'handedOff',
  'resolvedTruePositive',
  'resolvedOther',
  'expertsStarted',
  'classificationChanged',
  'commentAdded',
  'actionChanged',
  'reopened',
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

/** By default a channel hears about handoffs and true positives the experts resolved. */
export const DEFAULT_RULES: readonly AlertRule[] = ['handedOff', 'resolvedTruePositive'];

export interface LifecycleEvent {
  readonly kind: EventKind;
  /** The rule that selects it (resolved → resolvedTruePositive / resolvedOther). */
  readonly rule: AlertRule;
  /** A one-line, plain-text description for the incident post's thread. */
  readonly line: string;
}

const status = (i: Incident): string => (isUnrecognised(i.status) ? i.status.unrecognised : i.status);
const text = (v: Incident['classification'] | Incident['determination']): string =>
  isUnrecognised(v) ? v.unrecognised : v;
const classification = (i: Incident): string => tolerantLabel(i.classification, CLASSIFICATION_LABELS);
const determination = (i: Incident): string => tolerantLabel(i.determination, DETERMINATION_LABELS);
const clip = (s: string, n = 280): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function actionChanges(prev: Incident, cur: Incident): string[] {
  const before = new Map((prev.guidedResponse?.actions ?? []).map((a) => [a.id, a]));
  const lines: string[] = [];
  for (const a of cur.guidedResponse?.actions ?? []) {
    const old = before.get(a.id);
    const state = tolerantLabel(a.state, ACTION_STATE_LABELS);
    const oldState = old === undefined ? null : tolerantLabel(old.state, ACTION_STATE_LABELS);
    // Actions that appear with a handoff are told by the handoff line; only state changes are news here.
    if (old === undefined || oldState === state) continue;
    const kind = tolerantLabel(a.kind, ACTION_KIND_LABELS);
    lines.push(`${kind} on ${a.target.name}: ${state}${a.by ? ` by ${a.by}` : ''}`);
  }
  return lines;
}

/** The events one change represents, in the order a person would tell them. */
export function lifecycleEvents(change: IncidentChange): readonly LifecycleEvent[] {
  const { previous: prev, current: cur } = change;
  const events: LifecycleEvent[] = [];
  const curStatus = status(cur);
  const prevStatus = prev === null ? null : status(prev);
  const closed = (s: string | null) => s === 'resolved' || s === 'redirected';

  if (prev !== null && closed(prevStatus) && !closed(curStatus)) {
    events.push({ kind: 'reopened', rule: 'reopened', line: 'The incident was reopened.' });
  }
  const expertsNow =
    assigneeKind(cur.assignedTo) === 'experts' && (curStatus === 'inProgress' || curStatus === 'active');
  const expertsBefore =
    prev !== null && assigneeKind(prev.assignedTo) === 'experts' && prevStatus === curStatus;
  if (expertsNow && !expertsBefore) {
    events.push({
      kind: 'expertsStarted',
      rule: 'expertsStarted',
      line: 'Defender Experts started investigating.',
    });
  }
  if (
    prev !== null &&
    (text(prev.classification) !== text(cur.classification) ||
      text(prev.determination) !== text(cur.determination))
  ) {
    events.push({
      kind: 'classificationChanged',
      rule: 'classificationChanged',
      line: `Classified as ${classification(cur)} (${determination(cur)}).`,
    });
  }
  if (curStatus === 'awaitingAction' && prevStatus !== 'awaitingAction') {
    const pending = (cur.guidedResponse?.actions ?? []).filter((a) => a.state === 'pending').length;
    events.push({
      kind: 'handedOff',
      rule: 'handedOff',
      line: `Handed off to you: ${pending} recommended action${pending === 1 ? '' : 's'} await${pending === 1 ? 's' : ''} your team.`,
    });
  }
  if (prev !== null) {
    for (const line of actionChanges(prev, cur))
      events.push({ kind: 'actionChanged', rule: 'actionChanged', line });
    const added = cur.comments.slice(prev.comments.length);
    for (const c of added) {
      events.push({
        kind: 'commentAdded',
        rule: 'commentAdded',
        line: `${c.createdBy || 'Someone'} commented: ${clip(c.comment)}`,
      });
    }
  }
  if (curStatus === 'resolved' && prevStatus !== 'resolved') {
    const tp = text(cur.classification) === 'truePositive';
    events.push({
      kind: 'resolved',
      rule: tp ? 'resolvedTruePositive' : 'resolvedOther',
      // The experts' closing words arrive as their own comment line; repeating them here would be noise.
      line: `Resolved as ${classification(cur)} (${determination(cur)}).`,
    });
  }
  return events;
}
