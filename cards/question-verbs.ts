import type { QuestionTopic } from '../bot/domain/question.js';
import type { ActionPayload } from './verbs.js';

// Ask Defender Experts verbs and their typed data; each verb's schema is its definition's
// (bot/actions/defs/questions.ts). The form's input values arrive merged into the data under the input ids
// in QUESTION_INPUTS.

export const QUESTION_VERBS = {
  questionForm: 'question.form',
  questionAsk: 'question.ask',
  /** Cancel on the Ask form: nothing is sent; the form gives way to its source card or a short notice. */
  questionCancel: 'question.cancel',
  questionClaim: 'question.claim',
  /** An expert opens one request of the queue list: its queue card, with its context and buttons. */
  questionShow: 'question.show',
  questionResolve: 'question.resolve',
  questionsList: 'questions.list',
  /** "Send to …" in a chat without threads: the sender picks the pair a message is for. */
  relayReply: 'relay.reply',
  /** Undo on "Passed on to …": withdraws a message that went to the one open request unasked. */
  relayUndo: 'relay.undo',
} as const;

export type QuestionVerb = (typeof QUESTION_VERBS)[keyof typeof QUESTION_VERBS];

/** Ids of the form's inputs (they land in the action data under these keys). */
export const QUESTION_INPUTS = {
  topic: 'qTopic',
  text: 'qText',
  context: 'qContext',
  /** Shown only when the form was not opened from an incident: the asker may name one. */
  incident: 'qIncident',
} as const;

/** Longest texts the form accepts; the flow refuses longer ones with a message (2× is parse's hard cap). */
export const QUESTION_LIMITS = { text: 4000, context: 1000 } as const;

/** The card an Ask form was opened from: an incident's channel alert or its detail card. */
export const ASK_SOURCES = ['alert', 'incident'] as const;
export type AskSource = (typeof ASK_SOURCES)[number];

export type QuestionFormData = { readonly incidentId: string | null; readonly from?: AskSource };
/**
 * The form's submit: the inputs arrive under their ids, absent when left empty; the flow checks them.
 * `inPlace` is set by a host that drew the form over its source card for the submitter alone (Teams in a
 * channel or group chat): the answer then gives them back that card, or keeps the form with the error.
 */
export type QuestionAskData = {
  readonly incidentId: string | null;
  readonly from?: AskSource;
  readonly inPlace?: true;
  readonly qTopic?: QuestionTopic;
  readonly qText?: string;
  readonly qContext?: string;
};
export type QuestionRefData = { readonly id: string };
/** A page of the experts' queue (customers' own lists have one page). */
export type QuestionsListData = { readonly offset?: number };
/** The pair chosen and the held message (its platform id) it is for. */
export type RelayReplyData = { readonly pairId: string; readonly sourceId: string };

/** The "Ask Defender Experts" button's payload (incident and alert cards, the help card). */
export const askFormPayload = (incidentId: string | null, from?: AskSource): ActionPayload => ({
  verb: QUESTION_VERBS.questionForm,
  data: from === undefined ? { incidentId } : { incidentId, from },
});

/**
 * The Ask form's Cancel: the data of the button that opened the form, so a form drawn in place can give its
 * source card back (that host adds `inPlace`, as on the submit). Nothing typed into the form rides along.
 */
export const askCancelPayload = (incidentId: string | null, from?: AskSource): ActionPayload => ({
  verb: QUESTION_VERBS.questionCancel,
  data: from === undefined ? { incidentId } : { incidentId, from },
});
