import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulatedSource, type SimulatedSource } from '../../adapters/simulated/simulated-source.js';
import { createSqliteStore, type SqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { createDispatcher, type Dispatcher } from '../../bot/alerts/dispatcher.js';
import { type AlertRule, DEFAULT_RULES } from '../../bot/alerts/events.js';
import { planAlerts } from '../../bot/alerts/planner.js';
import { demoDirectory } from '../../bot/config/demo-customers.js';
import type { ChannelBinding, ConversationRef } from '../../bot/domain/conversation.js';
import type { Directory } from '../../bot/domain/customer.js';
import type { Incident } from '../../bot/domain/incident.js';
import type { Window } from '../../bot/pacing/windows.js';
import type { Logger, Store } from '../../bot/ports.js';
import { reachSdm } from '../../bot/sdm/reach.js';
import { createIncidentSync, type IncidentSync } from '../../bot/sync/incident-sync.js';
import { fixedClock } from './core-harness.js';
import { createRecordingChat, type RecordingChat } from './recording-chat.js';

// The alert pipeline over real parts: SQLite, the simulation driven step by step, the planner inside the
// sync transaction, the dispatcher, and a recording chat stand-in. Time is a fake clock that sleeps advance.

export interface AlertsHarness {
  readonly store: Store;
  /** The same SQLite database, for feature stores beside the core store. */
  readonly sqlite: SqliteStore;
  readonly sim: SimulatedSource;
  readonly sync: IncidentSync;
  readonly dispatcher: Dispatcher;
  readonly chat: RecordingChat;
  readonly clock: ReturnType<typeof fixedClock>;
  readonly directory: Directory;
  readonly warnings: string[];
  bind(
    id: string,
    conversation: ConversationRef,
    events?: readonly AlertRule[],
    onCall?: string | null,
  ): Promise<ChannelBinding>;
  /** Creates a Contoso incident and walks it to the handoff, syncing once; returns it. */
  handOffNew(customerId?: string): Promise<Incident>;
  /** Sync every customer, then run dispatch passes until nothing is due now. */
  settle(): Promise<void>;
  cleanup(): Promise<void>;
}

export const webChannel = (id: string): ConversationRef => ({
  platform: 'web',
  id,
  threadId: null,
  kind: 'channel',
});
export const slackChannel = (id: string): ConversationRef => ({
  platform: 'slack',
  id,
  threadId: null,
  kind: 'channel',
});

/**
 * Builds the harness; `windows` makes the chat stand-in enforce platform limits; `present` lays the bot's
 * records over an incident before its card is drawn (given the SQLite store, for feature stores on it).
 */
export async function createAlertsHarness(
  options: {
    windows?: readonly Window[];
    agesMs?: readonly number[];
    present?: (sqlite: SqliteStore) => Promise<(incident: Incident) => Promise<Incident>>;
  } = {},
): Promise<AlertsHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'deb-alerts-'));
  const warnings: string[] = [];
  const logger: Logger = {
    debug() {},
    info() {},
    warn: (_o, msg) => void warnings.push(msg ?? ''),
    error: (o, msg) => void warnings.push(`${msg ?? ''} ${JSON.stringify(o)}`),
  };
  const clock = fixedClock('2026-11-27T09:00:00.000Z');
  const directory = demoDirectory();
  const store = await createSqliteStore({ file: join(dir, 'alerts.sqlite'), logger, clock });
  const sim = createSimulatedSource({
    customers: directory.customers,
    seed: 11,
    clock,
    initialIncidentsPerCustomer: 8,
  });
  const chat = createRecordingChat(clock, options.windows ?? []);
  const present = options.present === undefined ? undefined : await options.present(store);
  const dispatcher = createDispatcher({
    ...(present === undefined ? {} : { present }),
    store,
    directory,
    clock,
    logger,
    chatFor: () => chat,
    // The SDM is the provider's person: reached in the provider's workspaces, as the composition wires it.
    reachSdm: (customer, prefer) =>
      reachSdm(customer, { teams: null, slack: 'T0EXPERTS', web: 'experts' }, () => chat, prefer),
    reminders: { agesMs: options.agesMs ?? [4 * 3_600_000, 24 * 3_600_000] },
    sleep: async (ms) => clock.advance(ms),
    random: () => 0.5,
  });
  const sync = createIncidentSync({
    store,
    source: sim,
    directory,
    logger,
    planFor: async (c) => planAlerts(await store.listBindings(c.id), clock.now().getTime()),
  });
  await sync.syncAll(); // the baseline
  clock.advance(1_000);

  return {
    store,
    sqlite: store,
    sim,
    sync,
    dispatcher,
    chat,
    clock,
    directory,
    warnings,
    async bind(id, conversation, events = DEFAULT_RULES, onCall = null) {
      const binding: ChannelBinding = {
        id,
        customerId: 'contoso',
        conversation,
        events,
        onCall,
        createdBy: 'web:contoso-admin',
        createdAt: clock.now().toISOString(),
        paused: false,
      };
      await store.saveBinding(binding);
      return binding;
    },
    async handOffNew(customerId = 'contoso') {
      clock.advance(1_000);
      const created = await sim.createIncident(customerId);
      await sim.startInvestigation(customerId, created.id, 'Defender Experts');
      await sim.classify(customerId, created.id, 'truePositive', 'malware', 'Loader from a phishing mail.');
      const handed = await sim.handOff(customerId, created.id);
      await sync.syncCustomer(customerId);
      return handed;
    },
    async settle() {
      await sync.syncAll();
      while ((await dispatcher.runOnce()) > 0) {
        /* until nothing is due now */
      }
    },
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
