import { z } from 'zod/v4';
import {
  type CheckinSaveData,
  SDM_INPUTS,
  SDM_LIMITS,
  SDM_VERBS,
  type SdmSendData,
} from '../../../cards/sdm-verbs.js';
import { customers, customersAndSdm } from '../../authz/grants.js';
import { sendToSdm, showSdm, showSdmForm } from '../../flows/contact-sdm.js';
import { editItem, saveItem, showChecklist } from '../../flows/readiness-checkin.js';
import { periodFromKey, postReport, showReport } from '../../flows/reports.js';
import { withCustomer } from '../../flows/sdm-routes.js';
import { CONTACT_KINDS, ITEM_STATES } from '../../sdm/sdm-ports.js';
import { defineAction } from '../define.js';
import { customerId, dateInput, defined, textInput } from '../fields.js';

// The SDM feature's buttons and forms: reports, readiness check-ins, contacting the SDM. The permission
// table admits a customer's people and SDMs; each flow then checks the customer: the caller's own, or one
// they are SDM of (bot/sdm/target.ts, bot/sdm/access.ts).

const period = z.string().regex(/^(?:7d|30d|90d|\d{4}-(?:0[1-9]|1[0-2]))$/);
const itemKey = z.string().regex(/^[A-Za-z0-9:._-]{1,128}$/);

/** A text input trimmed: absent stays absent (undefined), blank is null. */
const trimmed = (max: number) =>
  textInput(max).transform((v) => (v === undefined || v === null ? v : v.trim() === '' ? null : v.trim()));

// The note and owner boxes may start empty (a stored value is not put back into an input unless it is a
// plain name): empty keeps the value, "-" clears it, so a state-only save never wipes either.
const keepOrClear = (max: number) =>
  trimmed(max).transform((v) => (v === null ? undefined : v === '-' ? null : v));

/** Blank is as good as absent. */
const blankless = (max: number) => trimmed(max).transform((v) => v ?? undefined);

export const reportShow = defineAction({
  verb: SDM_VERBS.reportShow,
  schema: z.object({
    customer: customerId.nullish().transform((v) => v ?? null),
    period,
  }),
  requires: customersAndSdm,
  handle: (ctx, d) =>
    showReport(ctx, { customerId: d.customer, period: periodFromKey(d.period), mode: 'replace' }),
});

/** Without `confirmed` the SDM is first shown where the report would go; the confirmation's button sets it. */
export const reportPost = defineAction({
  verb: SDM_VERBS.reportPost,
  schema: z.object({ customer: customerId, period, confirmed: z.literal(true).optional() }),
  requires: { who: ['sdm'], scope: 'the customers they manage' },
  handle: (ctx, d) =>
    postReport(ctx, {
      customerId: d.customer,
      period: periodFromKey(d.period),
      confirmed: d.confirmed === true,
    }),
});

export const checkinShow = defineAction({
  verb: SDM_VERBS.checkinShow,
  schema: z.object({ customer: customerId }),
  requires: customersAndSdm,
  handle: (ctx, d) => showChecklist(ctx, d.customer),
});

export const checkinItem = defineAction({
  verb: SDM_VERBS.checkinItem,
  schema: z.object({ customer: customerId, key: itemKey }),
  requires: customersAndSdm,
  handle: (ctx, d) => editItem(ctx, d.customer, d.key),
});

/** Fields absent from the data are left as they are; null clears. */
export const checkinSave = defineAction({
  verb: SDM_VERBS.checkinSave,
  schema: z
    .object({
      customer: customerId,
      key: itemKey,
      [SDM_INPUTS.owner]: keepOrClear(SDM_LIMITS.owner),
      [SDM_INPUTS.due]: dateInput.transform((v) => (v === '' ? null : v)),
      [SDM_INPUTS.state]: z.enum(ITEM_STATES).optional(),
      [SDM_INPUTS.note]: keepOrClear(SDM_LIMITS.note),
    })
    .transform(
      (d): CheckinSaveData => ({
        customer: d.customer,
        key: d.key,
        ...defined({
          owner: d[SDM_INPUTS.owner],
          dueDate: d[SDM_INPUTS.due],
          state: d[SDM_INPUTS.state],
          note: d[SDM_INPUTS.note],
        }),
      }),
    ),
  requires: customersAndSdm,
  handle: (ctx, d) => saveItem(ctx, d),
});

export const sdmShow = defineAction({
  verb: SDM_VERBS.sdmShow,
  schema: z.object({}),
  requires: customers(),
  handle: (ctx) => withCustomer(ctx, (cc) => showSdm(cc, 'replace')),
});

export const sdmForm = defineAction({
  verb: SDM_VERBS.sdmForm,
  schema: z.object({ kind: z.enum(CONTACT_KINDS) }),
  requires: customers(),
  handle: (ctx, d) => withCustomer(ctx, (cc) => showSdmForm(cc, d.kind)),
});

/** The form's inputs arrive merged in; absent or blank ones are simply missing (the flow says what is needed). */
export const sdmSend = defineAction({
  verb: SDM_VERBS.sdmSend,
  schema: z
    .object({
      kind: z.enum(CONTACT_KINDS),
      [SDM_INPUTS.text]: blankless(SDM_LIMITS.text),
      [SDM_INPUTS.severity]: blankless(10),
      [SDM_INPUTS.date]: dateInput.transform((v) => (v === '' || v === null ? undefined : v)),
    })
    .transform(
      (d): SdmSendData => ({
        kind: d.kind,
        ...defined({
          text: d[SDM_INPUTS.text],
          severity: d[SDM_INPUTS.severity],
          preferredDate: d[SDM_INPUTS.date],
        }),
      }),
    ),
  requires: customers(),
  handle: (ctx, d) => withCustomer(ctx, (cc) => sendToSdm(cc, d, 'replace')),
});
