import type { Router } from 'express';
import type { Registry } from 'prom-client';
import type { Bot } from '../../bot/bot.js';
import type { AppConfig } from '../../bot/config/env.js';
import type { Platform } from '../../bot/domain/actor.js';
import type { Directory } from '../../bot/domain/customer.js';
import type { ChatPort, Clock, Logger, Store } from '../../bot/ports.js';
import type { AffectedUserReach } from '../../bot/user-check/user-check-ports.js';
import { slackSettings } from '../slack/slack-settings.js';
import { createTeamsAdapter, teamsConfigured } from '../teams/index.js';

// Creates the chat platform adapters whose credentials are configured (part of the composition root).
// Their chat ports come first (alerts, the relay and the SDM feature post through them); the bot, built
// from those, is bound afterwards to take their inbound requests. A platform without credentials gets no
// router: its endpoint answers 503 naming the missing setting.

export interface PlatformDeps {
  readonly directory: Directory;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The /metrics registry, for adapters that count what they shed. */
  readonly registry?: Registry;
}

export interface Platforms {
  readonly teams?: Router;
  readonly slack?: Router;
  /** Proactive messaging per platform, for alerts and relayed replies. */
  readonly chat: { readonly teams?: ChatPort; readonly slack?: ChatPort };
  /** "Was this you?": Slack finds the affected person itself (Teams' reach is built from its ChatPort). */
  readonly userReach: { readonly slack?: AffectedUserReach };
  /** Hands every platform's inbound requests to the bot; once, before start(). */
  bind(bot: Bot): void;
  /** Starts connections that are not HTTP (Slack Socket Mode). */
  start(): Promise<void>;
  /** Takes no more requests and finishes those acknowledged (Slack's after-ack work); sending still works. */
  stopIntake(): Promise<void>;
  /** Stops sending too: after the loops that send through the chat ports have stopped. */
  stop(): Promise<void>;
}

interface PlatformAdapter {
  readonly router: Router;
  readonly chat: ChatPort;
  bind(bot: Bot): void;
  start(): Promise<void>;
  stopIntake(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Builds the configured platform adapters. Slack's SDK (Bolt, its web and Socket Mode clients) is loaded
 * only when Slack is configured: otherwise it would cost every process some 30 MB and a quarter second.
 */
export async function createPlatforms(config: Readonly<AppConfig>, deps: PlatformDeps): Promise<Platforms> {
  const built: Partial<Record<Exclude<Platform, 'web'>, PlatformAdapter>> = {};
  // Microsoft Teams, only when its credentials are configured. Playground mode (no credentials by
  // construction) mounts the same adapter, for the local Playground only.
  if (teamsConfigured(config) || config.TEAMS_PLAYGROUND) built.teams = createTeamsAdapter(config, deps);
  const slackConfig = slackSettings(config);
  const slack =
    slackConfig === null
      ? null
      : (await import('../slack/slack-adapter.js')).createSlackAdapter(slackConfig, deps);
  if (slack !== null) built.slack = slack;
  const all = Object.values(built);
  return {
    ...(built.teams ? { teams: built.teams.router } : {}),
    ...(built.slack ? { slack: built.slack.router } : {}),
    chat: {
      ...(built.teams ? { teams: built.teams.chat } : {}),
      ...(built.slack ? { slack: built.slack.chat } : {}),
    },
    userReach: slack === null ? {} : { slack: slack.userReach },
    bind(bot) {
      for (const p of all) p.bind(bot);
    },
    async start() {
      for (const p of all) await p.start();
    },
    async stopIntake() {
      for (const p of all) await p.stopIntake();
    },
    async stop() {
      for (const p of all) await p.stop();
    },
  };
}

/** The chat port for a platform: the configured platforms', or the dev console's (when it is on). */
export const chatPorts =
  (platforms: Platforms, console: ChatPort | null) =>
  (platform: Platform): ChatPort | undefined =>
    platform === 'web' ? (console ?? undefined) : platforms.chat[platform];
