import type { Router } from 'express';
import type { Bot } from '../../bot/bot.js';
import type { AppConfig } from '../../bot/config/env.js';
import type { Directory } from '../../bot/domain/customer.js';
import { BotError } from '../../bot/errors.js';
import type { ChatPort, Clock, Logger, Store } from '../../bot/ports.js';
import { playgroundConnectorUrl } from './auth/playground-gate.js';
import { createTeamsRouter } from './router.js';
import type { TeamsRuntime } from './runtime.js';

// The Microsoft Teams adapter as the composition root sees it: a router for POST /api/messages and a
// ChatPort. botbuilder and teams-ai load in start(), only when Teams is configured; until then (and if
// start-up fails) the router answers 503 and the port refuses.

export interface TeamsAdapterDeps {
  readonly directory: Directory;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** What the composition root mounts and wires: the endpoint, the proactive port, and start/stop. */
export interface TeamsAdapter {
  readonly router: Router;
  readonly chat: ChatPort;
  /** Hands inbound activities to the bot (built after the chat ports); before start(). */
  bind(bot: Bot): void;
  start(): Promise<void>;
  /** Nothing of its own: inbound turns are HTTP requests, which the server's close waits for. */
  stopIntake(): Promise<void>;
  /** Stops sending: after this the chat port refuses. */
  stop(): Promise<void>;
}

const unknownAudience = { kind: 'unknown', reason: 'the Teams adapter cannot tell' } as const;

/** True when the credentials the Bot Framework needs are set (else /api/messages stays the 503 placeholder). */
export const teamsConfigured = (config: Readonly<AppConfig>): boolean =>
  config.MicrosoftAppId !== undefined &&
  (config.MicrosoftAppPassword !== undefined || config.MicrosoftAppType === 'UserAssignedMSI');

/** Creates the Teams adapter; call start() before serving (it throws ConfigError for unusable endpoints). */
export function createTeamsAdapter(config: Readonly<AppConfig>, deps: TeamsAdapterDeps): TeamsAdapter {
  let runtime: TeamsRuntime | null = null;
  let bot: Bot | null = null;
  const ready = (): TeamsRuntime => {
    if (runtime === null) throw new BotError('platform_error', 'the Teams adapter has not started');
    return runtime;
  };
  return {
    router: createTeamsRouter(() => runtime, deps.logger),
    chat: {
      // Not started yet: nothing has been sent, so nothing to wait for (the send itself then fails).
      delayFor: (conversation, kind) => runtime?.chat.delayFor(conversation, kind) ?? 0,
      post: (conversation, message) => ready().chat.post(conversation, message),
      update: (conversation, messageId, message) => ready().chat.update(conversation, messageId, message),
      reply: (conversation, threadId, message) => ready().chat.reply(conversation, threadId, message),
      audience: (conversation) => ready().chat.audience?.(conversation) ?? Promise.resolve(unknownAudience),
      directConversation: async (workspaceId, userId) =>
        (await ready().chat.directConversation?.(workspaceId, userId)) ?? null,
    },
    bind(b) {
      bot = b;
    },
    async start() {
      if (bot === null) throw new BotError('platform_error', 'the Teams adapter has no bot to hand turns to');
      const { createTeamsRuntime } = await import('./runtime.js');
      runtime = createTeamsRuntime(config, { ...deps, bot });
      const port = runtime.settings.playgroundPort;
      if (port !== null) {
        deps.logger.warn(
          { connector: playgroundConnectorUrl(port) },
          'teams adapter in Playground mode: unsigned activities from the local Agents Playground only',
        );
        return;
      }
      deps.logger.info(
        { appId: runtime.settings.appId, serviceHosts: runtime.settings.serviceUrlAllowlist },
        'teams adapter ready at POST /api/messages',
      );
    },
    async stopIntake() {},
    async stop() {
      runtime = null;
    },
  };
}
