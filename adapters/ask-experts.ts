import type { AppConfig } from '../bot/config/env.js';
import type { Platform } from '../bot/domain/actor.js';
import type { ConversationRef } from '../bot/domain/conversation.js';
import type { Directory } from '../bot/domain/customer.js';
import type { ChatPort, Clock, Logger, Store } from '../bot/ports.js';
import { DEFAULT_RETENTION_DAYS, type QuestionDesk } from '../bot/questions/desk.js';
import type { QuestionsStore } from '../bot/questions/ports.js';
import { purgeHistory } from '../bot/questions/purge.js';
import { registerQuestionHooks } from '../bot/questions/service.js';
import type { RelayStore } from '../bot/relay/ports.js';
import { createRelay, type Relay } from '../bot/relay/relay.js';
import { createRelayWorker, type RelayWorker } from '../bot/relay/relay-worker.js';
import { conversationRef } from './slack/conversation-ids.js';
import { slackSettings } from './slack/slack-settings.js';
import type { OpenedStore } from './stores.js';
import { encodeConversationId } from './teams/conversation-id.js';
import { teamsConfigured } from './teams/index.js';
import { consoleExpertsQueue } from './web/console-chat.js';

// Wires Ask Defender Experts and the relay for the composition root: their stores beside the core
// store, the experts' queue (Teams channel, else Slack channel, else the dev console's queue), the relay
// worker over the platforms' chat ports (late-bound: platforms are built after the bot), and the purge.

export interface AskExpertsWiring {
  readonly relay: Relay | undefined;
  readonly questions: QuestionDesk | undefined;
  /** Points the worker at the chat ports once the platforms exist. */
  attach(chatFor: (platform: Platform) => ChatPort | undefined): void;
  /** Deletes history older than the retention (six months) as of `now`; returns questions and pairs purged. */
  purge(now: Date): Promise<{ readonly questions: number; readonly pairs: number }>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

export interface AskExpertsDeps {
  readonly opened: OpenedStore;
  readonly store: Store;
  readonly directory: Directory;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly console: boolean;
}

/** The experts' queue conversation: the customers file's `experts` on a configured platform, or the console. */
export function expertsQueueFor(
  config: Readonly<AppConfig>,
  directory: Directory,
  consoleEnabled: boolean,
): ConversationRef | null {
  const e = directory.experts;
  if (teamsConfigured(config) && e.teamsChannelId && e.teamsServiceUrl && e.teamsTenantId) {
    const id = encodeConversationId({
      tenantId: e.teamsTenantId,
      conversationId: e.teamsChannelId,
      serviceUrl: e.teamsServiceUrl,
    });
    return { platform: 'teams', id, threadId: null, kind: 'channel' };
  }
  if (slackSettings(config) !== null && e.slackTeamId && e.slackChannelId)
    return conversationRef(e.slackTeamId, e.slackChannelId, null, 'channel');
  return consoleEnabled ? consoleExpertsQueue : null;
}

const PURGE_EVERY_MS = 3_600_000;

/** Builds the relay and the questions desk on the store in use (SQLite, or PostgreSQL's feature stores). */
export function createAskExperts(config: Readonly<AppConfig>, deps: AskExpertsDeps): AskExpertsWiring {
  const { logger, clock } = deps;
  const relayStore: RelayStore | null = deps.opened.features.relay;
  const questionsStore: QuestionsStore | null = deps.opened.features.questions;
  let chatFor: (platform: Platform) => ChatPort | undefined = () => undefined;
  if (relayStore === null || questionsStore === null) {
    return {
      relay: undefined,
      questions: undefined,
      attach: () => undefined,
      purge: async () => ({ questions: 0, pairs: 0 }),
      start: () => undefined,
      stop: async () => undefined,
    };
  }
  const worker: RelayWorker = createRelayWorker({
    store: relayStore,
    chatFor: (p) => chatFor(p),
    directory: deps.directory,
    clock,
    logger,
  });
  const relay = createRelay({
    store: relayStore,
    clock,
    logger,
    wake: () => worker.notify(),
    settleMs: config.RELAY_SETTLE_MS,
  });
  const queue = expertsQueueFor(config, deps.directory, deps.console);
  if (queue === null)
    logger.warn({}, 'no experts queue reachable: Ask Defender Experts answers "not available"');
  const questions: QuestionDesk = { store: questionsStore, queue, retentionDays: DEFAULT_RETENTION_DAYS };
  registerQuestionHooks({
    relay,
    questions: questionsStore,
    store: deps.store,
    directory: deps.directory,
    clock,
    logger,
  });
  const qs = questionsStore;
  const rs = relayStore;
  let timer: NodeJS.Timeout | null = null;

  async function purge(now: Date) {
    const purged = await purgeHistory({ questions: qs, relay: rs }, now);
    if (purged.questions + purged.pairs > 0) logger.info(purged, 'request history past retention purged');
    return { questions: purged.questions, pairs: purged.pairs };
  }

  return {
    relay,
    questions,
    attach(fn) {
      chatFor = fn;
    },
    purge,
    start(intervalMs) {
      void rs.recover().then((n) => {
        if (n > 0) logger.info({ items: n }, 'relay deliveries interrupted by a stop resumed');
        worker.start(intervalMs);
      });
      const run = () =>
        void purge(clock.now()).catch((error: unknown) => logger.warn({ err: error }, 'purge failed'));
      run();
      timer = setInterval(run, PURGE_EVERY_MS);
    },
    async stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      await worker.stop();
    },
  };
}
