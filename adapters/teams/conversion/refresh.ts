import { parseActionPayload } from '../../../bot/actions/registry.js';
import { parseCommand } from '../../../bot/commands/parse.js';
import type { Turn } from '../../../bot/ports.js';
import { VERBS } from '../../../cards/verbs.js';

// Universal Actions "user-specific views": a card carries a refresh action, and each person's Teams client
// sends it when it shows the card, so everyone sees the buttons of their own role. The refresh replays the
// request that produced the card as the viewing user — which is safe only for requests that change
// nothing, so only these read-only verbs are ever replayed.

/** Verb of the welcome card's refresh; the adapter answers it itself (the core has no welcome flow). */
export const WELCOME_VERB = 'teams.welcome';

/** What re-creates a card for another viewer: a card verb and its data. */
export interface Regeneration {
  readonly verb: string;
  readonly data: Readonly<Record<string, unknown>>;
}

const READ_ONLY: ReadonlySet<string> = new Set<string>([
  VERBS.help,
  VERBS.incidentsList,
  VERBS.incidentShow,
  VERBS.incidentComments,
]);

/** Teams shows a card's refresh to at most 60 listed users; more would be ignored. */
export const MAX_REFRESH_USERS = 60;

function readOnly(verb: string, data: unknown): Regeneration | null {
  const payload = parseActionPayload(verb, data);
  return payload !== null && READ_ONLY.has(payload.verb) ? { verb: payload.verb, data: payload.data } : null;
}

const RESPONSE_VERBS: ReadonlySet<string> = new Set<string>([
  VERBS.responseDone,
  VERBS.responseSkip,
  VERBS.responseSkipConfirm,
  VERBS.responseRun,
  VERBS.responseRunConfirm,
  VERBS.responseCancel,
]);

/**
 * A guided-response click answers with its incident's card (or a confirmation): each viewer's refresh of
 * that message shows the incident card again with their own buttons — never the click itself replayed.
 */
function incidentOf(verb: string, data: unknown): Regeneration | null {
  const payload = parseActionPayload(verb, data);
  if (payload === null || !RESPONSE_VERBS.has(payload.verb)) return null;
  return readOnly(VERBS.incidentShow, { id: (payload.data as { id: string }).id });
}

/**
 * The read-only request equivalent to a turn's input, or null when the turn may have changed something (or
 * its card cannot be re-created): typed commands map to the verb their card buttons use.
 */
export function regenerationFor(input: Turn['input']): Regeneration | null {
  if (input.kind === 'action') return readOnly(input.verb, input.data) ?? incidentOf(input.verb, input.data);
  const command = parseCommand(input.text);
  switch (command.name) {
    case 'help':
      return readOnly(VERBS.help, {});
    case 'incidents':
      return readOnly(VERBS.incidentsList, {
        view: command.view,
        severity: command.severity,
        offset: command.offset,
      });
    case 'incident':
      return readOnly(command.allComments ? VERBS.incidentComments : VERBS.incidentShow, { id: command.id });
    default:
      return null;
  }
}
