import type { Router } from 'express';
import type { Bot } from '../bot/bot.js';
import type { AppConfig } from '../bot/config/env.js';
import type { Directory } from '../bot/domain/customer.js';
import type { ChatPort, Clock, Logger, Store } from '../bot/ports.js';
import type { AffectedUserReach } from '../bot/user-check/ports.js';
import { createSlackAdapter } from './slack/slack-adapter.js';
import { slackSettings } from './slack/slack-settings.js';
import { createTeamsAdapter, teamsConfigured } from './teams/index.js';

// Creates the chat platform adapters whose credentials are configured (part of the composition root).
// A platform without credentials gets no router: its endpoint answers 503 naming the missing setting.

export interface PlatformDeps {
  readonly bot: Bot;
  readonly directory: Directory;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface Platforms {
  readonly teams?: Router;
  readonly slack?: Router;
  /** Proactive messaging per platform, for alerts and relayed replies. */
  readonly chat: { readonly teams?: ChatPort; readonly slack?: ChatPort };
  /** "Was this you?": Slack finds the affected person itself (Teams' reach is built from its ChatPort). */
  readonly userReach: { readonly slack?: AffectedUserReach };
  /** Starts connections that are not HTTP (Slack Socket Mode). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Builds the configured platform adapters. */
export function createPlatforms(_config: Readonly<AppConfig>, _deps: PlatformDeps): Platforms {
  const chat: { teams?: ChatPort; slack?: ChatPort } = {};
  const userReach: { slack?: AffectedUserReach } = {};
  const routers: { teams?: Router; slack?: Router } = {};
  const starts: Array<() => Promise<void>> = [];
  const stops: Array<() => Promise<void>> = [];
  // TEAMS-ADAPTER: Microsoft Teams is wired here, only when its credentials are configured.
  // Playground mode (no credentials by construction) mounts the same adapter, for the local Playground only.
  if (teamsConfigured(_config) || _config.TEAMS_PLAYGROUND) {
    const teams = createTeamsAdapter(_config, _deps);
    routers.teams = teams.router;
    chat.teams = teams.chat;
    starts.push(teams.start);
    stops.push(teams.stop);
  }
  // SLACK-ADAPTER: Slack is wired here, only when its credentials are configured.
  const slackConfig = slackSettings(_config);
  if (slackConfig !== null) {
    const slack = createSlackAdapter(slackConfig, _deps);
    routers.slack = slack.router;
    chat.slack = slack.chat;
    userReach.slack = slack.userReach;
    starts.push(slack.start);
    stops.push(slack.stop);
  }
  return {
    ...routers,
    chat,
    userReach,
    async start() {
      for (const s of starts) await s();
    },
    async stop() {
      for (const s of stops) await s();
    },
  };
}
