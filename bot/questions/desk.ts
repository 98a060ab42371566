import type { ConversationRef } from '../domain/conversation.js';
import type { QuestionsStore } from './questions-ports.js';

// What the Ask Defender Experts flows need besides the relay: where questions are kept and where the
// experts' queue is (the composition root picks it from the customers file's `experts`, or the console).

export interface QuestionDesk {
  readonly store: QuestionsStore;
  /** The experts' queue conversation, or null when none is reachable (questions are then refused). */
  readonly queue: ConversationRef | null;
  /** How long request history is kept (default six months). */
  readonly retentionDays?: number;
}

/** Six months, as the service keeps request history. */
export const DEFAULT_RETENTION_DAYS = 183;
