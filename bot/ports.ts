import type { AdaptiveCard } from '../cards/types.js';
import type { AudienceFacts } from './audience.js';
import type { Principal } from './domain/actor.js';
import type { ChannelBinding, ConversationRef } from './domain/conversation.js';
import type { Customer } from './domain/customer.js';
import type { KnownClassification, KnownDetermination, KnownSeverity } from './domain/enums.js';
import type { Incident, IncidentView, ResponseAction } from './domain/incident.js';

// The ports: what the core needs from the outside world. Adapters implement them; the composition root
// (adapters/main.ts) wires them. Nothing here names a platform SDK or a database driver.

// ---- Store -------------------------------------------------------------------------------------------

export interface IncidentQuery {
  readonly customerId: string;
  readonly view: IncidentView;
  readonly severity: KnownSeverity | null;
  readonly limit: number;
  readonly offset: number;
  /**
   * 'newest' (the default): last update first. 'urgency': highest severity first, then the longest waiting
   * since handed to the customer (the ones that age into reminders), so a touch does not move one up.
   */
  readonly order?: 'newest' | 'urgency';
  /**
   * Search terms (lower case, as searchTerms gives them): every one must equal the id or appear in the title,
   * description or an entity (incidentMatches). With one term, an incident whose id it is comes first.
   */
  readonly terms?: readonly string[];
}

export interface IncidentPage {
  readonly items: readonly Incident[];
  /** How many match the query in all (for "showing 1–10 of 42"). */
  readonly total: number;
  /** With order 'urgency': since when each listed incident awaits the customer (ISO instant), by id. */
  readonly waitingSince?: ReadonlyMap<string, string>;
}

/** One incident whose stored version changed in a save: what the alert pipeline diffs. */
export interface IncidentChange {
  readonly previous: Incident | null;
  readonly current: Incident;
}

export type ViewCounts = Readonly<Record<IncidentView, number>>;

/**
 * A platform installation (Slack OAuth distribution: one per workspace or Enterprise Grid org), or a small
 * record the platform adapter keeps beside them ('slack-parts': the continuation messages of a long card;
 * 'teams-shape': a Teams channel's membership type and host tenant, for posts made without an activity).
 */
export type InstallationPlatform = 'slack' | 'slack-parts' | 'teams-shape';

/**
 * One message the alert pipeline must deliver to one binding. Unique per (binding, incident, kind, version):
 * writing the same draft twice is a no-op, which is what makes the outbox exactly-once on our side.
 */
export interface OutboxDraft {
  readonly bindingId: string;
  readonly customerId: string;
  readonly incidentId: string;
  /** The lifecycle event or reminder (see bot/alerts/events.ts). */
  readonly kind: string;
  /** The incident version that caused it (its lastUpdateDateTime, or a reminder stage). */
  readonly version: string;
  readonly payload: Readonly<Record<string, unknown>>;
  /**
   * A scheduled row (a reminder) is due at this time and does not hold up its incident's other rows; rows
   * without it are due at once and go out strictly in order.
   */
  readonly notBefore?: Date;
}

export interface OutboxItem extends OutboxDraft {
  readonly id: number;
  readonly attempts: number;
  readonly createdAt: string;
}

/** Decides, inside the save transaction, which outbox rows a batch of changes produces. Must be pure. */
export type OutboxPlanner = (
  changes: readonly IncidentChange[],
  firstSync: boolean,
) => readonly OutboxDraft[];

/** What a delivered outbox row produced, written durably together with its completion. */
export interface CompleteEffects {
  readonly post?: IncidentPost;
  readonly enqueue?: readonly OutboxDraft[];
}

/** The one post per (binding, incident) that later events update in place and thread under. */
export interface IncidentPost {
  readonly bindingId: string;
  readonly customerId: string;
  readonly incidentId: string;
  readonly messageId: string;
  readonly postedAt: string;
}

/**
 * Proof that this instance leads one customer's polling (scale-out: several instances on one shared store).
 * A save carrying a fence that is no longer current is refused with a `conflict` BotError and changes nothing.
 */
