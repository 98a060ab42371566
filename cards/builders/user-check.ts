import type { Incident } from '../../bot/domain/incident.js';
import { ANSWER_LABELS, affectedUsers, type UserCheckAnswer } from '../../bot/domain/user-check.js';
import { LIMITS, plainLine, plainText } from '../escape.js';
import type { CardMessage } from '../types.js';
import {
  type UserCheckActionPayload,
  userCheckAnswerPayload,
  userCheckAskPayload,
  userCheckCancelPayload,
} from '../user-check-verbs.js';
import { isIncidentId } from '../verbs.js';
import { cardMessage, type ExecuteView, execute, md } from '../view.js';
import { type NoticeTone, tonedHead } from './notice.js';

// "Was this you?" cards: the question the affected person gets in a direct message (what was seen, three
// answers, an optional note), and the status cards the requester and the threads get. Every text is
// escaped; the answer buttons name the question by id only.

/** Most "Ask <user>" buttons on one card: the first people the evidence names. */
const MAX_ASK_BUTTONS = 2;

/**
 * "Ask <user>" for each person the incident's evidence names (none when it names nobody). On the provider's
 * read-only card the button also names the customer.
 */
export function askUserButtons(incident: Incident, providerSide: boolean): ExecuteView[] {
  if (!isIncidentId(incident.id)) return [];
  return affectedUsers(incident)
    .slice(0, MAX_ASK_BUTTONS)
    .map((u) =>
      execute(
        `Ask ${u.upn}`,
        userCheckAskPayload(incident.id, u.upn, providerSide ? incident.customerId : null),
      ),
    );
}

export interface UserCheckQuestionInput {
  readonly checkId: string;
  readonly customerName: string;
  readonly incidentId: string;
  readonly seen: string;
  readonly askedBy: string;
  /** Null while open; the answer (or why it closed) once it is not. */
  readonly closed: string | null;
  readonly reminder?: boolean;
}

const ANSWER_STYLES: Readonly<Record<UserCheckAnswer, string>> = {
  yes: 'positive',
  no: 'destructive',
  unsure: 'default',
};

const answerButton = (checkId: string, a: UserCheckAnswer) => {
  const payload: UserCheckActionPayload = userCheckAnswerPayload(checkId, a);
  return { ...execute(ANSWER_LABELS[a], payload), style: ANSWER_STYLES[a] };
};

/** The question in the affected person's direct message. */
export function userCheckQuestionCard(input: UserCheckQuestionInput): CardMessage {
  const customer = plainLine(input.customerName, LIMITS.name);
  const title = input.reminder === true ? 'Reminder: was this you?' : 'Was this you?';
  const intro = `${customer}'s security team and Microsoft Defender Experts are checking activity on your account. Please tell us whether it was you.`;
  const seen = plainText(input.seen, LIMITS.line);
  const facts: [string, string][] = [
    ['Incident', plainLine(input.incidentId, 64)],
    ['Asked by', plainLine(input.askedBy, LIMITS.name)],
  ];
  const privacy =
    'Only you can answer this question. Your answer goes into the incident in the Microsoft Defender portal.';
  const closed = input.closed === null ? '' : plainLine(input.closed, LIMITS.line);
  return cardMessage(
    'user-check-question',
    {
      title: md(title),
      intro: md(intro),
      seen: md(seen),
      facts: facts.map(([t, v]) => ({ title: md(t), value: md(v) })),
      open: input.closed === null,
      answers: (['yes', 'no', 'unsure'] as const).map((a) => answerButton(input.checkId, a)),
      closedText: md(closed),
      privacy: md(privacy),
    },
    [
      title,
      intro,
      `Seen: ${seen}`,
      ...facts.map(([t, v]) => `${t}: ${v}`),
      input.closed === null ? 'Answer: Yes, this was me / No, this wasn’t me / I’m not sure' : closed,
    ],
  );
}

export type UserCheckTone = 'info' | 'warning' | 'urgent';

export interface UserCheckStatusInput {
  readonly title: string;
  readonly text: string;
  readonly tone: UserCheckTone;
  readonly facts: readonly (readonly [string, string])[];
  /** The question (and, on the provider's side, its customer) when it may still be withdrawn. */
  readonly cancel: { readonly k: string; readonly c: string | null } | null;
}

/** A status card opens like a notice: the same look for the same level of concern. */
const NOTICE_TONES: Readonly<Record<UserCheckTone, NoticeTone>> = {
  info: 'info',
  warning: 'warning',
  urgent: 'error',
};

/** Where a question stands, for the requester, the alert thread and the experts' queue thread. */
export function userCheckStatusCard(input: UserCheckStatusInput): CardMessage {
  const { title, text, style, color } = tonedHead(input.title, input.text, NOTICE_TONES[input.tone]);
  const facts = input.facts.map(([t, v]) => [plainLine(t, LIMITS.name), plainLine(v, LIMITS.line)] as const);
  return cardMessage(
    'user-check-status',
    {
      title: md(title),
      text: md(text),
      style,
      color,
      facts: facts.map(([t, v]) => ({ title: md(t), value: md(v) })),
      hasCancel: input.cancel !== null,
      cancel: execute(
        'Withdraw the question',
        userCheckCancelPayload(input.cancel?.k ?? 'UC-000000', input.cancel?.c ?? null),
      ),
    },
    [title, text, ...facts.map(([t, v]) => `${t}: ${v}`)],
  );
}
