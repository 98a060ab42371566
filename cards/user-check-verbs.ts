import { isUserCheckId, UPN, USER_CHECK_ANSWERS, type UserCheckAnswer } from '../bot/domain/user-check.js';

// "Was this you?" verbs and their typed data, parsed like every other verb (cards/verbs.ts delegates here):
// "Ask the user" on the incident and alert cards, the affected person's answer, and withdrawing the question.

export const USER_CHECK_VERBS = {
  /** "Ask <user>": the incident, the person the evidence names and, from the provider's side, the customer. */
  userCheckAsk: 'usercheck.ask',
  /** The affected person's answer (the optional note arrives merged in under USER_CHECK_INPUTS.note). */
  userCheckAnswer: 'usercheck.answer',
  /** Withdraws a question not answered yet. */
  userCheckCancel: 'usercheck.cancel',
} as const;

export type UserCheckVerb = (typeof USER_CHECK_VERBS)[keyof typeof USER_CHECK_VERBS];

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

const INCIDENT_ID = /^[A-Za-z0-9-]{1,64}$/;
const CUSTOMER_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Parses one "Was this you?" verb's data; null when anything is malformed. */
export function parseUserCheckAction(
  verb: UserCheckVerb,
  d: Readonly<Record<string, unknown>>,
): UserCheckActionPayload | null {
  switch (verb) {
    case USER_CHECK_VERBS.userCheckAsk: {
      const { id, upn, c } = d;
      if (typeof id !== 'string' || !INCIDENT_ID.test(id)) return null;
      if (typeof upn !== 'string' || !UPN.test(upn)) return null;
      if (c === undefined || c === null) return { verb, data: { id, upn } };
      if (typeof c !== 'string' || !CUSTOMER_ID.test(c)) return null;
      return { verb, data: { id, upn, c } };
    }
    case USER_CHECK_VERBS.userCheckAnswer: {
      const { k, a } = d;
      const note = d[USER_CHECK_INPUTS.note];
      if (!isUserCheckId(k)) return null;
      if (typeof a !== 'string' || !(USER_CHECK_ANSWERS as readonly string[]).includes(a)) return null;
      if (note === undefined || note === null || note === '')
        return { verb, data: { k, a: a as UserCheckAnswer } };
      // A hard cap only: the flow refuses a note over USER_CHECK_NOTE_MAX with its length.
      if (typeof note !== 'string' || note.length > USER_CHECK_NOTE_MAX * 10) return null;
      return { verb, data: { k, a: a as UserCheckAnswer, ucNote: note } };
    }
    case USER_CHECK_VERBS.userCheckCancel: {
      if (!isUserCheckId(d.k)) return null;
      if (d.c === undefined || d.c === null) return { verb, data: { k: d.k } };
      return typeof d.c === 'string' && CUSTOMER_ID.test(d.c) ? { verb, data: { k: d.k, c: d.c } } : null;
    }
  }
}

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