export interface PollerFence {
  readonly customerId: string;
  readonly epoch: number;
}

/** Exactly one active poller per customer across instances (adapters/postgres/leadership.ts). */
export interface PollerLeadership {
  /** The fence when this instance leads (or now takes over) the customer's polling; null: another does. */
  lead(customerId: string): Promise<PollerFence | null>;
  /** Forgets a fence the store refused, so the next call asks again. */
  lost(customerId: string): void;
  close(): Promise<void>;
}

/**
 * Durable state. Every method is scoped by customer where data belongs to one; a store never returns a
 * row of another customer than the one asked for. Implementations: adapters/sqlite, adapters/postgres.
 */
export interface Store {
  /**
   * Saves incidents read from the source and moves that customer's cursor in one transaction (a null cursor
   * leaves the stored one as it is). An incoming incident older (by lastUpdateDateTime, compared as instants)
   * than the stored one is ignored; one identical to the stored one is not a change; one of another customer
   * fails the whole batch with bad_input. `plan` turns the real changes into outbox rows written in the same
   * transaction (firstSync: no cursor was stored before). Returns the real changes in input order.
   */
  saveIncidentChanges(
    customerId: string,
    incidents: readonly Incident[],
    cursor: string | null,
    plan?: OutboxPlanner,
    fence?: PollerFence,
  ): Promise<readonly IncidentChange[]>;
  getCursor(customerId: string): Promise<string | null>;
  getIncident(customerId: string, incidentId: string): Promise<Incident | null>;
  /**
   * Newest first (lastUpdateDateTime, then id: longer ids first, then text, so numeric ids order as numbers),
   * filtered by view and severity (an unrecognised severity matches no filter).
   */
  listIncidents(query: IncidentQuery): Promise<IncidentPage>;
  countByView(customerId: string): Promise<ViewCounts>;

  /** Adds or replaces the binding for (customer, conversation id). */
  saveBinding(binding: ChannelBinding): Promise<void>;
  /** Removes it; false when there was none. */
  deleteBinding(customerId: string, conversationId: string): Promise<boolean>;
  listBindings(customerId: string): Promise<readonly ChannelBinding[]>;
  /** One binding by its id, whatever the customer (the dispatcher works across customers). */
  getBinding(bindingId: string): Promise<ChannelBinding | null>;
  /** Pauses or resumes a binding; false when there is none. */
  setBindingPaused(bindingId: string, paused: boolean): Promise<boolean>;

  /** Adds outbox rows outside a sync (reminders); existing keys are ignored. Returns how many were new. */
  enqueueOutbox(drafts: readonly OutboxDraft[]): Promise<number>;
  /**
   * Leases up to `limit` deliverable rows for `leaseMs`: due, not leased, and first in line for their
   * (binding, incident) so one incident's events go out in order. Oldest first.
   */
  claimOutbox(limit: number, leaseMs: number, now: Date): Promise<readonly OutboxItem[]>;
  /**
   * Marks a row delivered, in one transaction with what the delivery produced: the incident's post (recorded
   * so a retry updates instead of posting again) and follow-up rows (reminders). One durable write each.
   * On a shared store, completing, retrying and abandoning act only on a row this instance still leases: a
   * resumed instance whose row was taken over changes nothing.
   */
  completeOutbox(
    id: number,
    effects?: { readonly post?: IncidentPost; readonly enqueue?: readonly OutboxDraft[] },
  ): Promise<void>;
  /**
   * Releases a row for another attempt not before `notBefore`. `countAttempt: false` for waits that are not
   * failures (pacing, a platform's Retry-After).
   */
  retryOutbox(id: number, notBefore: Date, error: string, countAttempt?: boolean): Promise<void>;
  /**
   * Renews this instance's lease on a claimed row right before it is sent; false when the row is no longer
   * this instance's to send (a shared store gave its lane to another instance while this one stalled): the
   * caller then drops it unsent. Keeps a paused instance's late sends to at most the one already under way.
   */
  touchOutbox(id: number, leaseMs: number, now: Date): Promise<boolean>;
  /** Gives up on a row (kept for audit, never claimed again); later rows of its incident may proceed. */
  abandonOutbox(id: number, error: string): Promise<void>;
  /**
   * Frees the leases of rows whose dispatcher died (a crash): called once at start-up, before dispatching.
   * The embedded SQLite store serves one process, so every lease it finds then is orphaned; a shared store
   * must only free leases of instances known to be gone. Returns how many rows it freed.
   */
  recoverOutbox(): Promise<number>;
  /** How many rows wait (for metrics, tests and the readiness view). */
  countPendingOutbox(): Promise<number>;
  getIncidentPost(bindingId: string, incidentId: string): Promise<IncidentPost | null>;
  saveIncidentPost(post: IncidentPost): Promise<void>;

