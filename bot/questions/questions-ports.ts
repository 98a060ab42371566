import type { Question, QuestionState } from '../domain/question.js';

// The questions' storage port (not part of the core Store). Every read a customer can trigger is scoped by
// customer; only the experts' queue reads across customers, and it returns one request's own fields only.

/** A quarterly allocation in force: at most `limit` questions created in [from, to). */
export interface Allocation {
  readonly limit: number;
  readonly from: string;
  readonly to: string;
}

export type CreateResult =
  /** `existing`: the same request was created within the resend window; that one is returned, none added. */
  | { readonly ok: true; readonly question: Question; readonly existing?: boolean }
  | { readonly ok: false; readonly used: number; readonly limit: number };

/** Recognises the same request sent again: the sender and content fingerprint, within a window. */
export interface ResendKey {
  readonly key: string;
  /** ISO time: questions created before it do not count (an old request asked again is a new one). */
  readonly since: string;
}

/** A state change: applied only when the question is in one of `from` (compare-and-set). */
export interface Transition {
  readonly from: readonly QuestionState[];
  readonly patch: Partial<
    Pick<
      Question,
      | 'state'
      | 'claimedBy'
      | 'claimedByName'
      | 'firstResponseAt'
      | 'resolvedAt'
      | 'resolvedBy'
      | 'reopenCount'
      | 'lastActivityAt'
    >
  >;
}

export interface QuestionsStore {
  /**
   * Saves a new question, counting the allocation in the same transaction (refused when used up). With
   * `resend`, a question of the customer created under the same key since `since` is returned instead
   * (checked first, in the same transaction): a double click, or the retry of a turn that failed after
   * creating it, finds the one request and can finish delivering it.
   */
  create(question: Question, allocation: Allocation | null, resend?: ResendKey): Promise<CreateResult>;
  get(customerId: string, id: string): Promise<Question | null>;
  /** For the provider's experts, who work across customers one request at a time. */
  getForProvider(id: string): Promise<Question | null>;
  /** Applies the transition if the state allows it; returns the question after, or null if not applied. */
  transition(customerId: string, id: string, t: Transition): Promise<Question | null>;
  /** The asker's questions, newest first. */
  listByAsker(customerId: string, askerId: string, limit: number): Promise<readonly Question[]>;
  /** Across customers, oldest first: what the experts have to do. */
  listQueue(states: readonly QuestionState[], limit: number, offset?: number): Promise<readonly Question[]>;
  /** How many questions are in these states, across customers (the queue's real size). */
  countQueue(states: readonly QuestionState[]): Promise<number>;
  /** Questions of the customer created in [from, to): the allocation in use. */
  countCreated(customerId: string, from: string, to: string): Promise<number>;
  /** Deletes questions whose last activity is before `cutoff` (ISO). Returns how many. */
  purgeBefore(cutoff: string): Promise<number>;
}
