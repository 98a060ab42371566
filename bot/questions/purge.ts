import type { RelayStore } from '../relay/relay-ports.js';
import { DEFAULT_RETENTION_DAYS } from './desk.js';
import type { QuestionsStore } from './questions-ports.js';

// Request history is kept six months, then purged: questions and relay pairs (with their queue
// and copies) whose last activity is older than the retention. The clock is the caller's, so tests move it.

export interface PurgeDeps {
  readonly questions: QuestionsStore;
  readonly relay: RelayStore;
  readonly retentionDays?: number;
}

/** Deletes history older than the retention as of `now`; returns how many questions and pairs went. */
export async function purgeHistory(
  deps: PurgeDeps,
  now: Date,
): Promise<{ readonly questions: number; readonly pairs: number; readonly cutoff: string }> {
  const days = deps.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
  return {
    questions: await deps.questions.purgeBefore(cutoff),
    pairs: await deps.relay.purgeInactive(cutoff),
    cutoff,
  };
}
