import { noticeCard } from '../../cards/index.js';
import type { Platform } from '../domain/actor.js';
import type { ConversationRef } from '../domain/conversation.js';
import type { Customer, Directory } from '../domain/customer.js';
import type { ChatPort, Reply } from '../ports.js';
import type { Relay } from '../relay/relay.js';
import { cardReply, textReply } from '../replies.js';
import { isSdmOf, type SdmContactDelivery } from './deps.js';
import type { ContactRequest } from './ports.js';
import { type ProviderWorkspaces, reachSdm } from './reach.js';

// SDM messages and escalations ride the Ask-experts relay (issue 7): each request opens a pair whose customer
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

/** What the SDM sees at the top of the thread. */
export function sdmRequestCard(request: ContactRequest, customer: Customer): Reply {
  const sev = request.severity === null ? '' : ` (${request.severity} severity)`;
  const date = request.preferredDate === null ? '' : `Preferred date: ${request.preferredDate}.\n`;
  return cardReply(
    noticeCard({
      title: `${KIND_TITLES[request.kind]}${sev} from ${customer.name} · ${request.fromName}`,
      text: `${date}${request.text === '' ? '(no text)' : request.text}\n\nReply in this thread; ${customer.name} sees your reply.`,
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
      const yours = cardReply(
        noticeCard({
          title: `${KIND_TITLES[request.kind]} to your SDM ${sdm.name}`,
          text: `${request.text === '' ? '(no text)' : request.text}\n\nReplies from ${sdm.name} appear in this thread; reply here to answer.`,
          tone: 'info',
        }),
      );
      await deps.relay.openPair({
        kind: request.kind === 'escalation' ? 'escalation' : 'sdm',
        customerId: customer.id,
        subjectId: request.id,
        providerLabel: `Your SDM (${sdm.name})`,
        customer: {
          conversation: { ...conversation, threadId: null },
          threadId: null,
          root: yours,
          wholeConversation: unthreaded(conversation),
        },
        provider: {
          conversation: dm,
          threadId: null,
          root: sdmRequestCard(request, customer),
          wholeConversation: unthreaded(dm),
        },
      });
      return { delivered: true, where: where(dm) };
    },
  };
}

/** Only the customer's own SDM answers on the provider side of SDM pairs. */
export function registerSdmRelayHooks(relay: Relay, directory: Directory): void {
  for (const kind of ['sdm', 'escalation'] as const) {
    relay.registerHooks(kind, {
      authorize(pair, from, actor) {
        if (from === 'customer')
          return actor.customerId === pair.customerId
            ? null
            : textReply('Only people of this customer can reply here; your message was not passed on.');
        const customer = directory.customers.find((c) => c.id === pair.customerId);
        return customer !== undefined && isSdmOf(actor, customer)
          ? null
          : textReply('Only this customer’s SDM can answer here; your message was not passed on.');
      },
    });
  }
}