  /** Platform installations, stored as JSON (they hold tokens: the file must be protected like a secret). */
  saveInstallation(platform: InstallationPlatform, key: string, installation: unknown): Promise<void>;
  getInstallation(platform: InstallationPlatform, key: string): Promise<unknown | null>;
  deleteInstallation(platform: InstallationPlatform, key: string): Promise<boolean>;

  /**
   * Records an idempotency key (global: callers namespace it); true only the first time it is seen (a redelivered activity, a Slack retry,
   * a double click). Keys older than `retainSeconds` may be forgotten.
   */
  claimOnce(key: string, retainSeconds: number): Promise<boolean>;

  /** Throws when the store cannot serve (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

// ---- Incident source -----------------------------------------------------------------------------------

export interface ChangeBatch {
  readonly incidents: readonly Incident[];
  /** Opaque; persist it and pass it back. */
  readonly cursor: string;
  /**
   * True when the source did not recognise the cursor it was given and answered with a full snapshot:
   * the differences are not news (a re-created simulation, a reset high-water mark), so nothing alerts.
   */
  readonly baseline?: boolean;
}

/** Where incidents come from: Microsoft Graph (adapters/graph) or the simulation (adapters/simulated). */
export interface IncidentSource {
  readonly kind: 'simulated' | 'graph';
  /**
   * Incidents of this customer changed since `cursor` (null: all current ones). May repeat incidents already
   * returned (overlap windows); the store de-duplicates by id + lastUpdateDateTime.
   */
  readChanges(customer: Customer, cursor: string | null): Promise<ChangeBatch>;
  getIncident(customer: Customer, incidentId: string): Promise<Incident | null>;
  ping(): Promise<void>;
}

/** What the dev console's expert persona can do to the simulated service. */
export interface SimulationControl {
  /** Plays one step of the lifecycle for every demo customer. */
  step(): Promise<void>;
  setPaused(paused: boolean): void;
  isPaused(): boolean;
  createIncident(customerId: string): Promise<Incident>;
  startInvestigation(customerId: string, incidentId: string, expert: string): Promise<Incident>;
  classify(
    customerId: string,
    incidentId: string,
    classification: KnownClassification,
    determination: KnownDetermination,
    summary: string,
  ): Promise<Incident>;
  /** True positive with reader access: hands the recommended actions to the customer. */
  handOff(customerId: string, incidentId: string, actions?: readonly ResponseAction[]): Promise<Incident>;
  resolve(customerId: string, incidentId: string, comment: string): Promise<Incident>;
  comment(customerId: string, incidentId: string, author: string, text: string): Promise<Incident>;
}

// ---- Chat ---------------------------------------------------------------------------------------------

