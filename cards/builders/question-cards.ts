import type { Incident } from '../../bot/domain/incident.js';
import {
  firstResponseMs,
  type Question,
  type QuestionState,
  TOPIC_LABELS,
  timeToResolveMs,
} from '../../bot/domain/question.js';
import { cardText, LIMITS, plainLine, plainText } from '../escape.js';
import { formatWhen, severityLabel, statusLabel } from '../format.js';
import {
  type AskSource,
  askCancelPayload,
  askFormPayload,
  QUESTION_LIMITS,
  QUESTION_VERBS,
} from '../question-verbs.js';
import type { TemplateValue } from '../template-engine.js';
import type { CardMessage } from '../types.js';
import { cardMessage, execute, md } from '../view.js';

// The Ask Defender Experts cards: the asker's request card, the experts' queue card (also used for a
// handoff thread), and the not-an-incident-response notice every request shows. Pure; text escaped.

/** Shown on the form and every request: what this is not, and where urgent help is. */
export const NOT_INCIDENT_RESPONSE =
  'Ask Defender Experts is not an incident-response service: answers can take hours. If you are under active attack, contact your incident-response provider or Microsoft Incident Response at once (Microsoft Defender portal, security.microsoft.com).';

const STATE_LINES: Readonly<Record<QuestionState, string>> = {
  open: 'Open: waiting for an expert',
  claimed: 'Claimed: an expert is on it',
  answered: 'Answered: the experts replied',
  resolved: 'Resolved',
  reopened: 'Reopened by a follow-up',
};

/** "3 h 5 min", "2 d 4 h", "45 s": how long something took. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

type Fact = { readonly title: string; readonly value: string };
// Facts are short, except what the asker typed (context), which is shown whole up to what the form accepts.
const fact = (title: string, value: string, max: number = LIMITS.line): Fact => ({
  title,
  value: md(plainLine(value, max)),
});

function timingFacts(q: Question, now: Date): Fact[] {
  const first = firstResponseMs(q);
  const resolve = timeToResolveMs(q);
  return [
    fact('Asked', formatWhen(q.createdAt, now)),
    fact('First response', first === null ? 'not yet' : `after ${formatDuration(first)}`),
    ...(resolve === null ? [] : [fact('Time to resolve', formatDuration(resolve))]),
  ];
}

/** The state; the experts see who claimed it, customers only ever "Defender Experts" (no expert's name). */
const stateLine = (q: Question, audience: 'asker' | 'expert'): string =>
  q.state !== 'claimed' || q.claimedByName === null
    ? STATE_LINES[q.state]
    : audience === 'expert'
      ? `Claimed by ${plainLine(q.claimedByName, LIMITS.name)}`
      : 'Claimed by Defender Experts';

/**
 * How a resolved question is reopened in a chat without threads, as the relay does it: with another
 * request open, a message here goes to that one, so the promise is only made for the case it holds.
 */
export const REOPEN_UNTHREADED =
  'To follow up, write here: when no other request of yours is open here, I offer to reopen this one.';

export interface QuestionRequestInput {
  readonly question: Question;
  readonly now: Date;
  /** True in a chat without threads (Teams personal chat, the console): answers come "here", not in a thread. */
  readonly unthreaded?: boolean;
}

/** The asker's card: id, state, what happens next, the notice; Resolve while it is not resolved. */
export function questionRequestCard(input: QuestionRequestInput): CardMessage {
  const q = input.question;
  const title = `Question ${q.id} to Defender Experts`;
  const next =
    q.state === 'resolved'
      ? input.unthreaded
        ? `Resolved. ${REOPEN_UNTHREADED}`
        : 'Resolved. A reply in this thread reopens it.'
      : input.unthreaded
        ? 'An expert will reply here. Write here to add details; say "questions" to see all of yours.'
        : 'An expert will reply in this thread. Reply here to add details; say "questions" to see all of yours.';
  const actions: TemplateValue[] = [];
  if (q.state !== 'resolved')
    actions.push(execute('Mark resolved', { verb: QUESTION_VERBS.questionResolve, data: { id: q.id } }));
  actions.push(execute('My questions', { verb: QUESTION_VERBS.questionsList, data: {} }));
  const facts = [
    fact('Topic', TOPIC_LABELS[q.topic]),
    ...(q.incidentId === null ? [] : [fact('Incident', `#${q.incidentId}`)]),
    ...(q.context === null ? [] : [fact('Context', q.context, QUESTION_LIMITS.context)]),
    ...timingFacts(q, input.now),
  ];
  const line = stateLine(q, 'asker');
  return cardMessage(
    'question-request',
    {
      title: md(title),
      stateLine: md(line),
      stateColor: q.state === 'resolved' ? 'good' : 'accent',
      question: cardText(q.text, QUESTION_LIMITS.text),
      facts,
      next: md(next),
      notice: md(NOT_INCIDENT_RESPONSE),
      actions,
    },
    [title, line, plainText(q.text, LIMITS.summary), next, NOT_INCIDENT_RESPONSE],
  );
}

