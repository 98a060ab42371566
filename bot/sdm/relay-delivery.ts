import { relayRequestCard } from '../../cards/index.js';
import type { Platform } from '../domain/actor.js';
import type { ConversationRef } from '../domain/conversation.js';
import type { Customer, Directory } from '../domain/customer.js';
import type { ChatPort, Reply } from '../ports.js';
import { authorizeSide } from '../relay/pass-on.js';
import type { Relay } from '../relay/relay.js';
import { cardReply } from '../replies.js';
import { isSdmOf, type SdmContactDelivery } from './deps.js';
import { type ProviderWorkspaces, reachSdm } from './reach.js';
import type { ContactRequest } from './sdm-ports.js';

// SDM messages and escalations ride the Ask-experts relay: each request opens a pair whose customer
// side is a thread in the conversation it was sent from and whose provider side is a thread in the SDM's
// direct messages. Replies on either side are relayed by the relay; this file only opens the pair.

const KIND_TITLES: Readonly<Record<ContactRequest['kind'], string>> = {
  message: 'Message',
  escalation: 'Escalation',
  feedback: 'Feedback',
  optOut: 'Request to opt out of the preview',
  bookReview: 'Business review booking request',
};

const where = (c: ConversationRef): string =>
  c.platform === 'web'
    ? 'dev console direct messages'
    : `${c.platform === 'teams' ? 'Teams' : 'Slack'} direct message`;

/** Teams personal chats have no threads: the whole chat is the thread there. */
const unthreaded = (c: ConversationRef): boolean => c.platform === 'teams' && c.kind === 'personal';

/** Where the answer goes: "in this thread", or "here" in a chat without threads. */
const answerHere = (c: ConversationRef): string => (unthreaded(c) ? 'here' : 'in this thread');

/** How a request is named in choices and acknowledgements (an SDM's chat carries all of her customers). */
export function sdmRequestTitle(request: ContactRequest): string {
  const sev = request.severity === null ? '' : ` (${request.severity})`;
  const words = request.text.replace(/\s+/g, ' ').trim();
  const start = words.length > 40 ? `${words.slice(0, 39).trimEnd()}…` : words;
  return `${KIND_TITLES[request.kind]}${sev}${start === '' ? '' : ` · ${start}`}`;
}

/** What the SDM sees at the top of the thread: the whole request (never cut) and how to answer. */
export function sdmRequestCard(
  request: ContactRequest,
  customer: Customer,
  sdmSide?: ConversationRef,
): Reply {
  const sev = request.severity === null ? '' : ` (${request.severity} severity)`;
  const date = request.preferredDate === null ? '' : `Preferred date: ${request.preferredDate}.\n`;
  const here = sdmSide === undefined ? 'in this thread' : answerHere(sdmSide);
  return cardReply(
    relayRequestCard({
      title: `${KIND_TITLES[request.kind]}${sev} from ${customer.name} · ${request.fromName}`,
      text: `${date}${request.text === '' ? '(no text)' : request.text}\n\nReply ${here}; ${customer.name} sees your reply.`,
      tone:
        request.kind === 'escalation' && request.severity === 'high'
          ? 'error'
          : request.kind === 'escalation'
            ? 'warning'
            : 'info',
    }),
  );
}

/** Opens a relay pair per request (idempotent on the request id). */
export function createRelayContactDelivery(deps: {
  readonly relay: Relay;
  readonly directory: Directory;
  readonly chatFor: (p: Platform) => ChatPort | undefined;
  /** The provider's workspaces where the SDM has direct messages. */
  readonly workspaces: ProviderWorkspaces;
}): SdmContactDelivery {
  const { workspaces } = deps;
  return {
    async deliver({ request, customer, conversation }) {
      const dm = await reachSdm(customer, workspaces, deps.chatFor, conversation.platform);
      const sdm = customer.sdm;
      if (dm === null || sdm === null) return { delivered: false, where: 'no chat route to the SDM' };
      const here = answerHere(conversation);
      const yours = cardReply(
        relayRequestCard({
          title: `${KIND_TITLES[request.kind]} to your SDM ${sdm.name}`,
          text: `${request.text === '' ? '(no text)' : request.text}\n\nReplies from ${sdm.name} appear ${here}; reply ${here} to answer.`,
          tone: 'info',
        }),
      );
      await deps.relay.openPair({
        kind: request.kind === 'escalation' ? 'escalation' : 'sdm',
        customerId: customer.id,
        subjectId: request.id,
        providerLabel: `Your SDM (${sdm.name})`,
        title: sdmRequestTitle(request),
        customer: {
          conversation: { ...conversation, threadId: null },
          threadId: null,
          root: yours,
          wholeConversation: unthreaded(conversation),
        },
        provider: {
          conversation: dm,
          threadId: null,
          root: sdmRequestCard(request, customer, dm),
          wholeConversation: unthreaded(dm),
        },
      });
      return { delivered: true, where: where(dm) };
    },
  };
}

/**
 * Only the customer's own SDM answers on the provider side of SDM pairs. In an SDM's chat without threads all
 * her customers' pairs share one conversation: the relay never guesses there (bot/relay/whole-conversation.ts).
 */
export function registerSdmRelayHooks(relay: Relay, directory: Directory): void {
  for (const kind of ['sdm', 'escalation'] as const) {
    relay.registerHooks(kind, {
      authorize: (pair, from, actor) =>
        authorizeSide(
          pair,
          from,
          actor,
          (a, p) => {
            const customer = directory.customers.find((c) => c.id === p.customerId);
            return customer !== undefined && isSdmOf(a, customer);
          },
          'Only this customer’s SDM can answer here; your message was not passed on.',
        ),
    });
  }
}
