import { App, type Authorize, ExpressReceiver, type InstallationStore } from '@slack/bolt';
import express, { type Router } from 'express';
import type { Registry } from 'prom-client';
import type { Bot } from '../../bot/bot.js';
import type { Directory } from '../../bot/domain/customer.js';
import type { ChatPort, Clock, Logger, Store } from '../../bot/ports.js';
import type { AffectedUserReach } from '../../bot/user-check/user-check-ports.js';
import { BOT_SCOPES, ROUTES } from './app-contract.js';
import { registerActionListeners } from './listeners/actions.js';
import { type AfterAckLimits, createAfterAckQueue } from './listeners/after-ack.js';
import type { ListenerDeps } from './listeners/common.js';
import { registerHomeListener } from './listeners/home.js';
import { registerLifecycleListeners } from './listeners/lifecycle.js';
import { registerMessageListeners } from './listeners/messages.js';
import type { Installed } from './listeners/slack-inbound.js';
import { registerSubmissionListeners } from './listeners/submissions.js';
import { registerUnfurlListener } from './listeners/unfurl.js';
import { createSlackAudience } from './slack-audience.js';
import { createSlackIdentity } from './slack-identity.js';
import type { SlackSettings } from './slack-settings.js';
import { createSlackUserReach } from './slack-user-reach.js';
import { storedParts } from './transport/continuation.js';
import { verifySlackSignature } from './transport/signature.js';
import { createSlackApi, type SlackApi } from './transport/slack-api.js';
import { createSlackChatPort } from './transport/slack-chat-port.js';
import {
  cachedInstallations,
  singleToken,
  storedTokens,
  storeInstallations,
} from './transport/slack-installations.js';
import { slackSdkLogger } from './transport/slack-logger.js';

// The Slack adapter, made by one factory: bolt's ExpressReceiver mounted on our express server at
// POST /slack/events behind our own signature check (or Socket Mode), the listeners that convert Slack
// requests into core turns, and the ChatPort for proactive messages. Nothing here decides business rules.

/** What the composition root mounts and starts. */
export interface SlackAdapterDeps {
  readonly directory: Directory;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The metrics registry (/metrics): requests shed when the work queue is full, its depth. */
  readonly registry?: Registry;
  /** Bounds of the work done after ack (defaults in listeners/after-ack.ts). */
  readonly afterAck?: Partial<AfterAckLimits>;
}

/** What the composition root mounts and starts. */
export interface SlackAdapter {
  /** Routes to mount before any body parser: events/commands/interactivity, and the OAuth routes. */
  readonly router: Router;
  readonly chat: ChatPort;
  /** Registers the listeners that hand requests to the bot (built after the chat ports); before start(). */
  bind(bot: Bot): void;
  /** "Was this you?": finds a customer's person by email and re-checks who answers. */
  readonly userReach: AffectedUserReach;
  /** Connects Socket Mode (HTTP needs nothing). */
  start(): Promise<void>;
  /** Disconnects and waits for work acknowledged but not finished; the chat port keeps working. */
  stopIntake(): Promise<void>;
  /** The same (Slack's Web API needs no closing): safe to call after stopIntake. */
  stop(): Promise<void>;
}

/** One bot token for every workspace: auth.test once (retried on the next request if it failed). */
function tokenAuthorize(api: SlackApi, token: string): Authorize<boolean> {
  let ids: Promise<{ botId?: string; botUserId?: string }> | null = null;
  return async () => {
    ids ??= api.call(token, 'auth.test', {}, { retryThrottled: true }).then(
      (r) => ({
        ...(typeof r.bot_id === 'string' ? { botId: r.bot_id } : {}),
        ...(typeof r.user_id === 'string' ? { botUserId: r.user_id } : {}),
      }),
      (error: unknown) => {
        ids = null;
        throw error;
      },
    );
    return { botToken: token, ...(await ids) };
  };
}

