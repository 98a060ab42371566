import { type Activity, CloudAdapter, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { AuthenticateRequestResult, ClaimsIdentity } from 'botframework-connector';
import type { Bot } from '../../bot/bot.js';
import type { AppConfig } from '../../bot/config/env.js';
import type { Directory } from '../../bot/domain/customer.js';
import { type ChatPort, type Clock, type Logger, type Store, systemClock } from '../../bot/ports.js';
import {
  authenticatePlayground,
  PlaygroundBotFrameworkAuthentication,
  playgroundSettings,
} from './auth/playground-auth.js';
import {
  authenticateVerified,
  createChannelTokenCheck,
  GuardedBotFrameworkAuthentication,
  type InboundAuth,
  type TokenCheck,
} from './auth/teams-auth.js';
import { storedShapes } from './delivery/channel-shapes.js';
import { createMemberRoster } from './delivery/members.js';
import { createTeamsAudience } from './delivery/teams-audience.js';
import { createTeamsChatPort } from './delivery/teams-chat-port.js';
import { createDelivery } from './delivery/teams-delivery.js';
import { createTeamsApplication } from './handlers.js';
import { type TeamsSettings, teamsSettings } from './teams-settings.js';

// Everything that needs botbuilder and teams-ai, built once at start-up (index.ts loads this module only
// when Teams is configured, so the SDKs cost nothing otherwise).

export interface TeamsRuntimeDeps {
  readonly bot: Bot;
  readonly directory: Directory;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** What the router and the ChatPort facade need once the SDKs are loaded. */
export interface TeamsRuntime {
  readonly settings: TeamsSettings;
  readonly chat: ChatPort;
  /** Verifies the token alone (signature, issuer, lifetime, audience), before the body is read. */
  checkToken(authorization: string | undefined): Promise<TokenCheck>;
  /**
   * Completes the authentication of a request against its activity, from the identity checkToken
   * returned (null in Playground mode, which takes no tokens); failures come back as 401, never thrown.
   */
  authenticate(activity: Activity, identity: ClaimsIdentity | null): Promise<InboundAuth>;
  /** Runs an authenticated activity through the Application; resolves to the invoke response, if any. */
  process(auth: AuthenticateRequestResult, activity: Activity): Promise<InvokeResponse | undefined>;
}

/** CloudAdapter that runs activities we authenticated ourselves (so failures map to 401, not 500). */
class TeamsCloudAdapter extends CloudAdapter {
  runAuthenticated(
    auth: AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(auth, activity, logic);
  }
}

/** Builds the Teams runtime; throws ConfigError when the Bot Framework endpoints cannot work. */
export function createTeamsRuntime(config: Readonly<AppConfig>, deps: TeamsRuntimeDeps): TeamsRuntime {
  // Playground mode swaps only who is trusted and where replies may go; everything after is the same bot.
  const playground = config.TEAMS_PLAYGROUND;
  const settings = playground ? playgroundSettings(config) : teamsSettings(config);
  const playgroundAuth = playground ? new PlaygroundBotFrameworkAuthentication(settings) : null;
  const auth = playgroundAuth ?? new GuardedBotFrameworkAuthentication(settings);
  const adapter = new TeamsCloudAdapter(auth);
  const roster = createMemberRoster();
  // Teams' windows are wall-clock windows, whatever clock the core is given.
  const delivery = createDelivery({ clock: systemClock });
  const audience = createTeamsAudience({
    logger: deps.logger,
    now: () => deps.clock.now().getTime(),
    shapes: storedShapes(deps.store),
  });
  const chat = createTeamsChatPort({ adapter, settings, delivery, roster, audience });
  const app = createTeamsApplication({ ...deps, roster, delivery, audience, chat });
  const logic = async (context: TurnContext): Promise<void> => {
    await app.run(context);
  };
  return {
    settings,
    chat,
    // The Playground's requests carry no token: its own gate (loopback, header, connector) stands in for it.
    checkToken:
      playgroundAuth !== null
        ? async () => ({ ok: false, status: 401, reason: 'playground mode takes no tokens' }) as const
        : createChannelTokenCheck(settings),
    authenticate: async (activity, identity) => {
      if (playgroundAuth !== null) return authenticatePlayground(playgroundAuth, activity);
      if (identity === null) return { ok: false, status: 401, reason: 'no verified token' };
      return authenticateVerified(auth as GuardedBotFrameworkAuthentication, settings, activity, identity);
    },
    process: (result, activity) => adapter.runAuthenticated(result, activity, logic),
  };
}
