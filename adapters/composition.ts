import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { createBot } from '../bot/bot.js';
import { loadCustomersFile } from '../bot/config/customers-file.js';
import { demoDirectory } from '../bot/config/demo-customers.js';
import type { AppConfig } from '../bot/config/env.js';
import type { Directory } from '../bot/domain/customer.js';
import type { Clock, IncidentSource, Logger, SimulationControl, Store } from '../bot/ports.js';
import { systemClock } from '../bot/ports.js';
import { createIncidentSync, type IncidentSync } from '../bot/sync/incident-sync.js';
import { createAlertPipeline } from './alert-pipeline.js';
import { createAskExperts } from './ask-experts.js';
import { createGuidedResponse } from './guided-response.js';
import { createHttpApp } from './http/app.js';
import { HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from './http/inbound-limits.js';
import { createMetrics } from './http/metrics.js';
import { createPlatforms } from './platforms.js';
import { createSdmWiring, type SdmWiring } from './sdm-wiring.js';
import { createSource } from './sources.js';
import { openStore } from './stores.js';
import { createUserCheckWiring, type UserCheckWiring } from './user-check-wiring.js';
import { createConsoleChat } from './web/console-chat.js';
import { restoreConsoleQueue } from './web/console-queue-restore.js';
import { createConsoleRouter } from './web/console-router.js';

// The composition root: the only place that wires adapters to the core, so the core stays free of platforms.

export interface RunningBot {
  readonly url: string;
  readonly server: Server;
  readonly store: Store;
  readonly source: IncidentSource;
  readonly simulation: SimulationControl | null;
  readonly sync: IncidentSync;
  readonly directory: Directory;
  /** The SDM feature (reports, check-ins, SDM contact): tests run its reminders by hand. */
  readonly sdm: SdmWiring;
  /** "Was this you?": tests run its reminder pass by hand on their clock. */
  readonly userChecks: UserCheckWiring;
  /** Stops taking requests, lets in-flight turns finish, stops the loops and closes the store. */
  close(): Promise<void>;
}

export interface ComposeOptions {
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Tests drive the simulation and the poller by hand. */
  readonly autoStart?: boolean;
}

/** The SQLite file inside DATA_DIR. */
export const databaseFile = (config: Readonly<AppConfig>): string =>
  join(config.DATA_DIR, 'defender-experts-bot.sqlite');

/** Builds every part from the config and starts listening; rejects with ConfigError/StoreCorruptError. */
export async function startBot(config: Readonly<AppConfig>, options: ComposeOptions): Promise<RunningBot> {
  const clock = options.clock ?? systemClock;
  const { logger } = options;
  if (config.devConsoleWarning !== null) logger.warn({ devConsole: 'on' }, config.devConsoleWarning);
  const directory = config.TENANTS_FILE
    ? loadCustomersFile(config.TENANTS_FILE)
    : demoDirectory({ teamsPlayground: config.TEAMS_PLAYGROUND });
  const opened = await openStore(config, { logger, clock, sqliteFile: databaseFile(config) });
  const { store, leadership } = opened;
  const metrics = createMetrics();
  const composed = createSource(config, { directory, clock, logger, registry: metrics.registry });
  const { source, simulation } = composed;
  const guided = createGuidedResponse(config, { opened, source, simulation, directory, clock, logger });
  const response = guided.service ?? undefined;
  const asking = createAskExperts(config, {
    opened,
    store,
    directory,
    clock,
    logger,
    console: config.devConsole,
  });
  const sdm = createSdmWiring(config, {
    opened,
    store,
    directory,
    clock,
    logger,
    relay: asking.relay,
    ...(asking.questions ? { questions: asking.questions.store } : {}),
    ...(composed.graphClient ? { graphClient: composed.graphClient } : {}),
  });
  const userChecks = createUserCheckWiring({
    opened,
    store,
    source,
    simulation,
    directory,
    clock,
    logger,
    ...(composed.graphClient ? { graphClient: composed.graphClient } : {}),
  });
  const bot = createBot({
    store,
    source,
    directory,
    clock,
    logger,
    observer: metrics,
    response,
    ...(asking.relay ? { relay: asking.relay } : {}),
    ...(asking.questions ? { questions: asking.questions } : {}),
    ...(sdm.deps ? { sdm: sdm.deps } : {}),
    userChecks: userChecks.service,
  });
  const platforms = createPlatforms(config, { bot, directory, store, clock, logger });
  const consoleChat = config.devConsole ? createConsoleChat({ clock }) : null;
  asking.attach((platform) => (platform === 'web' ? (consoleChat ?? undefined) : platforms.chat[platform]));
  sdm.attach((platform) => (platform === 'web' ? (consoleChat ?? undefined) : platforms.chat[platform]));
  userChecks.attach({
    chatFor: (platform) => (platform === 'web' ? (consoleChat ?? undefined) : platforms.chat[platform]),
    ...(platforms.userReach.slack ? { slackReach: platforms.userReach.slack } : {}),
    console: consoleChat !== null,
    ...(asking.relay ? { relay: asking.relay } : {}),
    queue: asking.questions?.queue ?? null,
  });
  const alerts = createAlertPipeline({
    store,
    directory,
    clock,
    logger,
    observer: metrics,
    reminders: { agesMs: config.ALERT_REMINDER_HOURS.map((h) => h * 3_600_000) },
    chatFor: (platform) => (platform === 'web' ? (consoleChat ?? undefined) : platforms.chat[platform]),
    ...(response ? { present: async (incident) => (await response.present(incident)).incident } : {}),
    reachSdm: (customer, prefer) => sdm.reach(customer, prefer),
  });
  const sync = createIncidentSync({
    store,
    source,
    directory,
    logger,
    planFor: alerts.planFor,
    onChanges: async (customer, changes) => {
      alerts.dispatcher.notify();
      // Lifecycle times for reports (handoff, resolution): Graph's incident does not carry them.
      await sdm
        .onChanges(customer, changes)
        .catch((error: unknown) =>
          logger.warn({ err: error, customer: customer.id }, 'lifecycle not recorded'),
        );
    },
    leadership,
  });
  // A guided-response decision reaches every copy of the card: its comment comes back with the next sync of
  // that customer (done now), and the dispatcher redraws the alert posts with the bot's records laid over.
  guided.onChanged(async (customerId) => {
    await sync.syncCustomer(customerId);
    alerts.dispatcher.notify();
  });
  const listening: { port: number | null } = { port: null };
  const consoleRouter =
    consoleChat === null
      ? null
      : createConsoleRouter({
          bot,
          directory,
          store,
          simulation,
          sync,
          clock,
          logger,
          chat: consoleChat,
          port: () => listening.port,
        });
  // Readiness waits for the first full sync pass (see the listen below).
  const startup = { done: false };
  const app = createHttpApp({
    starting: () => (startup.done ? null : 'first incident sync'),
    config,
    store,
    source,
    metrics,
    logger,
    console: consoleRouter,
    platforms,
    reports: sdm.router,
  });

  if (consoleChat !== null && simulation !== null) await alerts.ensureConsoleBindings();
  if (consoleChat !== null && asking.relay !== undefined && asking.questions !== undefined)
    await restoreConsoleQueue({
      relay: asking.relay,
      questions: asking.questions.store,
      store,
      directory,
      clock,
    });
  // A crash leaves leases on the rows it was delivering; free them so they go out now, not in two minutes.
  const recovered = await store.recoverOutbox();
  if (recovered > 0) logger.info({ rows: recovered }, 'alert deliveries interrupted by a stop resumed');
  await composed.prepare?.();
  // Listen before the first full sync (long with many customers or a slow source): /healthz answers at
  // once, /readyz says "starting" until the pass below is done, so probes neither kill nor route too early.
  const server = await new Promise<Server>((resolve, reject) => {
    // Node waits 300 s for a request by default: a slow sender would hold a connection that long.
    const s = createServer(
      {
        headersTimeout: HEADERS_TIMEOUT_MS,
        requestTimeout: REQUEST_TIMEOUT_MS,
        connectionsCheckingInterval: 1_000,
      },
      app,
    );
    s.listen(config.PORT, config.HOST, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.PORT;
  listening.port = port;
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  sdm.setLocalBase(`http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`);
  try {
    await sync.syncAll();
    const autoStart = options.autoStart ?? true;
    if (autoStart) {
      sync.start(config.POLL_INTERVAL_SECONDS * 1000);
      composed.start();
      alerts.dispatcher.start(1_000);
      guided.start(config.RESPONSE_POLL_SECONDS * 1000);
      sdm.start(3_600_000);
      // "Was this you?" reminders are due an hour after asking: looked at every minute, not every hour.
      userChecks.start(60_000);
    }
    // The relay runs whatever autoStart says: it only acts on what people send, and tests drive it over HTTP.
    asking.start(500);
    await platforms.start();
  } catch (error) {
    server.close();
    server.closeAllConnections();
    throw error;
  }
  startup.done = true;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Poller locks first: another replica takes these customers over now, not after the drain below
      // (a pass still in flight here finds its fence stale and writes nothing).
      await leadership?.close();
      await platforms.stop();
      await composed.stop();
      await sync.stop();
      await guided.stop();
      await alerts.dispatcher.stop();
      await asking.stop();
      await sdm.stop();
      await userChecks.stop();
      await closed;
      await store.close();
    })();
    return closing;
  };
  return {
    url: `http://${host}:${port}`,
    server,
    store,
    source,
    simulation,
    sync,
    directory,
    sdm,
    userChecks,
    close,
  };
}