/** Builds the adapter for the given settings; throws nothing at runtime for Slack being unreachable. */
export function createSlackAdapter(settings: SlackSettings, deps: SlackAdapterDeps): SlackAdapter {
  const { logger, clock, store } = deps;
  const api = createSlackApi({ apiUrl: settings.apiUrl, clock, logger });
  const identity = createSlackIdentity({ api, directory: deps.directory, clock });
  const installations: InstallationStore | null =
    settings.auth.kind === 'oauth' ? cachedInstallations(storeInstallations(store), clock) : null;
  const tokens = settings.auth.kind === 'token' ? singleToken(settings.auth.botToken) : storedTokens(store);
  const audience = createSlackAudience({ api, clock, logger });
  const chat = createSlackChatPort({ api, tokens, logger, audience, parts: storedParts(store) });

  const afterAck = createAfterAckQueue({
    api,
    logger,
    ...(deps.registry === undefined ? {} : { registry: deps.registry }),
    ...(deps.afterAck === undefined ? {} : { limits: deps.afterAck }),
  });
  const dms = new Map<string, string>();
  const dmChannel = async (installed: Installed, user: string): Promise<string> => {
    const key = `${installed.installation}:${user}`;
    const known = dms.get(key);
    if (known !== undefined) return known;
    const opened = await api.call(
      installed.token,
      'conversations.open',
      { users: user },
      { retryThrottled: true },
    );
    const id = (opened.channel as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string') throw new Error('conversations.open returned no channel');
    if (dms.size > 10_000) dms.clear();
    dms.set(key, id);
    return id;
  };

  const sdkLogger = slackSdkLogger(logger, 'slack-bolt');
  const clientOptions = {
    slackApiUrl: settings.apiUrl,
    allowAbsoluteUrls: false,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    logger: sdkLogger,
  };
  const byToken = settings.auth.kind === 'token' ? tokenAuthorize(api, settings.auth.botToken) : null;
  const authorize = byToken === null ? {} : { authorize: byToken };
  const router = express.Router();
  let app: App;

  if (settings.transport.kind === 'http') {
    const boltRouter = express.Router();
    const oauth =
      settings.auth.kind === 'oauth' && installations !== null
        ? {
            clientId: settings.auth.clientId,
            clientSecret: settings.auth.clientSecret,
            stateSecret: settings.auth.stateSecret,
            installationStore: installations,
            scopes: [...BOT_SCOPES],
            ...(settings.auth.redirectUri === null ? {} : { redirectUri: settings.auth.redirectUri }),
            installerOptions: {
              installPath: ROUTES.install,
              redirectUriPath: ROUTES.redirect,
              directInstall: true,
              clientOptions,
            },
          }
        : {};
    const receiver = new ExpressReceiver({
      signingSecret: settings.transport.signingSecret,
      router: boltRouter,
      endpoints: ROUTES.events,
      logger: sdkLogger,
      processBeforeResponse: false,
      ...oauth,
    });
    app = new App({ receiver, logger: sdkLogger, clientOptions, convoStore: false, ...authorize });
    router.post(
      ROUTES.events,
      verifySlackSignature(settings.transport.signingSecret, clock, (problem) =>
        logger.warn({ problem }, 'Slack request refused: bad signature'),
      ),
    );
    router.use(boltRouter);
  } else {
    app = new App({
      socketMode: true,
      appToken: settings.transport.appToken,
      logger: sdkLogger,
      clientOptions,
      // The socket client's own WebClient (apps.connections.open) keeps web-api's retries: it reconnects.
      installerOptions: {
        clientOptions: { slackApiUrl: settings.apiUrl, allowAbsoluteUrls: false },
      },
      convoStore: false,
      ...authorize,
    });
    router.all(ROUTES.events, (_req, res) => {
      res.status(404).json({
        error: 'slack_socket_mode',
        message:
          'Slack is connected over Socket Mode (SLACK_APP_TOKEN is set); this HTTP endpoint is not used.',
      });
    });
  }

  let bound = false;
  function bind(bot: Bot): void {
    if (bound) throw new Error('the Slack adapter is already bound to a bot');
    bound = true;
    const listenerDeps: ListenerDeps = {
      bot,
      api,
      identity,
      audience,
      store,
      logger,
      later: afterAck.later,
      admitsForm: afterAck.admitsForm,
      dmChannel,
      directory: deps.directory,
    };
    registerMessageListeners(app, listenerDeps);
    registerActionListeners(app, listenerDeps);
    registerSubmissionListeners(app, listenerDeps);
    registerHomeListener(app, listenerDeps);
    registerLifecycleListeners(app, listenerDeps, installations);
    registerUnfurlListener(app, listenerDeps);
    app.error(async (error) => {
      logger.error({ err: error, code: error.code }, 'Slack: request failed');
    });
  }

  const socket = settings.transport.kind === 'socket';
  let connecting: Promise<void> | null = null;
  let intakeStopped: Promise<void> | null = null;
  const stopIntake = (): Promise<void> => {
    intakeStopped ??= (async () => {
      if (socket && connecting !== null) {
        await Promise.race([connecting, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
        await app
          .stop()
          .catch((error: unknown) => logger.warn({ err: error }, 'Slack Socket Mode stop failed'));
      }
      await afterAck.drained();
    })();
    return intakeStopped;
  };
  return {
    router,
    chat,
    bind,
    userReach: createSlackUserReach({ api, tokens, chat }),
    async start() {
      if (!bound) throw new Error('the Slack adapter has no bot to hand requests to');
      // Bolt authorizes a request before it can be acknowledged: auth.test is asked now, not by the first
      // request's ack (a failure is asked again then).
      if (byToken !== null && !socket)
        void byToken(
          { isEnterpriseInstall: false, teamId: undefined, enterpriseId: undefined },
          undefined,
        ).catch((error: unknown) =>
          logger.warn({ err: error }, 'Slack auth.test failed; asked again with the first request'),
        );
      // Connected in the background: the bot serves everything else while Slack is unreachable, and the
      // socket client retries and reconnects by itself.
      if (!socket) return;
      connecting = app.start().then(
        () => logger.info({}, 'Slack Socket Mode connected'),
        (error: unknown) => logger.error({ err: error }, 'Slack Socket Mode could not connect'),
      );
    },
    stopIntake,
    stop: stopIntake,
  };
}
