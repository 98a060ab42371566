import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import express, { type Router } from 'express';
import { createMsalCredentialsFactory } from '../adapters/teams/auth/msal.js';
import { teamsSettings } from '../adapters/teams/teams-settings.js';
import type { AppConfig } from '../bot/config/env.js';

// The benchmark's reference point (bench/teams.bench.ts): a bare botbuilder CloudAdapter echo bot, the
// way botbuilder's samples wire one, with the same Bot Framework settings. Its only addition is our MSAL
// credentials factory, without which it could not get a token from a non-Microsoft login host at all.
// Not mounted by the bot; kept here so botbuilder types stay in this folder.

/** An express router answering POST `path` with botbuilder's own request handling and an echo. */
export function createEchoBaselineRouter(config: Readonly<AppConfig>, path: string): Router {
  const settings = teamsSettings(config);
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication(settings.authOptions, createMsalCredentialsFactory(settings)),
  );
  const router = express.Router();
  router.post(path, express.json(), async (req, res) => {
    await adapter.process(req, res, async (context: TurnContext) => {
      if (context.activity.type === 'message') await context.sendActivity(`echo: ${context.activity.text}`);
    });
  });
  return router;
}
