import { type KnownSeverity, SEVERITIES } from '../bot/domain/enums.js';
import { INCIDENT_VIEWS, type IncidentView } from '../bot/domain/incident.js';
import { parseQuestionAction, QUESTION_VERBS, type QuestionActionPayload } from './question-verbs.js';
import { parseSdmAction, SDM_VERBS, type SdmActionPayload } from './sdm-verbs.js';
import { parseUserCheckAction, USER_CHECK_VERBS, type UserCheckActionPayload } from './user-check-verbs.js';

// Every Action.Execute carries one of these verbs and the typed data below (Teams Universal Actions),
// so every button is declared once. Inbound data comes from any client, so it is parsed, never trusted.

/** The verbs cards send; the flows register one handler per verb. */
export const VERBS = {
  incidentsList: 'incidents.list',
  incidentShow: 'incident.show',
  incidentComments: 'incident.comments',
  help: 'help',
  messagesShow: 'messages.show',
  messagesRead: 'messages.read',
  ...SDM_VERBS,
  ...QUESTION_VERBS,
  responseDone: 'response.done',
  responseSkip: 'response.skip',
  responseSkipConfirm: 'response.skip.confirm',
  responseRun: 'response.run',
  responseRunConfirm: 'response.run.confirm',
  responseCancel: 'response.cancel',
  ...USER_CHECK_VERBS,
} as const;

export type Verb = (typeof VERBS)[keyof typeof VERBS];

/**
 * Buttons answered with a form for the clicker alone (ask, SDM contact, skip reason, check-in item). Hosts
 * with dialogs (Slack modals) open the form as one instead of drawing it over the shared card.
 */
export const FORM_VERBS: readonly Verb[] = [
  QUESTION_VERBS.questionForm,
  SDM_VERBS.sdmForm,
  'response.skip',
  SDM_VERBS.checkinItem,
];

/**
 * Form submits whose 'replace' answer is the shared card the form was opened from, redrawn for everyone
 * (the checklist after an item edit, the guided-response card after a skip). Other submits' 'replace'
 * answers replace the form itself, so a host that showed the form in a dialog answers them privately.
 */
export const SOURCE_REDRAW_VERBS: readonly Verb[] = [SDM_VERBS.checkinSave, 'response.skip.confirm'];

const ALL_VERBS: readonly string[] = Object.values(VERBS);

/** Narrows an inbound verb string to a known verb. */
export const isVerb = (v: unknown): v is Verb => typeof v === 'string' && ALL_VERBS.includes(v);

// Type aliases (not interfaces) so payloads are plain JSON values the template engine can bind.
export type IncidentsListData = {
  readonly view: IncidentView;
  readonly severity: KnownSeverity | null;
  readonly offset: number;
};

export type IncidentRefData = {
  readonly id: string;
};

/** One guided-response action of one incident, at the record version the card was drawn from. */
export type ResponseActionData = {
  readonly id: string;
  readonly action: string;
  readonly v: number;
  /** The run confirmation's one-time token: only the confirmation card carries it (bot/response/confirmation.ts). */
  readonly c?: string;
};

/** "Skip" carries the reason typed into the card's input (merged in by the host as `reason`). */
export type ResponseSkipData = ResponseActionData & { readonly reason?: string };

/** The guided-response verbs whose data names one action (the skip confirmation adds a reason). */
export type ResponseVerb =
  | typeof VERBS.responseDone
  | typeof VERBS.responseSkip
  | typeof VERBS.responseRun
  | typeof VERBS.responseRunConfirm
  | typeof VERBS.responseCancel;

/** Which threads the messages view lists (and marks read): `messages [7d|30d|open]`. */
export type MessagesData = { readonly filter: '7d' | '30d' | 'open' };
const MESSAGE_FILTER_WORDS: readonly string[] = ['7d', '30d', 'open'];

/** A verb with its data: what a card button sends and what a flow receives after parsing. */
export type ActionPayload =
  | { readonly verb: typeof VERBS.incidentsList; readonly data: IncidentsListData }
  | { readonly verb: typeof VERBS.incidentShow; readonly data: IncidentRefData }
  | { readonly verb: typeof VERBS.incidentComments; readonly data: IncidentRefData }
  | { readonly verb: typeof VERBS.help; readonly data: Readonly<Record<string, never>> }
  | { readonly verb: typeof VERBS.messagesShow; readonly data: MessagesData }
  | { readonly verb: typeof VERBS.messagesRead; readonly data: MessagesData }
  | SdmActionPayload
  | QuestionActionPayload
  | { readonly verb: ResponseVerb; readonly data: ResponseActionData }
  | { readonly verb: typeof VERBS.responseSkipConfirm; readonly data: ResponseSkipData }
  | UserCheckActionPayload;

/** Upper bound for list offsets: far beyond any real page, low enough to stop silly queries. */
export const MAX_OFFSET = 100_000;

// Graph incident ids are digits; simulated ones may carry letters and dashes. Same rule as the flows.
const INCIDENT_ID = /^[A-Za-z0-9-]{1,64}$/;

