import { randomUUID } from 'node:crypto';
import type { Directory } from '../../bot/domain/customer.js';
import { WAITING_STATES } from '../../bot/domain/question.js';
import type { Clock, Store } from '../../bot/ports.js';
import type { QuestionsStore } from '../../bot/questions/questions-ports.js';
import type { Relay } from '../../bot/relay/relay.js';
import { cardReply } from '../../bot/replies.js';
import { questionQueueCard } from '../../cards/index.js';

// The console keeps its feeds in memory, so after a restart the experts' queue pane would be empty while
// requests are still open in the store. Each waiting request's queue card is posted again at start-up; the
// relay makes the new card the request's queue thread (its old thread is gone), so replies work as before.
// Only for pairs whose provider side is the console: a real platform keeps its messages across restarts.

const PAGE = 100;

export interface ConsoleQueueRestoreDeps {
  readonly relay: Relay;
  readonly questions: QuestionsStore;
  readonly store: Store;
  readonly directory: Directory;
  readonly clock: Clock;
}

/** Queues the cards; returns how many requests were re-shown. */
export async function restoreConsoleQueue(deps: ConsoleQueueRestoreDeps): Promise<number> {
  const boot = randomUUID();
  const states = [...WAITING_STATES, 'answered'] as const;
  let shown = 0;
  for (let offset = 0; ; offset += PAGE) {
    const page = await deps.questions.listQueue(states, PAGE, offset);
    for (const q of page) {
      const pair = await deps.relay.findPair('question', q.customerId, q.id);
      // A pair whose card was never posted still has its root item queued: that one shows it.
      if (pair === null || pair.provider.conversation.platform !== 'web' || pair.provider.threadId === null)
        continue;
      const incident =
        q.incidentId === null ? null : await deps.store.getIncident(q.customerId, q.incidentId);
      const customerName = deps.directory.customers.find((c) => c.id === q.customerId)?.name ?? q.customerId;
      const card = questionQueueCard({ question: q, customerName, incident, now: deps.clock.now() });
      if (await deps.relay.say(pair.id, 'provider', cardReply(card), `console-restart:${boot}:${q.id}`))
        shown += 1;
    }
    if (page.length < PAGE) return shown;
  }
}
