import type { Request, Response, Router } from 'express';
import express from 'express';
import type { AppConfig } from '../../bot/config/env.js';

// Teams and Slack endpoints until their adapters are mounted: never process traffic without credentials
// (503 naming the missing setting to set). With credentials but no adapter in this build: 501.

function missingTeams(config: AppConfig): string[] {
  const missing: string[] = [];
  if (config.MicrosoftAppId === undefined) missing.push('MicrosoftAppId');
  if (config.MicrosoftAppPassword === undefined && config.MicrosoftAppType !== 'UserAssignedMSI') {
    missing.push('MicrosoftAppPassword');
  }
  return missing;
}

function missingSlack(config: AppConfig): string[] {
  const missing: string[] = [];
  if (config.SLACK_SIGNING_SECRET === undefined) missing.push('SLACK_SIGNING_SECRET');
  const oauth = config.SLACK_CLIENT_ID !== undefined && config.SLACK_CLIENT_SECRET !== undefined;
  if (config.SLACK_BOT_TOKEN === undefined && !oauth)
    missing.push('SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)');
  return missing;
}

const unavailable = (platform: string, missing: readonly string[]) => (_req: Request, res: Response) => {
  if (missing.length > 0) {
    res.status(503).json({
      error: `${platform.toLowerCase()}_not_configured`,
      message: `${platform} is not configured: set ${missing.join(', ')}.`,
      missing,
    });
    return;
  }
  res.status(501).json({
    error: `${platform.toLowerCase()}_adapter_unavailable`,
    message: `The ${platform} adapter is not part of this build yet.`,
  });
};

/** Routes for the platform endpoints whose adapters are not mounted. */
export function platformPlaceholders(config: AppConfig, mounted: { teams: boolean; slack: boolean }): Router {
  const router = express.Router();
  if (!mounted.teams) router.all('/api/messages', unavailable('Teams', missingTeams(config)));
  if (!mounted.slack) router.all('/slack/events', unavailable('Slack', missingSlack(config)));
  return router;
}
