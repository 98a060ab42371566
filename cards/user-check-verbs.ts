import type { UserCheckAnswer } from '../bot/domain/user-check.js';

// "Was this you?" verbs and their typed data (validated by their schemas in bot/actions/defs/user-check.ts):
// "Ask the user" on the incident and alert cards, the affected person's answer, and withdrawing the question.

export const USER_CHECK_VERBS = {
  /** "Ask <user>": the incident, the person the evidence names and, from the provider's side, the customer. */
  userCheckAsk: 'usercheck.ask',
  /** The affected person's answer (the optional note arrives merged in under USER_CHECK_INPUTS.note). */
  userCheckAnswer: 'usercheck.answer',
  /** Withdraws a question not answered yet. */
  userCheckCancel: 'usercheck.cancel',
} as const;

/** Id of the question card's note input (its value lands in the action data under this key). */
export const USER_CHECK_INPUTS = { note: 'ucNote' } as const;

/** Longest note kept; longer ones are refused with a message, not cut. */
export const USER_CHECK_NOTE_MAX = 500;

export type UserCheckAskData = {
  readonly id: string;
  readonly upn: string;
  /** The customer, on the provider's read-only card (a customer's own people never need it). */
  readonly c?: string;
};
export type UserCheckAnswerData = {
  readonly k: string;
  readonly a: UserCheckAnswer;
  readonly ucNote?: string;
};
/** A question by id; `c` names its customer when the button is on the provider's side. */
export type UserCheckRefData = { readonly k: string; readonly c?: string };

export type UserCheckActionPayload =
  | { readonly verb: typeof USER_CHECK_VERBS.userCheckAsk; readonly data: UserCheckAskData }
  | { readonly verb: typeof USER_CHECK_VERBS.userCheckAnswer; readonly data: UserCheckAnswerData }
  | { readonly verb: typeof USER_CHECK_VERBS.userCheckCancel; readonly data: UserCheckRefData };

/** "Ask <user>" for one person an incident's evidence names. */
export const userCheckAskPayload = (
  incidentId: string,
  upn: string,
  customerId: string | null,
): UserCheckActionPayload => ({
  verb: USER_CHECK_VERBS.userCheckAsk,
  data: customerId === null ? { id: incidentId, upn } : { id: incidentId, upn, c: customerId },
});

/** One of the three answers to question `k`. */
export const userCheckAnswerPayload = (k: string, a: UserCheckAnswer): UserCheckActionPayload => ({
  verb: USER_CHECK_VERBS.userCheckAnswer,
  data: { k, a },
});

/** "Withdraw the question". */
export const userCheckCancelPayload = (k: string, customerId: string | null): UserCheckActionPayload => ({
  verb: USER_CHECK_VERBS.userCheckCancel,
  data: customerId === null ? { k } : { k, c: customerId },
});
