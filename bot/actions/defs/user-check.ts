import { z } from 'zod/v4';
import {
  USER_CHECK_INPUTS,
  USER_CHECK_NOTE_MAX,
  type UserCheckAnswerData,
  type UserCheckAskData,
  type UserCheckRefData,
} from '../../../cards/user-check-verbs.js';
import { VERBS } from '../../../cards/verbs.js';
import type { Permission } from '../../authz/grants.js';
import { CUSTOMER } from '../../authz/grants.js';
import { isUserCheckId, UPN, USER_CHECK_ANSWERS } from '../../domain/user-check.js';
import { answerUserCheck, askUser, cancelUserCheck } from '../../flows/user-check.js';
import { defineAction } from '../define.js';
import { incidentId } from '../fields.js';

// "Was this you?": "Ask <user>" on incident and alert cards, the affected person's answer, and withdrawing
// an unanswered question. The flow resolves the customer (an expert's card names it) and the service admits
// only the person asked to answer.

/** The customer, on the provider's read-only card; absent (or null) on a customer's own. */
const onBehalfOf = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/)
  .nullish()
  .transform((c) => c ?? undefined);
const checkId = z.string().refine(isUserCheckId);

// Responders and admins ask about their own incidents, experts about any customer's.
const askers: Permission = {
  who: ['responder', 'admin', 'expert'],
  doing: 'ask an affected user',
  scope: 'own customer; an expert: any customer',
};

export const userCheckAsk = defineAction({
  verb: VERBS.userCheckAsk,
  schema: z
    .object({ id: incidentId, upn: z.string().regex(UPN), c: onBehalfOf })
    .transform(({ id, upn, c }): UserCheckAskData => (c === undefined ? { id, upn } : { id, upn, c })),
  requires: askers,
  handle: (ctx, d) => askUser(ctx, d),
});

export const userCheckAnswer = defineAction({
  verb: VERBS.userCheckAnswer,
  schema: z
    .object({
      k: checkId,
      a: z.enum(USER_CHECK_ANSWERS),
      // A hard cap only: the flow refuses a note over USER_CHECK_NOTE_MAX with its length.
      [USER_CHECK_INPUTS.note]: z
        .string()
        .max(USER_CHECK_NOTE_MAX * 10)
        .nullish()
        .transform((n) => (n === null || n === undefined || n === '' ? undefined : n)),
    })
    .transform(
      ({ k, a, ucNote }): UserCheckAnswerData => (ucNote === undefined ? { k, a } : { k, a, ucNote }),
    ),
  // Any of the customer's people may reach the verb; the flow then admits only the person asked, by the
  // platform identity the question was sent to (Teams Entra object id, Slack user id re-checked by email).
  requires: { who: CUSTOMER, scope: 'the affected user alone, by validated identity' },
  handle: (ctx, d) => answerUserCheck(ctx, d),
});

export const userCheckCancel = defineAction({
  verb: VERBS.userCheckCancel,
  schema: z
    .object({ k: checkId, c: onBehalfOf })
    .transform(({ k, c }): UserCheckRefData => (c === undefined ? { k } : { k, c })),
  requires: {
    who: ['responder', 'admin', 'expert'],
    doing: 'withdraw a question to an affected user',
    scope: 'own customer; an expert: any customer; while unanswered',
  },
  handle: (ctx, d) => cancelUserCheck(ctx, d),
});
