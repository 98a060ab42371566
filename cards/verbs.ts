import type { RegisteredActionPayload } from '../bot/actions/registry.js';
import type { KnownSeverity } from '../bot/domain/enums.js';
import type { IncidentView } from '../bot/domain/incident.js';
import { QUESTION_VERBS } from './question-verbs.js';
import { SDM_VERBS } from './sdm-verbs.js';
import { USER_CHECK_VERBS } from './user-check-verbs.js';

// Every Action.Execute carries one of these verbs and the typed data below (Teams Universal Actions),
// so every button is declared once. Inbound data comes from any client, so it is parsed, never trusted:
// each verb's schema, handler and permission are its definition in bot/actions/defs.

/** The verbs cards send; each has one definition in bot/actions/defs (a test checks both lists agree). */
export const VERBS = {
  incidentsList: 'incidents.list',
  incidentShow: 'incident.show',
  incidentComments: 'incident.comments',
  help: 'help',
  messagesShow: 'messages.show',
  messagesRead: 'messages.read',
  ...SDM_VERBS,
  ...QUESTION_VERBS,
  ...USER_CHECK_VERBS,
  responseDone: 'response.done',
  responseSkip: 'response.skip',
  responseSkipConfirm: 'response.skip.confirm',
  responseRun: 'response.run',
  responseRunConfirm: 'response.run.confirm',
  responseCancel: 'response.cancel',
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

/**
 * A verb with its data: what a card button sends and what a handler receives, as each action's schema
 * (bot/actions/defs) declares it.
 */
export type ActionPayload = RegisteredActionPayload;

/** Upper bound for list offsets: far beyond any real page, low enough to stop silly queries. */
export const MAX_OFFSET = 100_000;

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

/** True for a string that may name an incident in a card action (the same rule as the actions' schemas). */
export const isIncidentId = (v: unknown): v is string => typeof v === 'string' && INCIDENT_ID.test(v);
