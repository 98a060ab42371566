import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { createBot } from '../../bot/bot.js';
import { loadCustomersFile } from '../../bot/config/customers-file.js';
import { demoDirectory } from '../../bot/config/demo-customers.js';
import type { AppConfig } from '../../bot/config/env.js';
import type { Directory } from '../../bot/domain/customer.js';
import type { Clock, IncidentSource, Logger, SimulationControl, Store } from '../../bot/ports.js';
import { systemClock } from '../../bot/ports.js';
import { createIncidentSync, type IncidentSync } from '../../bot/sync/incident-sync.js';
import { createHttpApp } from '../http/app.js';
import { HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from '../http/inbound-limits.js';
import { createMetrics } from '../http/metrics.js';
import { createConsoleChat } from '../web/console-chat.js';
import { restoreConsoleQueue } from '../web/console-queue-restore.js';
import { createConsoleRouter } from '../web/console-router.js';
import { createAlertPipeline } from './alert-pipeline.js';
import { createAskExperts } from './ask-experts-wiring.js';
import { createGuidedResponse } from './guided-response-wiring.js';
import { createLifecycle, type Lifecycle, type Service } from './lifecycle.js';
import { chatPorts, createPlatforms } from './platforms.js';
import { createSdmWiring, type SdmWiring } from './sdm-wiring.js';
import { createSource } from './sources.js';
import { type OpenedStore, openStore } from './stores.js';
import { createUserCheckWiring, type UserCheckWiring } from './user-check-wiring.js';

// The composition root: the only place that wires adapters to the core, so the core stays free of platforms.
// Read top to bottom: the store, the incident source, the chat ports, the features that post through them,
// the bot, the HTTP app; then one lifecycle starts the services in that order and stops them in reverse.

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
  const autoStart = options.autoStart ?? true;
  if (config.devConsoleWarning !== null) logger.warn({ devConsole: 'on' }, config.devConsoleWarning);
  const directory = config.TENANTS_FILE
    ? loadCustomersFile(config.TENANTS_FILE)
    : demoDirectory({ teamsPlayground: config.TEAMS_PLAYGROUND });
  const opened = await openStore(config, { logger, clock, sqliteFile: databaseFile(config) });
  const { store, leadership } = opened;
  const life = createLifecycle(logger);
  life.adopt({ name: 'store', stop: () => store.close() });
  try {
    return await compose(config, { ...options, clock, autoStart }, { directory, opened, life });
  } catch (error) {
    await life.stopAll();
    throw error;
  }

  async function compose(
    config: Readonly<AppConfig>,
    options: ComposeOptions & { readonly clock: Clock; readonly autoStart: boolean },
    parts: { directory: Directory; opened: OpenedStore; life: Lifecycle },
  ): Promise<RunningBot> {
    const { clock, logger } = options;
    const { directory, opened, life } = parts;
    const metrics = createMetrics();
    const composed = createSource(config, { directory, clock, logger, registry: metrics.registry });
    const { source, simulation } = composed;

    // Chat ports first: alerts, the relay and the SDM feature post through them.
    const platforms = await createPlatforms(config, {
      directory,
      store,
      clock,
      logger,
      registry: metrics.registry,
    });
    const consoleChat = config.devConsole ? createConsoleChat({ clock }) : null;
    const chatFor = chatPorts(platforms, consoleChat);
    const listening: { port: number | null; base: string | null } = { port: null, base: null };

    const guided = createGuidedResponse(config, { opened, source, simulation, directory, clock, logger });
    const response = guided.service ?? undefined;
    const asking = createAskExperts(config, {
      opened,
      store,
      directory,
      clock,
      logger,
      console: config.devConsole,
      chatFor,
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
      chatFor,
      localBase: () => listening.base,
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
      chatFor,
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
      chatFor,
      // The bot's records laid over the incident: guided-response decisions, then "Was this you?" answers.
      present: async (incident) =>
        userChecks.present(response ? (await response.present(incident)).incident : incident),
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
    // A guided-response decision reaches every copy of the card: its comment comes back with the next sync
    // of that customer (done now), and the dispatcher redraws the alert posts with the bot's records laid over.
    // A "Was this you?" question asked or answered queues a redraw of the incident's alert posts.
    userChecks.onAlertsQueued(() => alerts.dispatcher.notify());
    guided.onChanged(async (customerId) => {
      await sync.syncCustomer(customerId);
      alerts.dispatcher.notify();
    });

    // The bot, then the ways in: the platforms' endpoints, the console, the HTTP app.
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
    platforms.bind(bot);
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
    // Readiness waits for the first full sync pass (the "first sync" service below).
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
    // Node waits 300 s for a request by default: a slow sender would hold a connection that long.
    const server = createServer(
      {
        headersTimeout: HEADERS_TIMEOUT_MS,
        requestTimeout: REQUEST_TIMEOUT_MS,
        connectionsCheckingInterval: 1_000,
      },
      app,
    );
    let closed: Promise<void> | null = null;
    const closeServer = (): Promise<void> => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      return closed;
    };
    const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;

    life.add({
      name: 'recovery',
      async start() {
        if (consoleChat !== null && simulation !== null) await alerts.ensureConsoleBindings();
        if (consoleChat !== null && asking.relay !== undefined && asking.questions !== undefined)
          await restoreConsoleQueue({
            relay: asking.relay,
            questions: asking.questions.store,
            store,
            directory,
            clock,
          });
        // A crash leaves leases on the rows it was delivering; free them so they go out now, not later.
        const recovered = await store.recoverOutbox();
        if (recovered > 0) logger.info({ rows: recovered }, 'alert deliveries interrupted by a stop resumed');
        await composed.prepare?.();
      },
    });
    // Listen before the first full sync (long with many customers or a slow source): /healthz answers at
    // once, /readyz says "starting" until that pass is done, so probes neither kill nor route too early.
    life.add({
      name: 'http',
      start: () =>
        new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(config.PORT, config.HOST, () => {
            const address = server.address();
            listening.port = typeof address === 'object' && address !== null ? address.port : config.PORT;
            const local = host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host;
            listening.base = `http://${local}:${listening.port}`;
            resolve();
          });
        }),
      // Waits for in-flight turns to finish: the services after this one have stopped by then.
      stop: closeServer,
    });
    life.add({ name: 'first sync', start: () => sync.syncAll() });
    // Up before the loops that send through them (alerts, relay, reminders) and down only after those have
    // stopped, so their first and last passes find the chat ports working ('platform intake' stops early).
    life.add({ name: 'platforms', start: () => platforms.start(), stop: () => platforms.stop() });
    // The relay runs whatever autoStart says: it only acts on what people send, and tests drive it over HTTP.
    const loops = autoStartOnly(options.autoStart);
    life.add(loops({ name: 'sdm reminders', start: () => sdm.start(3_600_000), stop: () => sdm.stop() }));
    // "Was this you?" reminders are due an hour after asking: looked at every minute, not every hour.
    life.add(
      loops({ name: 'user checks', start: () => userChecks.start(60_000), stop: () => userChecks.stop() }),
    );
    life.add({ name: 'relay', start: () => asking.start(500), stop: () => asking.stop() });
    life.add(
      loops({
        name: 'alert dispatcher',
        start: () => alerts.dispatcher.start(1_000),
        stop: () => alerts.dispatcher.stop(),
      }),
    );
    life.add(
      loops({
        name: 'guided response',
        start: () => guided.start(config.RESPONSE_POLL_SECONDS * 1000),
        stop: () => guided.stop(),
      }),
    );
    life.add(
      loops({
        name: 'incident sync',
        start: () => sync.start(config.POLL_INTERVAL_SECONDS * 1000),
        stop: () => sync.stop(),
      }),
    );
    life.add(loops({ name: 'incident source', start: () => composed.start(), stop: () => composed.stop() }));
    // Requests already acknowledged (Slack's after-ack work) finish while the loops they feed still run.
    life.add({ name: 'platform intake', stop: () => platforms.stopIntake() });
    // Stopped first of all: poller locks go now, so another replica takes these customers over at once (a
    // pass still in flight finds its fence stale and writes nothing), and no new request is taken.
    life.add({ name: 'poller leadership', stop: () => leadership?.close() });
    life.add({ name: 'intake', stop: () => void closeServer() });
    await life.startAll();
    startup.done = true;

    return {
      url: `http://${host}:${listening.port ?? config.PORT}`,
      server,
      store,
      source,
      simulation,
      sync,
      directory,
      sdm,
      userChecks,
      close: () => life.stopAll(),
    };
  }
}

/**
 * Loops a test drives by hand (autoStart false) are not started; their stop still runs (a stop of
 * something never started is a no-op in each of them).
 */
const autoStartOnly =
  (autoStart: boolean) =>
  (service: Service): Service =>
    autoStart ? service : { ...service, start: () => undefined };