export interface InboundMessage {
  readonly kind: 'message';
  readonly text: string;
  /** Files the user attached; never relayed, but the bot says so. */
  readonly attachmentCount: number;
  /**
   * The platform's id of this message (Slack ts, Teams activity id), when the adapter knows it: the relay
   * pairs threads and de-duplicates by it (bot/relay). Absent for slash commands and console turns.
   */
  readonly messageId?: string;
  /** When the platform says the message was sent or changed (ISO-8601): the relay orders by it. */
  readonly sentAt?: string;
  /** 'edited': `text` is the new version of `messageId`; 'deleted': `messageId` was removed (text ''). */
  readonly change?: 'edited' | 'deleted';
  /**
   * False for a channel message that did not address the bot (no @mention): only the relay reads those;
   * they are never parsed as commands. Absent means addressed (DMs, mentions, slash commands).
   */
  readonly addressed?: boolean;
}

export interface InboundAction {
  readonly kind: 'action';
  readonly verb: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** One inbound delivery, platform-neutral. `deliveryId` is the platform's id, for de-duplication. */
export interface Turn {
  readonly deliveryId: string;
  readonly principal: Principal;
  readonly conversation: ConversationRef;
  readonly input: InboundMessage | InboundAction;
  /**
   * Who can read the conversation, as the platform says (bot/audience.ts decides what may be said there).
   * Adapters of platforms where a conversation can span organisations always set it.
   */
  readonly audience?: AudienceFacts;
  /**
   * The adapter has already claimed this delivery (Store.claimOnce) before any work, so the core does not
   * claim it a second time: one durable claim per delivery.
   */
  readonly claimed?: boolean;
}

/**
 * What the core answers. `card` null means plain text. `mode: 'replace'` updates the card whose button was
 * clicked (Teams invoke response, Slack chat.update); 'new' posts a new message in the same place.
 */
export interface Reply {
  readonly text: string;
  readonly card: AdaptiveCard | null;
  readonly mode: 'new' | 'replace';
  /**
   * A person or group to notify (an on-call mention in an aging handoff's thread): the platform id and the
   * name that stands in `text`. Adapters render it as a real mention; it never comes from user text.
   */
  readonly mention?: { readonly id: string; readonly name: string };
  /**
   * Only the person whose click or message this answers sees it (a refusal, a confirmation): Slack sends it
   * ephemerally, a Teams invoke answers it to the clicker alone. Absent: everyone in the conversation sees it.
   */
  readonly ephemeral?: boolean;
}

export interface PostedMessage {
  /** Opaque, adapter-built id of the posted message; also the thread id for replies. */
  readonly messageId: string;
}

/**
 * Proactive messages (alerts, relayed replies): post, update in place, reply in thread. Implementations pace
 * themselves within the platform's limits and fail with ChatDeliveryError (bot/errors.ts) so callers can
 * tell "retry later" from "this channel is gone".
 */
/** What a send does, for pacing: a new message (a post or a thread reply), or an edit of one. */
export type SendKind = 'post' | 'update';

export interface ChatPort {
  /**
   * Milliseconds until a message of this kind may be sent to the conversation (0: now); records nothing.
   * Each port owns the only pacer for its platform's limits (and Retry-After blocks), so callers ask here
   * instead of keeping a platform's windows themselves; the send itself still waits its turn if needed.
   */
  delayFor(conversation: ConversationRef, kind?: SendKind): number;
  post(conversation: ConversationRef, message: Reply): Promise<PostedMessage>;
  update(conversation: ConversationRef, messageId: string, message: Reply): Promise<void>;
  reply(conversation: ConversationRef, threadMessageId: string, message: Reply): Promise<PostedMessage>;
  /**
   * A direct-message conversation with a user of a workspace (reminders to an on-call person, notes to the
   * SDM), or null when the platform cannot open one.
   */
  directConversation?(workspaceId: string, userId: string): Promise<ConversationRef | null>;
  /**
   * Who can read a conversation now (a channel may have been shared with other organisations since it was
   * bound); absent where the platform's conversations cannot span organisations or cannot be asked.
   */
  audience?(conversation: ConversationRef): Promise<AudienceFacts>;
}

// ---- Cross-cutting -------------------------------------------------------------------------------------

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The logging surface the core uses (pino satisfies it). Never pass secrets; config redacts them anyway. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
