import type { Dispatcher } from '../../bot/alerts/dispatcher.js';
import { type AlertObserver, createDispatcher } from '../../bot/alerts/dispatcher.js';
import { DEFAULT_RULES } from '../../bot/alerts/events.js';
import { planAlerts } from '../../bot/alerts/planner.js';
import type { ReminderPlan } from '../../bot/alerts/reminders.js';
import type { Platform } from '../../bot/domain/actor.js';
import type { ConversationRef } from '../../bot/domain/conversation.js';
import type { Customer, Directory } from '../../bot/domain/customer.js';
import type { Incident } from '../../bot/domain/incident.js';
import type { ChatPort, Clock, Logger, OutboxPlanner, Store } from '../../bot/ports.js';
import { consoleAlertsConversation } from '../web/console-chat.js';

// Wires the alert pipeline for the composition root: the planner that runs inside each sync's
// transaction, the dispatcher over the platforms' chat ports, and the dev console's demo bindings.

export interface AlertPipelineDeps {
  readonly store: Store;
  readonly directory: Directory;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly chatFor: (platform: Platform) => ChatPort | undefined;
  readonly reminders: ReminderPlan;
  readonly observer?: AlertObserver;
  /** The bot's records (guided response, "Was this you?") laid over the incident before its card is drawn. */
  readonly present?: (incident: Incident) => Promise<Incident>;
  /** The SDM's direct conversation in the provider's workspaces (the 24-hour note about a handoff). */
  readonly reachSdm?: (customer: Customer, prefer: Platform) => Promise<ConversationRef | null>;
}

export interface AlertPipeline {
  readonly dispatcher: Dispatcher;
  /** For incident-sync: loads the customer's bindings and plans their outbox rows. */
  planFor(customer: Customer): Promise<OutboxPlanner>;
  /** Binds each customer's console "alerts channel" so the demo shows alerts with no setup. */
  ensureConsoleBindings(): Promise<void>;
}

/** Builds the pipeline; the caller starts and stops the dispatcher. */
export function createAlertPipeline(deps: AlertPipelineDeps): AlertPipeline {
  const dispatcher = createDispatcher(deps);
  return {
    dispatcher,
    async planFor(customer) {
      return planAlerts(await deps.store.listBindings(customer.id), deps.clock.now().getTime());
    },
    async ensureConsoleBindings() {
      for (const customer of deps.directory.customers) {
        const conversation = consoleAlertsConversation(customer.id);
        const existing = await deps.store.listBindings(customer.id);
        if (existing.some((b) => b.conversation.id === conversation.id)) continue;
        await deps.store.saveBinding({
          id: `console-${customer.id}`,
          customerId: customer.id,
          conversation,
          events: DEFAULT_RULES,
          onCall: null,
          createdBy: 'system:dev-console',
          createdAt: deps.clock.now().toISOString(),
          paused: false,
        });
      }
    },
  };
}
