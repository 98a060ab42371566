import { type Activity, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type {
  AuthenticateRequestResult,
  ClaimsIdentity,
  ConnectorFactory,
  ServiceClientCredentialsFactory,
} from 'botframework-connector';
import type { TeamsSettings } from '../teams-settings.js';
import { type ConnectorClientCache, guardConnectorFactory } from './connector-guard.js';
import type { ServiceUrlCheck } from './service-url.js';

// The one place where botbuilder's authentication gets its connector factories guarded, for Teams and for
// the Playground alike: the factories createConnectorFactory builds, and the one authenticateRequest builds
// on its own (botbuilder does not go through createConnectorFactory there).

/** Reuse of hardened clients: the cache, and the app id the factory creates clients for. */
export interface ConnectorReuse {
  readonly cache: ConnectorClientCache;
  readonly appId: string;
}

/** ConfigurationBotFrameworkAuthentication whose every connector factory honours settings.serviceUrlCheck. */
export abstract class ServiceUrlGuardedAuthentication extends ConfigurationBotFrameworkAuthentication {
  readonly #allowed: ServiceUrlCheck;

  constructor(settings: TeamsSettings, credentials?: ServiceClientCredentialsFactory) {
    super(settings.authOptions, credentials);
    this.#allowed = settings.serviceUrlCheck;
  }

  /** How clients built for this identity are reused; undefined: a fresh client each time. */
  protected abstract reuse(claimsIdentity: ClaimsIdentity): ConnectorReuse | undefined;

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return guardConnectorFactory(
      super.createConnectorFactory(claimsIdentity),
      this.#allowed,
      this.reuse(claimsIdentity),
    );
  }

  override async authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(activity, authHeader);
    const factory = result.connectorFactory;
    return factory === undefined
      ? result
      : { ...result, connectorFactory: guardConnectorFactory(factory, this.#allowed) };
  }
}
