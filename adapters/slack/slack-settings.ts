import type { AppConfig } from '../../bot/config/env.js';
import { ConfigError } from '../../bot/errors.js';
import { ROUTES } from './app-contract.js';

// The Slack slice of the configuration, decided once: HTTP (Events API at POST /slack/events, signed) or
// Socket Mode (SLACK_APP_TOKEN), one bot token for every linked workspace or OAuth distribution. Returns
// null when Slack is not configured, so the endpoint keeps answering 503 naming what is missing.

export type SlackAuth =
  | { readonly kind: 'token'; readonly botToken: string }
  | {
      readonly kind: 'oauth';
      readonly clientId: string;
      readonly clientSecret: string;
      readonly stateSecret: string;
      readonly redirectUri: string | null;
    };

/** The Slack configuration, decided: transport, auth and API base. */
export interface SlackSettings {
  readonly transport:
    | { readonly kind: 'http'; readonly signingSecret: string }
    | { readonly kind: 'socket'; readonly appToken: string };
  readonly auth: SlackAuth;
  /** SLACK_API_URL, normalised to end with "/". */
  readonly apiUrl: string;
}

type SlackConfig = Pick<
  AppConfig,
  | 'SLACK_SIGNING_SECRET'
  | 'SLACK_BOT_TOKEN'
  | 'SLACK_APP_TOKEN'
  | 'SLACK_CLIENT_ID'
  | 'SLACK_CLIENT_SECRET'
  | 'SLACK_STATE_SECRET'
  | 'SLACK_API_URL'
  | 'PUBLIC_BASE_URL'
>;

/** Problems in combinations of Slack settings, one actionable line each. */
function problemsOf(c: SlackConfig): string[] {
  const problems: string[] = [];
  const id = c.SLACK_CLIENT_ID !== undefined;
  const secret = c.SLACK_CLIENT_SECRET !== undefined;
  if (id !== secret) {
    problems.push(
      `${id ? 'SLACK_CLIENT_SECRET' : 'SLACK_CLIENT_ID'}: OAuth distribution needs both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET — set the missing one, or unset both to use SLACK_BOT_TOKEN`,
    );
  }
  if (id && secret && c.SLACK_STATE_SECRET === undefined) {
    problems.push(
      'SLACK_STATE_SECRET: required with SLACK_CLIENT_ID and SLACK_CLIENT_SECRET — set it to a long random string',
    );
  }
  if (c.SLACK_APP_TOKEN !== undefined && (id || secret)) {
    problems.push(
      'SLACK_APP_TOKEN: Socket Mode is supported with one SLACK_BOT_TOKEN only — unset SLACK_APP_TOKEN to use OAuth distribution over HTTP, or unset SLACK_CLIENT_ID/SLACK_CLIENT_SECRET',
    );
  }
  if (c.SLACK_APP_TOKEN !== undefined && !c.SLACK_APP_TOKEN.startsWith('xapp-')) {
    problems.push(
      'SLACK_APP_TOKEN: must be an app-level token starting with xapp- (Basic Information → App-Level Tokens, scope connections:write)',
    );
  }
  if (c.SLACK_BOT_TOKEN !== undefined && !c.SLACK_BOT_TOKEN.startsWith('xoxb-')) {
    problems.push(
      'SLACK_BOT_TOKEN: must be a bot token starting with xoxb- (OAuth & Permissions → Bot User OAuth Token)',
    );
  }
  return problems;
}

/** Reads the Slack settings; null when Slack is not configured; throws ConfigError when it is inconsistent. */
export function slackSettings(c: SlackConfig): SlackSettings | null {
  const problems = problemsOf(c);
  if (problems.length > 0) throw new ConfigError(problems);
  const apiUrl = c.SLACK_API_URL.endsWith('/') ? c.SLACK_API_URL : `${c.SLACK_API_URL}/`;
  const oauth =
    c.SLACK_CLIENT_ID !== undefined &&
    c.SLACK_CLIENT_SECRET !== undefined &&
    c.SLACK_STATE_SECRET !== undefined
      ? {
          kind: 'oauth' as const,
          clientId: c.SLACK_CLIENT_ID,
          clientSecret: c.SLACK_CLIENT_SECRET,
          stateSecret: c.SLACK_STATE_SECRET,
          redirectUri:
            c.PUBLIC_BASE_URL === undefined ? null : new URL(ROUTES.redirect, c.PUBLIC_BASE_URL).href,
        }
      : null;
  if (c.SLACK_APP_TOKEN !== undefined) {
    if (c.SLACK_BOT_TOKEN === undefined) return null;
    return {
      transport: { kind: 'socket', appToken: c.SLACK_APP_TOKEN },
      auth: { kind: 'token', botToken: c.SLACK_BOT_TOKEN },
      apiUrl,
    };
  }
  if (c.SLACK_SIGNING_SECRET === undefined) return null;
  const auth: SlackAuth | null =
    oauth ?? (c.SLACK_BOT_TOKEN === undefined ? null : { kind: 'token', botToken: c.SLACK_BOT_TOKEN });
  if (auth === null) return null;
  return { transport: { kind: 'http', signingSecret: c.SLACK_SIGNING_SECRET }, auth, apiUrl };
}
