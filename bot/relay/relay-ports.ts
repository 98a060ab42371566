import type { Reply } from '../ports.js';
import type { RelayKind, RelayPair, RelaySide, RelaySideName } from './types.js';

// The relay's storage port (not part of the core Store): pairs, the durable per-pair queue, and the map from
// each relayed message to its copy. Implementation: adapters/store/relay/ (SQLite and PostgreSQL).

/** What a queued item does on its side. */
export type RelayOp = 'root' | 'post' | 'edit' | 'delete' | 'say' | 'update-root';

/** One thing to deliver to one side of a pair. Unique by dedupKey: enqueuing it again is a no-op. */
export interface RelayDraft {
  readonly pairId: string;
  readonly dedupKey: string;
  readonly to: RelaySideName;
  readonly op: RelayOp;
  /** The source message (platform id) for post/edit/delete; null for bot-authored items. */
  readonly sourceId: string | null;
  /** Order key (ISO-8601 UTC): the platform's timestamp of the source message or change. */
  readonly sourceAt: string;
  /** The message to send, ready (card + fallback text). */
  readonly message: Reply;
  /** Not delivered before (ISO): the settle window that lets a late, earlier message overtake. */
  readonly notBefore: string;
}

export interface RelayItem extends RelayDraft {
  readonly seq: number;
  readonly attempts: number;
}

/** The relayed copy of one source message on the other side. */
export interface RelayCopy {
  readonly pairId: string;
  readonly to: RelaySideName;
  readonly sourceId: string;
  /** The copy's platform message id; null for a tombstone (deleted before it was relayed). */
  readonly copyId: string | null;
  /** sourceAt of the newest version applied. */
  readonly version: string;
  readonly deleted: boolean;
}

/** What a delivery produced, written with its completion in one transaction. */
export interface RelayEffects {
  /** The root was posted: this side's thread id. */
  readonly thread?: { readonly side: RelaySideName; readonly threadId: string };
  readonly copy?: RelayCopy;
}

/** A message in a chat without threads that waits for its sender to say which pair it is for. */
export interface HeldMessage {
  readonly conversationId: string;
  readonly sourceId: string;
  /** Who wrote it (qualified id): only they may send it on. */
  readonly author: string;
  readonly text: string;
  readonly heldAt: string;
}

/** A pair as written by openPair (ids and times chosen by the caller). */
export type NewPair = Omit<RelayPair, 'lastActivityAt' | 'title'> & { readonly title?: string };

/** Which pairs a conversation-history view lists. */
export interface PairQuery {
  /** One customer's pairs, or null for every customer's (the provider's view). */
  readonly customerId: string | null;
  readonly kinds: readonly RelayKind[];
  /** Only pairs active at or after this instant (ISO); null: any. */
  readonly activeSince: string | null;
  readonly limit: number;
}

export interface RelayStore {
  /**
   * Creates the pair, or returns the existing one for (kind, customerId, subjectId) unchanged. The drafts
   * (root posts) are enqueued in the same transaction, only when the pair is new.
   */
  openPair(
    pair: NewPair,
    drafts: (pairId: string) => readonly RelayDraft[],
  ): Promise<{ readonly pair: RelayPair; readonly created: boolean }>;
  getPair(pairId: string): Promise<RelayPair | null>;
  findPair(kind: RelayKind, customerId: string, subjectId: string): Promise<RelayPair | null>;
  /**
   * The pair one of whose sides is this thread, and which side it is. Threads only: null (no thread) finds
   * nothing, because a conversation without threads may carry several pairs (see listWhole).
   */
  findByThread(
    conversationId: string,
    threadId: string | null,
  ): Promise<{ readonly pair: RelayPair; readonly side: RelaySideName } | null>;
  /**
   * Every pair with a whole-conversation side in this conversation (a Teams personal chat, the console), most
   * recently active first, at most `limit`. The caller decides which one a message is for; never guess.
   */
  listWhole(
    conversationId: string,
    limit: number,
  ): Promise<readonly { readonly pair: RelayPair; readonly side: RelaySideName }[]>;
  /**
   * Every pair with a side in this conversation, threaded or not, most recently active first, at most
   * `limit`: a direct-message chat whose requests each have their own thread (a Slack DM) still takes a
   * top-level message for its one open request.
   */
  listInChat(
    conversationId: string,
    limit: number,
  ): Promise<readonly { readonly pair: RelayPair; readonly side: RelaySideName }[]>;
  /**
   * The pair and side whose relayed copy `copyId` sits in this conversation: a reply under a relayed message
   * (a Reply button on it) answers that message's request.
   */
  findByCopy(
    conversationId: string,
    copyId: string,
  ): Promise<{ readonly pair: RelayPair; readonly side: RelaySideName } | null>;
  /** The pair of the queue item with this dedup key (was this source message relayed, and where?), or null. */
  pairOfItem(dedupKey: string): Promise<string | null>;
  /** Keeps (or replaces, for an edit) a message until its sender picks a pair; purged with the history. */
  hold(message: HeldMessage): Promise<void>;
  getHeld(conversationId: string, sourceId: string): Promise<HeldMessage | null>;
  /** Adds queue items (existing dedup keys ignored) and marks their pairs active at `at`. Returns how many were new. */
  enqueue(drafts: readonly RelayDraft[], at: string): Promise<number>;
  /**
   * Leases, for up to `limit` pairs, the pair's first pending item (by sourceAt, then seq) when it is due
   * and not leased: one pair's items go out strictly one after another in order.
   */
  claimHeads(now: Date, leaseMs: number, limit: number): Promise<readonly RelayItem[]>;
  getCopy(pairId: string, to: RelaySideName, sourceId: string): Promise<RelayCopy | null>;
  /** Marks an item delivered together with its effects. */
  complete(seq: number, effects?: RelayEffects): Promise<void>;
  /** Releases an item for another attempt (countAttempt false for throttling waits). */
  retry(seq: number, notBefore: Date, error: string, countAttempt: boolean): Promise<void>;
  /** Gives up on an item (kept for audit); the pair's next item may proceed. */
  abandon(seq: number, error: string): Promise<void>;
  /** Frees leases left by a crashed process (called once at start-up). */
  recover(): Promise<number>;
  /** How many items wait (metrics, tests). */
  countPending(): Promise<number>;
  /** Deletes pairs inactive since before `cutoff` (ISO) with their queue, copies and read marks, and messages
   * held since before it. Returns pairs deleted. */
  purgeInactive(cutoff: string): Promise<number>;
  /** Pairs matching the query, most recently active first (then by id), at most `limit`. */
  listPairs(query: PairQuery): Promise<readonly RelayPair[]>;
  /** Records that `reader` (a qualified id) has seen these pairs as of `at`; an earlier mark never wins. */
  markRead(reader: string, pairIds: readonly string[], at: string): Promise<void>;
  /** When `reader` last saw each of these pairs; a pair never seen is absent. */
  readMarks(reader: string, pairIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

/** The side of a pair by name. */
export const sideOf = (pair: RelayPair, side: RelaySideName): RelaySide =>
  side === 'customer' ? pair.customer : pair.provider;
