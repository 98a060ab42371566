import type { ConversationRef } from '../domain/conversation.js';
import type { Customer } from '../domain/customer.js';
import type { UserCheck, UserCheckAnswer } from '../domain/user-check.js';

// "Was this you?" ports: where the questions are kept (UserCheckStore: its own table, on SQLite and
// PostgreSQL, held to one contract) and how the affected person is found on the customer's platform
// (AffectedUserReach: Teams through Graph and the Bot Connector, Slack through users.lookupByEmail, the console).

/** A new question, before it was sent. */
export type UserCheckDraft = Omit<
  UserCheck,
  | 'state'
  | 'answer'
  | 'note'
  | 'answeredAt'
  | 'reason'
  | 'remindedAt'
  | 'escalatedAt'
  | 'comment'
  | 'commentAttempts'
  | 'dmMessageId'
>;

/**
 * Durable questions. Every read is scoped by customer except the background passes'; every transition is a
 * compare-and-set on the state, so a double click, a second instance or a retried turn applies it once.
 */
export interface UserCheckStore {
  /**
   * Saves a question as 'asked', unless one is already open for (customer, incident, user): then that one is
   * returned with created false (two presses of "Ask the user" ask once).
   */
  create(draft: UserCheckDraft): Promise<{ readonly check: UserCheck; readonly created: boolean }>;
  get(customerId: string, id: string): Promise<UserCheck | null>;
  /** Open questions about one incident (for the card and for "already asked"). */
  listForIncident(customerId: string, incidentId: string): Promise<readonly UserCheck[]>;
  /** Records the sent direct message; null when the question is no longer open. */
  setSent(customerId: string, id: string, messageId: string): Promise<UserCheck | null>;
  /** asked → unreachable with the reason; null when it was no longer asked. */
  setUnreachable(customerId: string, id: string, reason: string): Promise<UserCheck | null>;
  /** asked → answered, its comment pending; null when it was not asked any more (answered, withdrawn). */
  answer(
    customerId: string,
    id: string,
    answer: UserCheckAnswer,
    note: string | null,
    at: string,
  ): Promise<UserCheck | null>;
  /** asked → cancelled, naming who withdrew it; null when it was not asked any more. */
  cancel(customerId: string, id: string, by: string, at: string): Promise<UserCheck | null>;
  /**
   * Questions still asked, created before `before`, with a reminder stage left (not both reminded and
   * escalated), oldest first, every customer: the reminder pass. Fully reminded ones drop out, so old
   * unanswered questions never crowd out newer ones.
   */
  listAskedBefore(before: string, limit: number): Promise<readonly UserCheck[]>;
  /** Stamps a reminder stage once: true only for the caller that stamped it (no second reminder). */
  markStage(customerId: string, id: string, stage: 'reminded' | 'escalated', at: string): Promise<boolean>;
  /** Answers whose comment is still to be written, with fewer than `maxAttempts` tries, oldest first. */
  listUncommented(maxAttempts: number, limit: number): Promise<readonly UserCheck[]>;
  /** One attempt at the comment; `ok` stamps it written (a written comment is never unwritten). */
  markCommented(customerId: string, id: string, ok: boolean): Promise<void>;
}

/** Where the affected person was found: their platform id and the direct conversation with them. */
export type ReachResult =
  | { readonly kind: 'found'; readonly userId: string; readonly dm: ConversationRef }
  | { readonly kind: 'unreachable'; readonly reason: string };

/** What the service knows when it looks a person up. */
export interface ReachRequest {
  readonly customer: Customer;
  readonly upn: string;
  /** Entra object id from the evidence, when it carries one (Teams then needs no Graph lookup). */
  readonly objectId: string | null;
  /** The requester's own conversation (Teams: a service URL of the tenant may be taken from it). */
  readonly via: ConversationRef;
}

/** Finds the affected person on one platform and re-checks, at answer time, that a clicker is that person. */
export interface AffectedUserReach {
  find(request: ReachRequest): Promise<ReachResult>;
  /** True when platform user `userId` is still the person `upn` names in the customer's workspace. */
  confirm(customer: Customer, upn: string, userId: string): Promise<boolean>;
  /** A direct conversation with one of the customer's people (a responder told of a "No"); null: none. */
  dm(customer: Customer, userId: string, via: ConversationRef | null): Promise<ConversationRef | null>;
}