/** Builds the payload of a list button (paging, view and severity switches). */
export const listPayload = (
  view: IncidentView,
  severity: KnownSeverity | null,
  offset: number,
): ActionPayload => ({ verb: VERBS.incidentsList, data: { view, severity, offset } });

/** Builds the payload of an "Open" button for one incident. */
export const showPayload = (id: string): ActionPayload => ({ verb: VERBS.incidentShow, data: { id } });

/** Builds the payload of "Show all N comments". */
export const commentsPayload = (id: string): ActionPayload => ({
  verb: VERBS.incidentComments,
  data: { id },
});

/** Builds the payload of a help button. */
export const helpPayload = (): ActionPayload => ({ verb: VERBS.help, data: {} });

/** Builds the payload of a guided-response button for one action at the version the card shows. */
export const responsePayload = (
  verb: ResponseVerb | typeof VERBS.responseSkipConfirm,
  incidentId: string,
  actionId: string,
  version: number,
  confirmation?: string,
): ActionPayload => ({
  verb,
  data:
    confirmation === undefined
      ? { id: incidentId, action: actionId, v: version }
      : { id: incidentId, action: actionId, v: version, c: confirmation },
});

/** Longest skip reason kept; longer ones are refused with a message, not cut. */
export const MAX_REASON_LENGTH = 500;
const ACTION_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const CONFIRMATION = /^[A-Za-z0-9-]{16,64}$/;

const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** True for a string that may name an incident in a card action. */
export const isIncidentId = (v: unknown): v is string => typeof v === 'string' && INCIDENT_ID.test(v);

function parseList(d: Readonly<Record<string, unknown>>): IncidentsListData | null {
  const view = d.view;
  if (typeof view !== 'string' || !(INCIDENT_VIEWS as readonly string[]).includes(view)) return null;
  const sev = d.severity ?? null;
  if (sev !== null && (typeof sev !== 'string' || !(SEVERITIES as readonly string[]).includes(sev)))
    return null;
  const offset = d.offset ?? 0;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset > MAX_OFFSET)
    return null;
  return { view: view as IncidentView, severity: sev as KnownSeverity | null, offset };
}

function parseResponse(d: Readonly<Record<string, unknown>>): ResponseActionData | null {
  const v = d.v;
  if (!isIncidentId(d.id) || typeof d.action !== 'string' || !ACTION_ID.test(d.action)) return null;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) return null;
  if (d.c === undefined || d.c === null) return { id: d.id, action: d.action, v };
  if (typeof d.c !== 'string' || !CONFIRMATION.test(d.c)) return null;
  return { id: d.id, action: d.action, v, c: d.c };
}

/**
 * Validates an inbound verb and its data (Teams invoke `value.action`, Slack button value). Returns null for
 * an unknown verb or any malformed field. Keys it does not know are dropped (hosts merge input values in).
 */
export function parseActionPayload(verb: unknown, data: unknown): ActionPayload | null {
  if (!isVerb(verb)) return null;
  if (data !== undefined && data !== null && !isRecord(data)) return null;
  const d: Readonly<Record<string, unknown>> = isRecord(data) ? data : {};
  switch (verb) {
    case VERBS.incidentsList: {
      const parsed = parseList(d);
      return parsed === null ? null : { verb, data: parsed };
    }
    case VERBS.incidentShow:
    case VERBS.incidentComments:
      return isIncidentId(d.id) ? { verb, data: { id: d.id } } : null;
    case VERBS.help:
      return { verb, data: {} };
    case VERBS.messagesShow:
    case VERBS.messagesRead:
      return typeof d.filter === 'string' && MESSAGE_FILTER_WORDS.includes(d.filter)
        ? { verb, data: { filter: d.filter as MessagesData['filter'] } }
        : null;
    case VERBS.reportShow:
    case VERBS.reportPost:
    case VERBS.checkinShow:
    case VERBS.checkinItem:
    case VERBS.checkinSave:
    case VERBS.sdmShow:
    case VERBS.sdmForm:
    case VERBS.sdmSend:
      return parseSdmAction(verb, d);
    case VERBS.questionForm:
    case VERBS.questionAsk:
    case VERBS.questionClaim:
    case VERBS.questionShow:
    case VERBS.questionResolve:
    case VERBS.questionsList:
    case VERBS.relayReply:
    case VERBS.relayUndo:
      return parseQuestionAction(verb, d);
    case VERBS.responseDone:
    case VERBS.responseSkip:
    case VERBS.responseRun:
    case VERBS.responseRunConfirm:
    case VERBS.responseCancel: {
      const parsed = parseResponse(d);
      return parsed === null ? null : { verb, data: parsed };
    }
    case VERBS.userCheckAsk:
    case VERBS.userCheckAnswer:
    case VERBS.userCheckCancel:
      return parseUserCheckAction(verb, d);
    case VERBS.responseSkipConfirm: {
      const parsed = parseResponse(d);
      if (parsed === null) return null;
      const reason = d.reason;
      if (reason === undefined || reason === null) return { verb, data: parsed };
      // A hard cap only: the flow refuses a reason over MAX_REASON_LENGTH with its length.
      if (typeof reason !== 'string' || reason.length > MAX_REASON_LENGTH * 10) return null;
      return { verb, data: { ...parsed, reason } };
    }
  }
}
