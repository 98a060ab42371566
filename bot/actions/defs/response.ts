import { z } from 'zod/v4';
import { MAX_REASON_LENGTH, type ResponseActionData, VERBS } from '../../../cards/verbs.js';
import { guidedResponse } from '../../authz/grants.js';
import { customerCtx } from '../../flows/context.js';
import {
  askRun,
  askSkip,
  cancelAction,
  completeAction,
  confirmRun,
  confirmSkip,
} from '../../flows/guided-response.js';
import { defineAction } from '../define.js';
import { incidentId } from '../fields.js';

// Guided response's buttons. The permission table admits the customer's responders and admins; the flow then
// applies the permission matrix (bot/response/rules.ts: role × experts' access × action) so a refusal names
// the exact reason, privately.

/** One guided-response action of one incident, at the record version the card was drawn from. */
const actionFields = {
  id: incidentId,
  action: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/),
  v: z.number().int().min(0),
  /** The run confirmation's one-time token: only the confirmation card carries it (bot/response/confirmation.ts). */
  c: z
    .string()
    .regex(/^[A-Za-z0-9-]{16,64}$/)
    .nullish(),
};

const withoutBlankToken = <T extends { readonly c?: string | null | undefined }>({ c, ...rest }: T) =>
  (c === undefined || c === null ? rest : { ...rest, c }) as Omit<T, 'c'> & { readonly c?: string };

const responseAction = z.object(actionFields).transform((d): ResponseActionData => withoutBlankToken(d));

export const responseDone = defineAction({
  verb: VERBS.responseDone,
  schema: responseAction,
  requires: guidedResponse,
  handle: (ctx, d) => completeAction(customerCtx(ctx), d),
});

export const responseSkip = defineAction({
  verb: VERBS.responseSkip,
  schema: responseAction,
  requires: guidedResponse,
  handle: (ctx, d) => askSkip(customerCtx(ctx), d),
});

/** "Skip" carries the reason typed into the card's input (merged in by the host as `reason`). */
export const responseSkipConfirm = defineAction({
  verb: VERBS.responseSkipConfirm,
  schema: z
    // A hard cap only: the flow refuses a reason over MAX_REASON_LENGTH with its length.
    .object({
      ...actionFields,
      reason: z
        .string()
        .max(MAX_REASON_LENGTH * 10)
        .nullish(),
    })
    .transform(({ reason, ...rest }) => {
      const action = withoutBlankToken(rest);
      return reason === undefined || reason === null ? action : { ...action, reason };
    }),
  requires: guidedResponse,
  handle: (ctx, d) => confirmSkip(customerCtx(ctx), d),
});

export const responseRun = defineAction({
  verb: VERBS.responseRun,
  schema: responseAction,
  requires: guidedResponse,
  handle: (ctx, d) => askRun(customerCtx(ctx), d),
});

export const responseRunConfirm = defineAction({
  verb: VERBS.responseRunConfirm,
  schema: responseAction,
  requires: guidedResponse,
  handle: (ctx, d) => confirmRun(customerCtx(ctx), d),
});

export const responseCancel = defineAction({
  verb: VERBS.responseCancel,
  schema: responseAction,
  requires: guidedResponse,
  handle: (ctx, d) => cancelAction(customerCtx(ctx), d),
});