export interface QuestionQueueInput {
  readonly question: Question;
  readonly customerName: string;
  /** The incident the question is about, of the question's customer only. */
  readonly incident: Incident | null;
  readonly now: Date;
}

const incidentLine = (i: Incident): string =>
  `Incident #${plainLine(i.id, 64)} · ${plainLine(i.displayName, LIMITS.title)} · ${severityLabel(
    i.severity,
  )} · ${statusLabel(i.status)}${i.summary ? ` — ${plainText(i.summary, LIMITS.section)}` : ''}`;

/** The experts' card for one request: customer, asker, topic, context, incident summary; Claim / Resolve. */
export function questionQueueCard(input: QuestionQueueInput): CardMessage {
  const q = input.question;
  const customer = plainLine(input.customerName, LIMITS.name);
  const title = `Question ${q.id} · ${customer}`;
  const actions: TemplateValue[] = [];
  if (q.state === 'open' || q.state === 'reopened')
    actions.push(execute('Claim', { verb: QUESTION_VERBS.questionClaim, data: { id: q.id } }));
  if (q.state !== 'resolved')
    actions.push(execute('Resolve', { verb: QUESTION_VERBS.questionResolve, data: { id: q.id } }));
  const line = stateLine(q, 'expert');
  const incident = input.incident === null ? '' : incidentLine(input.incident);
  const hint =
    'Reply in this thread: the customer sees it as from Defender Experts. Attachments are not passed on.';
  return cardMessage(
    'question-queue',
    {
      title: md(title),
      stateLine: md(line),
      bannerStyle: q.state === 'resolved' ? 'good' : q.state === 'claimed' ? 'accent' : 'warning',
      facts: [
        fact('Customer', customer),
        fact('Asked by', q.askerName),
        fact('Topic', TOPIC_LABELS[q.topic]),
        ...(q.context === null ? [] : [fact('Context', q.context, QUESTION_LIMITS.context)]),
        ...timingFacts(q, input.now),
      ],
      question: cardText(q.text, QUESTION_LIMITS.text),
      hasIncident: incident !== '',
      askIncident: incident === '',
      incident: md(incident),
      hint: md(hint),
      actions,
    },
    [title, line, plainText(q.text, LIMITS.summary), incident],
  );
}

export interface HandoffQueueInput {
  readonly customerName: string;
  readonly incident: Incident;
  readonly now: Date;
}

/** The experts' card for a handoff thread: the customer replied under the incident's alert post. */
export function handoffQueueCard(input: HandoffQueueInput): CardMessage {
  const customer = plainLine(input.customerName, LIMITS.name);
  const i = input.incident;
  const title = `Handoff thread · ${customer} · incident #${plainLine(i.id, 64)}`;
  const line = `${statusLabel(i.status)} · ${severityLabel(i.severity)}`;
  const hint = 'The customer replied under the handoff post. Reply in this thread to answer them there.';
  return cardMessage(
    'question-queue',
    {
      title: md(title),
      stateLine: md(line),
      bannerStyle: 'warning',
      facts: [fact('Customer', customer), fact('Incident', plainLine(i.displayName, LIMITS.title))],
      question: md('Replies from the customer follow in this thread.'),
      hasIncident: true,
      incident: md(incidentLine(i)),
      hint: md(hint),
      actions: [],
    },
    [title, line, incidentLine(i), hint],
  );
}

export interface AskFormInput {
  readonly incident: Incident | null;
  /** The card the form was opened from; its submit carries it, so a host can give that card back. */
  readonly from?: AskSource;
}

/**
 * The form behind "Ask Defender Experts": topic, question, context; the incident rides in the data. Cancel
 * sends nothing typed (a host that validates inputs lets it through with a required field empty).
 */
export function askFormCard(input: AskFormInput): CardMessage {
  const incident = input.incident === null ? '' : incidentLine(input.incident);
  const title = 'Ask Defender Experts';
  const submit = askFormPayload(input.incident?.id ?? null, input.from);
  return cardMessage(
    'ask-form',
    {
      title: md(title),
      hasIncident: incident !== '',
      askIncident: incident === '',
      incident: md(incident),
      topic: input.incident === null ? 'other' : 'alertOrIncident',
      topics: Object.entries(TOPIC_LABELS).map(([value, label]) => ({ title: label, value })),
      notice: md(NOT_INCIDENT_RESPONSE),
      submit: { verb: QUESTION_VERBS.questionAsk, data: submit.data },
      cancel: askCancelPayload(input.incident?.id ?? null, input.from),
    },
    [title, incident, 'Pick a topic, type your question and add context.', NOT_INCIDENT_RESPONSE],
  );
}
