import type { Platform } from '../domain/actor.js';
import type { ConversationRef } from '../domain/conversation.js';
import type { Directory } from '../domain/customer.js';
import type { ChatPort, Clock, IncidentSource, Logger, Store } from '../ports.js';
import type { Relay } from '../relay/relay.js';
import type { IncidentWriter } from '../response/response-ports.js';
import type { AffectedUserReach, UserCheckStore } from './user-check-ports.js';

// What the "Was this you?" service works with: its own store, the core store (bindings, alert posts), the
// platforms' reach and chat ports, the incident writer for the answer's comment, and the relay for the
// alert and queue threads.

export interface UserCheckDeps {
  readonly checks: UserCheckStore;
  readonly store: Store;
  readonly source: IncidentSource;
  readonly directory: Directory;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly reachFor: (platform: Platform) => AffectedUserReach | undefined;
  readonly chatFor: (platform: Platform) => ChatPort | undefined;
  /** Writes the answer into the incident's comments (Graph, or the simulation); null: not written. */
  readonly writer: IncidentWriter | null;
  /** The relay and the experts' queue: answers go into the alert thread and its queue thread. */
  readonly relay?: Relay;
  readonly queue?: ConversationRef | null;
  /** Called after a redraw of alert cards was queued (the composition root wakes the dispatcher). */
  readonly alertsQueued?: () => void;
}

/** When the unanswered question is reminded, and when the requester is told nobody answered. */
export const REMIND_AFTER_MS = 3_600_000;
export const ESCALATE_AFTER_MS = 4 * 3_600_000;
/** Tries at the answer's comment before it is left for a person to copy from the thread. */
export const MAX_COMMENT_ATTEMPTS = 10;
