import { CONTACT_KINDS, type ContactKind, ITEM_STATES, type ItemState } from '../bot/sdm/ports.js';

// The SDM feature's verbs (reports, check-ins, SDM contact) and their typed data, parsed like every other
// verb (cards/verbs.ts delegates here). Input values arrive merged into the data under the input ids below.

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

export type SdmActionPayload =
  | { readonly verb: typeof SDM_VERBS.reportShow; readonly data: ReportShowData }
  | { readonly verb: typeof SDM_VERBS.reportPost; readonly data: ReportPostData }
  | { readonly verb: typeof SDM_VERBS.checkinShow; readonly data: CheckinShowData }
  | { readonly verb: typeof SDM_VERBS.checkinItem; readonly data: CheckinItemData }
  | { readonly verb: typeof SDM_VERBS.checkinSave; readonly data: CheckinSaveData }
  | { readonly verb: typeof SDM_VERBS.sdmShow; readonly data: Readonly<Record<string, never>> }
  | { readonly verb: typeof SDM_VERBS.sdmForm; readonly data: SdmFormData }
  | { readonly verb: typeof SDM_VERBS.sdmSend; readonly data: SdmSendData };

const CUSTOMER_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const ITEM_KEY = /^[A-Za-z0-9:._-]{1,128}$/;
const PERIOD = /^(?:7d|30d|90d|\d{4}-(?:0[1-9]|1[0-2]))$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

const isCustomer = (v: unknown): v is string => typeof v === 'string' && CUSTOMER_ID.test(v);

/** A real calendar date in YYYY-MM-DD (2026-02-30 is refused). */
export function isIsoDate(v: string): boolean {
  if (!DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

const INVALID = Symbol('invalid');
type Field<T> = T | typeof INVALID | undefined;

/** A text input: absent → undefined; blank → null; not a string or far too long → INVALID. */
function textField(v: unknown, max: number): Field<string | null> {
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v !== 'string' || v.length > max * 2) return INVALID;
  const t = v.trim();
  return t === '' ? null : t;
}

/** A date input: absent → undefined; blank → null; anything but a real YYYY-MM-DD → INVALID. */
function dateField(v: unknown): Field<string | null> {
  if (v === undefined) return undefined;
  if (v === null || v === '') return null;
  return typeof v === 'string' && isIsoDate(v) ? v : INVALID;
}

/** Copies the defined fields; null when any is invalid. */
function fields<T extends Record<string, unknown>>(f: { [K in keyof T]: Field<T[K]> }): Partial<T> | null {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) {
    if (v === INVALID) return null;
    if (v !== undefined) out[k] = v;
  }
  return out as Partial<T>;
}

/** Validates the data of an SDM verb; null for anything malformed. */
export function parseSdmAction(verb: SdmVerb, d: Readonly<Record<string, unknown>>): SdmActionPayload | null {
  switch (verb) {
    case SDM_VERBS.reportShow: {
      const customer = d.customer ?? null;
      if (customer !== null && !isCustomer(customer)) return null;
      if (typeof d.period !== 'string' || !PERIOD.test(d.period)) return null;
      return { verb, data: { customer, period: d.period } };
    }
    case SDM_VERBS.reportPost:
      if (!isCustomer(d.customer) || typeof d.period !== 'string' || !PERIOD.test(d.period)) return null;
      if (d.confirmed !== undefined && d.confirmed !== true) return null;
      return {
        verb,
        data: {
          customer: d.customer,
          period: d.period,
          ...(d.confirmed === true ? { confirmed: true } : {}),
        },
      };
    case SDM_VERBS.checkinShow:
      return isCustomer(d.customer) ? { verb, data: { customer: d.customer } } : null;
    case SDM_VERBS.checkinItem:
      if (!isCustomer(d.customer) || typeof d.key !== 'string' || !ITEM_KEY.test(d.key)) return null;
      return { verb, data: { customer: d.customer, key: d.key } };
    case SDM_VERBS.checkinSave: {
      if (!isCustomer(d.customer) || typeof d.key !== 'string' || !ITEM_KEY.test(d.key)) return null;
      const rawState = d[SDM_INPUTS.state];
      const state: Field<ItemState> =
        rawState === undefined
          ? undefined
          : typeof rawState === 'string' && (ITEM_STATES as readonly string[]).includes(rawState)
            ? (rawState as ItemState)
            : INVALID;
      // The note and owner boxes may start empty (a stored value is not put back into an input unless it is
      // a plain name): empty keeps the value, "-" clears it, so a state-only save never wipes either.
      const keepOrClear = (raw: Field<string | null>): Field<string | null> =>
        raw === null ? undefined : raw === '-' ? null : raw;
      const note = keepOrClear(textField(d[SDM_INPUTS.note], SDM_LIMITS.note));
      const owner = keepOrClear(textField(d[SDM_INPUTS.owner], SDM_LIMITS.owner));
      const f = fields<{
        owner: string | null;
        dueDate: string | null;
        state: ItemState;
        note: string | null;
      }>({
        owner,
        dueDate: dateField(d[SDM_INPUTS.due]),
        state,
        note,
      });
      return f === null ? null : { verb, data: { customer: d.customer, key: d.key, ...f } };
    }
    case SDM_VERBS.sdmShow:
      return { verb, data: {} };
    case SDM_VERBS.sdmForm:
      return typeof d.kind === 'string' && (CONTACT_KINDS as readonly string[]).includes(d.kind)
        ? { verb, data: { kind: d.kind as ContactKind } }
        : null;
    case SDM_VERBS.sdmSend: {
      if (typeof d.kind !== 'string' || !(CONTACT_KINDS as readonly string[]).includes(d.kind)) return null;
      const blankless = <T>(v: Field<T | null>): Field<T> => (v === null ? undefined : v);
      const f = fields<{ text: string; severity: string; preferredDate: string }>({
        text: blankless(textField(d[SDM_INPUTS.text], SDM_LIMITS.text)),
        severity: blankless(textField(d[SDM_INPUTS.severity], 10)),
        preferredDate: blankless(dateField(d[SDM_INPUTS.date])),
      });
      return f === null ? null : { verb, data: { kind: d.kind as ContactKind, ...f } };
    }
  }
}
