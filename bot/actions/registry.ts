import type { z } from 'zod/v4';
import type { Permission } from '../authz/grants.js';
import type { ActionDefinition } from './define.js';
import { helpButton } from './defs/help.js';
import { incidentComments, incidentShow, incidentsList } from './defs/incidents.js';
import { messagesRead, messagesShow } from './defs/messages.js';
import {
  questionAsk,
  questionCancel,
  questionClaim,
  questionForm,
  questionResolve,
  questionShow,
  questionsList,
} from './defs/questions.js';
import { relayReply, relayUndo } from './defs/relay.js';
import {
  responseCancel,
  responseDone,
  responseRun,
  responseRunConfirm,
  responseSkip,
  responseSkipConfirm,
} from './defs/response.js';
import {
  checkinItem,
  checkinSave,
  checkinShow,
  reportPost,
  reportShow,
  sdmForm,
  sdmSend,
  sdmShow,
} from './defs/sdm.js';
import { userCheckAnswer, userCheckAsk, userCheckCancel } from './defs/user-check.js';

// The one list of card actions (buttons and forms), in the order the security docs show them. The router
// validates a click's data with its definition's schema, checks its `requires` and runs its handler; the
// permission table (bot/authz/permissions.ts, docs/security.md) and the payload types cards build buttons
// with are read from here. A verb registered twice throws here, when the bot starts.

// A function, read when first needed: the definitions reach the flows and the cards, which reach back here;
// whichever module is loaded first, the list is whole when it is read.
const list = () =>
  [
    helpButton,
    incidentsList,
    incidentShow,
    incidentComments,
    questionForm,
    questionAsk,
    questionCancel,
    questionClaim,
    questionShow,
    questionResolve,
    questionsList,
    relayReply,
    relayUndo,
    reportShow,
    reportPost,
    checkinShow,
    checkinItem,
    checkinSave,
    messagesShow,
    messagesRead,
    sdmShow,
    sdmForm,
    sdmSend,
    responseDone,
    responseSkip,
    responseSkipConfirm,
    responseRun,
    responseRunConfirm,
    responseCancel,
    userCheckAsk,
    userCheckAnswer,
    userCheckCancel,
  ] as const;

/** Any registered action, as the router and the generators see it. */
export type AnyActionDefinition = ActionDefinition<string, z.ZodType>;

type PayloadOf<D> =
  D extends ActionDefinition<infer V, infer S> ? { readonly verb: V; readonly data: z.output<S> } : never;

/** A verb with its data: what a card button sends and what a handler receives after the schema passed it. */
export type RegisteredActionPayload = PayloadOf<ReturnType<typeof list>[number]>;

/** Throws on a verb registered twice. */
export function checkActions(definitions: readonly AnyActionDefinition[]): void {
  const seen = new Set<string>();
  for (const a of definitions) {
    if (seen.has(a.verb)) throw new Error(`action registry: verb "${a.verb}" is registered twice`);
    seen.add(a.verb);
  }
}

let index:
  | {
      readonly all: readonly AnyActionDefinition[];
      readonly byVerb: ReadonlyMap<string, AnyActionDefinition>;
    }
  | undefined;

function built(): NonNullable<typeof index> {
  if (index !== undefined) return index;
  const all: readonly AnyActionDefinition[] = list();
  checkActions(all);
  index = { all, byVerb: new Map(all.map((a) => [a.verb, a])) };
  return index;
}

/** Every registered action, in the docs' order; checks the registry the first time (the bot calls it at start). */
export const actions = (): readonly AnyActionDefinition[] => built().all;

/** The definition registered for a verb, if any. */
export const actionFor = (verb: unknown): AnyActionDefinition | undefined =>
  typeof verb === 'string' ? built().byVerb.get(verb) : undefined;

const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates an inbound verb and its data (Teams invoke `value.action`, Slack button value) with the verb's
 * schema. Returns null for an unknown verb or any malformed field; keys the schema does not name are dropped
 * (hosts merge input values in). No data at all is an empty object.
 */
export function parseActionPayload(verb: unknown, data: unknown): RegisteredActionPayload | null {
  const action = actionFor(verb);
  if (action === undefined) return null;
  if (data !== undefined && data !== null && !isRecord(data)) return null;
  const parsed = action.schema.safeParse(data ?? {});
  return parsed.success ? ({ verb: action.verb, data: parsed.data } as RegisteredActionPayload) : null;
}

/** Who may use each card action, by verb, in the registry's order. */
export const actionPermissions = (): ReadonlyArray<readonly [string, Permission]> =>
  actions().map((a) => [a.verb, a.requires] as const);
