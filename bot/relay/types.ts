import type { Actor } from '../domain/actor.js';
import type { ConversationRef } from '../domain/conversation.js';
import type { Reply } from '../ports.js';

// The relay's vocabulary: a pair of threads (customer side, provider side) that mirror each other. Questions,
// handoff threads and SDM conversations are kinds of pair; the relay itself knows nothing of any of them.

/** What a pair is for; hooks are registered per kind. */
export const RELAY_KINDS = ['question', 'handoff', 'sdm', 'escalation'] as const;
export type RelayKind = (typeof RELAY_KINDS)[number];

export type RelaySideName = 'customer' | 'provider';

/** One side of a pair: a conversation and the root message of its thread (null until the root is posted). */
export interface RelaySide {
  readonly conversation: ConversationRef;
  readonly threadId: string | null;
  /** True for a side without threads (Teams personal chat): the whole conversation is the thread. */
  readonly wholeConversation: boolean;
}

export interface RelayPair {
  readonly id: string;
  readonly kind: RelayKind;
  readonly customerId: string;
  /** Question id, `<bindingId>:<incidentId>` for handoffs, the SDM flow's own id. Unique per kind+customer. */
  readonly subjectId: string;
  readonly customer: RelaySide;
  readonly provider: RelaySide;
  /** How provider-side messages are labelled for the customer ("Defender Experts", "Your SDM (Dana)"). */
  readonly providerLabel: string;
  /** What the pair is about, for choices and acknowledgements ("Q-7K2M9P · Is the sign-in…"); may be ''. */
  readonly title: string;
  readonly createdAt: string;
  readonly lastActivityAt: string;
}

/** How a caller describes a side when opening a pair. */
export interface SideSpec {
  readonly conversation: ConversationRef;
  /** The thread root if the caller already posted it; null: the relay posts `root` first. */
  readonly threadId: string | null;
  /** The card that starts the thread (required when threadId is null, unless wholeConversation). */
  readonly root?: Reply;
  readonly wholeConversation?: boolean;
}

export interface OpenPairInput {
  readonly kind: RelayKind;
  readonly customerId: string;
  readonly subjectId: string;
  readonly customer: SideSpec;
  readonly provider: SideSpec;
  readonly providerLabel: string;
  /** Short description shown when the sender must pick a pair or is told where a message went. */
  readonly title?: string;
}

/** Per-kind behaviour: who may post on each side, and what a relayed message changes. */
export interface RelayHooks {
  /** A refusal for the sender (shown to them only), or null to allow. */
  authorize?(pair: RelayPair, from: RelaySideName, actor: Actor): Reply | null;
  /** After a person's message was queued for relay; extra replies go to the sender. */
  relayed?(pair: RelayPair, from: RelaySideName, actor: Actor, at: Date): Promise<readonly Reply[]>;
  /**
   * Whether plain text in a conversation without threads may still go to this pair without asking (a
   * resolved question may not: it is reopened only by an explicit choice). Default: active in the last 30 days.
   */
  isOpen?(pair: RelayPair, now: Date): Promise<boolean>;
}

export const otherSide = (side: RelaySideName): RelaySideName =>
  side === 'customer' ? 'provider' : 'customer';
