import type { Activity } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import type { AppConfig } from '../../../bot/config/env.js';
import { ConfigError } from '../../../bot/errors.js';
import type { TeamsSettings } from '../teams-settings.js';
import { ServiceUrlGuardedAuthentication } from './guarded-auth.js';
import { playgroundServiceUrlCheck } from './playground-gate.js';
import type { InboundAuth } from './teams-auth.js';

// The botbuilder side of Playground mode. With no app id botbuilder treats authentication as disabled:
// inbound activities get an anonymous identity and outbound clients carry no token (there is none to
// fetch, so nothing is asked of Microsoft's login service). Every connector the bot builds is still
// guarded, by the Playground rule instead of the Teams allowlist: only the local Playground's connector.

/** The Teams settings in Playground mode; throws ConfigError if the configuration does not allow it. */
export function playgroundSettings(config: Readonly<AppConfig>): TeamsSettings {
  // Configuration refuses these combinations already; this is the adapter's own guarantee.
  if (!config.TEAMS_PLAYGROUND || config.MicrosoftAppId !== undefined) {
    throw new ConfigError([
      'TEAMS_PLAYGROUND: Playground settings requested without TEAMS_PLAYGROUND=on or with MicrosoftAppId set',
    ]);
  }
  const port = config.PLAYGROUND_PORT;
  return {
    appId: '',
    appPassword: null,
    appType: 'MultiTenant',
    appTenantId: null,
    loginUrl: '',
    channelIssuer: '',
    oauthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    authOptions: { MicrosoftAppId: '', MicrosoftAppType: 'MultiTenant' },
    serviceUrlAllowlist: [],
    serviceUrlCheck: playgroundServiceUrlCheck(port),
    playgroundPort: port,
  };
}

/** Authentication with no app id (anonymous inbound, no outbound token), connectors guarded. */
export class PlaygroundBotFrameworkAuthentication extends ServiceUrlGuardedAuthentication {
  // No reuse: a fresh guarded client for every reply.
  protected override reuse(): undefined {
    return undefined;
  }
}

/**
 * Accepts a Playground activity (the gate already checked the peer and the marker header): Teams only, and
 * botbuilder must agree authentication is off — if it ever is not, the request is refused, never let in.
 */
export async function authenticatePlayground(
  auth: PlaygroundBotFrameworkAuthentication,
  activity: Activity,
): Promise<InboundAuth> {
  if (activity.channelId !== 'msteams')
    return {
      ok: false,
      status: 401,
      reason: 'not a Microsoft Teams activity (start the Playground with -c msteams)',
    };
  try {
    return { ok: true, result: await auth.authenticateRequest(activity, '') };
  } catch (error) {
    return { ok: false, status: 401, reason: error instanceof Error ? error.message : String(error) };
  }
}
