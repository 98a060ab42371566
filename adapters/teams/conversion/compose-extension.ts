import type { Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { IncidentLinks, LinkAsker } from '../../../bot/links/incident-links.js';
import type { Logger, Turn } from '../../../bot/ports.js';
import type { IncidentPreview } from '../../../cards/index.js';
import { deliveryIdOf, originOf, type TeamsOrigin } from './teams-inbound.js';
import { CARD_CONTENT_TYPE } from './teams-outbound.js';

// The app's message extension: link unfurling of Microsoft Defender portal links pasted in the compose
// box (composeExtension/queryLink) and the incident search command (composeExtension/query). Both answer
// in the invoke response, in the shape Teams documents for message extensions; what is shown is decided
// by the core (bot/links), which applies the tenancy rule to the conversation the compose box belongs to.

export const QUERY_LINK = 'composeExtension/queryLink';
export const QUERY = 'composeExtension/query';
/** The search command's id and parameter name, as manifest/teams/manifest.json declares them. */
export const SEARCH_COMMAND_ID = 'findIncidents';
export const SEARCH_PARAMETER = 'query';
const THUMBNAIL_TYPE = 'application/vnd.microsoft.card.thumbnail';
/** Teams shows link unfurls with Adaptive Cards up to 1.3; the preview card uses nothing newer. */
const UNFURL_CARD_VERSION = '1.3';
const DEFAULT_COUNT = 10;

export interface ComposeExtensionDeps {
  readonly links: IncidentLinks;
  readonly logger: Logger;
  /** Who asks and who reads the conversation, as the message handlers establish it for a turn. */
  readonly asker: (context: TurnContext, origin: TeamsOrigin) => Promise<LinkAsker>;
}

type Json = Readonly<Record<string, unknown>>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A turn shell for reading the conversation's audience: compose-box invokes carry no message. */
export const askerTurn = (origin: TeamsOrigin): Turn => ({
  deliveryId: '',
  principal: origin.principal,
  conversation: origin.conversation,
  input: { kind: 'message', text: '', attachmentCount: 0 },
});

/**
 * Text for the thumbnail preview, which Teams may render with markup: the characters that make tags,
 * links, emphasis or a bare URL are taken out, so an incident title shows as the text it is.
 */
export const inertText = (text: string): string =>
  text
    .replace(/[<>[\]*_`~|\\]/g, ' ')
    .replace(/:\/\//g, ': //')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * The compose box belongs to whatever conversation the person writes in. Only the chat with the bot
 * itself (`a:…`) is theirs alone; a 1:1 chat between people (which may be with another organisation's
 * person) reports itself as personal too, so it is read like a group chat: its member list decides, and
 * a list the bot cannot read counts as unknown.
 */
export function composeOrigin(origin: TeamsOrigin): TeamsOrigin {
  if (origin.conversation.kind !== 'personal' || origin.address.conversationId.startsWith('a:'))
    return origin;
  return { ...origin, conversation: { ...origin.conversation, kind: 'group' } };
}

/** One message-extension result: the card that is inserted, and its small preview in the list. */
function attachment(preview: IncidentPreview) {
  return {
    contentType: CARD_CONTENT_TYPE,
    content: { ...preview.card, version: UNFURL_CARD_VERSION },
    preview: {
      contentType: THUMBNAIL_TYPE,
      content: { title: inertText(preview.title), text: inertText(preview.subtitle) },
    },
  };
}

const result = (previews: readonly IncidentPreview[], noCache: boolean): InvokeResponse => ({
  status: 200,
  body: {
    composeExtension: { type: 'result', attachmentLayout: 'list', attachments: previews.map(attachment) },
    // A preview depends on who pasted the link and where: Teams must not reuse it for anyone else.
    ...(noCache ? { cacheInfo: { cacheType: 'no-cache' } } : {}),
  },
});

const message = (text: string): InvokeResponse => ({
  status: 200,
  body: { composeExtension: { type: 'message', text } },
});

/** The search text and paging of a composeExtension/query; empty text for the initial run. */
export function queryOf(value: unknown): { text: string; skip: number; count: number } | null {
  if (!isRecord(value) || value.commandId !== SEARCH_COMMAND_ID) return null;
  const parameters = Array.isArray(value.parameters) ? value.parameters.filter(isRecord) : [];
  const initial = parameters.some((p) => p.name === 'initialRun' && String(p.value) === 'true');
  const typed = parameters.find((p) => p.name === SEARCH_PARAMETER);
  const text = initial || typed === undefined || typeof typed.value !== 'string' ? '' : typed.value;
  const options = isRecord(value.queryOptions) ? value.queryOptions : {};
  const int = (v: unknown, fallback: number): number =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : fallback;
  return { text, skip: int(options.skip, 0), count: Math.max(1, int(options.count, DEFAULT_COUNT)) };
}

const isInvoke = (context: TurnContext, name: string): boolean =>
  context.activity.type === ActivityTypes.Invoke && context.activity.name === name;

/** Adds the two message-extension invokes to the Application; each always gets an answer. */
export function registerComposeExtension(app: Application<TurnState>, deps: ComposeExtensionDeps): void {
  const respond = async (
    context: TurnContext,
    answer: (origin: TeamsOrigin) => Promise<InvokeResponse>,
  ): Promise<void> => {
    const read = originOf(context.activity);
    const origin = read === null ? null : composeOrigin(read);
    let value: InvokeResponse;
    try {
      value = origin === null ? result([], true) : await answer(origin);
    } catch (error) {
      deps.logger.error(
        { err: error, deliveryId: deliveryIdOf(context.activity) },
        'teams compose extension failed',
      );
      value = message('Something went wrong on our side. Please try again in a minute.');
    }
    await context.sendActivity({ type: ActivityTypes.InvokeResponse, value });
  };

  app.addRoute(
    async (context) => isInvoke(context, QUERY_LINK),
    (context) =>
      respond(context, async (origin) => {
        const value: unknown = context.activity.value;
        const url = isRecord(value) && typeof value.url === 'string' ? value.url : '';
        const outcome = await deps.links.preview(await deps.asker(context, origin), url);
        return result(outcome === null ? [] : [outcome.preview], true);
      }),
    true,
  );
  app.addRoute(
    async (context) => isInvoke(context, QUERY),
    (context) =>
      respond(context, async (origin) => {
        const query = queryOf(context.activity.value);
        if (query === null) return message('This search is not supported.');
        const outcome = await deps.links.search(
          await deps.asker(context, origin),
          query.text,
          query.skip,
          query.count,
        );
        if (outcome.kind === 'refused') return message(outcome.text);
        return result(
          outcome.results.map((r) => r.preview),
          false,
        );
      }),
    true,
  );
}
