import type { ContactKind, ItemState } from '../bot/sdm/sdm-ports.js';

// The SDM feature's verbs (reports, check-ins, SDM contact) and their typed data; each verb's schema is its
// definition's (bot/actions/defs/sdm.ts). Input values arrive merged into the data under the input ids below.

export const SDM_VERBS = {
  reportShow: 'report.show',
  reportPost: 'report.post',
  checkinShow: 'checkin.show',
  checkinItem: 'checkin.item',
  checkinSave: 'checkin.save',
  sdmShow: 'sdm.show',
  sdmForm: 'sdm.form',
  sdmSend: 'sdm.send',
} as const;

export type SdmVerb = (typeof SDM_VERBS)[keyof typeof SDM_VERBS];

/** Ids of the inputs on the SDM feature's forms (they land in the action data under these keys). */
export const SDM_INPUTS = {
  owner: 'itemOwner',
  due: 'itemDue',
  state: 'itemState',
  note: 'itemNote',
  text: 'sdmText',
  severity: 'sdmSeverity',
  date: 'sdmDate',
} as const;

/** Longest texts the forms accept; the flows refuse longer ones with a message (2× is parse's hard cap). */
export const SDM_LIMITS = { owner: 120, note: 500, text: 3000 } as const;

export type ReportShowData = { readonly customer: string | null; readonly period: string };
/** Without `confirmed` the SDM is first shown where the report would go; the confirmation's button sets it. */
export type ReportPostData = {
  readonly customer: string;
  readonly period: string;
  readonly confirmed?: true;
};
export type CheckinShowData = { readonly customer: string };
export type CheckinItemData = { readonly customer: string; readonly key: string };
/** Fields absent from the data are left as they are; null clears (owner and note clear with "-"). */
export type CheckinSaveData = CheckinItemData & {
  readonly owner?: string | null;
  readonly dueDate?: string | null;
  readonly state?: ItemState;
  readonly note?: string | null;
};
export type SdmFormData = { readonly kind: ContactKind };
/** The form's inputs arrive merged in; absent ones are simply missing (the flow says what is needed). */
export type SdmSendData = {
  readonly kind: ContactKind;
  readonly text?: string;
  readonly severity?: string;
  readonly preferredDate?: string;
};

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** A real calendar date in YYYY-MM-DD (2026-02-30 is refused). */
export function isIsoDate(v: string): boolean {
  if (!DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}
