import { CallerIdConstants } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import type { AppConfig } from '../../bot/config/env.js';
import { ConfigError } from '../../bot/errors.js';
import { allowlistCheck, type ServiceUrlCheck } from './auth/service-url.js';

// The Teams slice of the configuration, in the standard Bot Framework names. botbuilder switches to a
// "parameterized" cloud as soon as one endpoint name is set and then leaves every unset one empty, so
// each unset name gets Microsoft's public-cloud value here: setting only the three stand-in URLs (issuer,
// OpenID metadata, login) works by configuration alone.

export interface TeamsSettings {
  readonly appId: string;
  /** Null for UserAssignedMSI, which authenticates with the managed identity instead. */
  readonly appPassword: string | null;
  readonly appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  readonly appTenantId: string | null;
  /** Where the bot gets its outbound token (an MSAL authority: https, a tenant path). */
  readonly loginUrl: string;
  /** Issuer every inbound channel token must carry. */
  readonly channelIssuer: string;
  /** Audience of the outbound token. */
  readonly oauthScope: string;
  /** Exactly what ConfigurationBotFrameworkAuthentication receives. */
  readonly authOptions: Readonly<Record<string, string>>;
  readonly serviceUrlAllowlist: readonly string[];
  /** Where inbound activities may point the bot and where it may post: every check goes through this. */
  readonly serviceUrlCheck: ServiceUrlCheck;
  /** Set only in Playground mode: the local Playground's port, whose connector is the only destination. */
  readonly playgroundPort: number | null;
}

const httpsOrProblem = (name: string, value: string): string | null => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${name}: must be an absolute https URL (got "${value}")`;
  }
  return url.protocol === 'https:'
    ? null
    : `${name}: must be an https URL — the bot's credentials and signing keys never travel over plain http (for a local stand-in, serve https and put its CA in NODE_EXTRA_CA_CERTS)`;
};

/** Builds the settings; throws ConfigError (one line per problem) for endpoints that cannot work. */
export function teamsSettings(config: Readonly<AppConfig>): TeamsSettings {
  const appId = config.MicrosoftAppId ?? '';
  const appType = config.MicrosoftAppType ?? 'MultiTenant';
  const tenant = config.MicrosoftAppTenantId ?? null;
  const defaultLogin =
    appType === 'SingleTenant' && tenant !== null
      ? `${AuthenticationConstants.ToChannelFromBotLoginUrlPrefix}${tenant}`
      : AuthenticationConstants.ToChannelFromBotLoginUrl;
  const loginUrl = config.ToChannelFromBotLoginUrl ?? defaultLogin;
  const metadataUrl =
    config.ToBotFromChannelOpenIdMetadataUrl ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl;
  const problems = [
    appId === '' ? 'MicrosoftAppId: required for Teams — set it to the bot’s app id' : null,
    httpsOrProblem('ToChannelFromBotLoginUrl', loginUrl),
    httpsOrProblem('ToBotFromChannelOpenIdMetadataUrl', metadataUrl),
  ].filter((p): p is string => p !== null);
  if (problems.length > 0) throw new ConfigError(problems);

  const channelIssuer =
    config.ToBotFromChannelTokenIssuer ?? AuthenticationConstants.ToBotFromChannelTokenIssuer;
  const oauthScope = config.ToChannelFromBotOAuthScope ?? AuthenticationConstants.ToChannelFromBotOAuthScope;
  const authOptions: Record<string, string> = {
    MicrosoftAppId: appId,
    MicrosoftAppType: appType,
    ToBotFromChannelOpenIdMetadataUrl: metadataUrl,
    ToBotFromChannelTokenIssuer: channelIssuer,
    ToChannelFromBotLoginUrl: loginUrl,
    ToChannelFromBotOAuthScope: oauthScope,
    OAuthUrl: config.OAuthUrl ?? AuthenticationConstants.OAuthUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
    ValidateAuthority: config.ValidateAuthority ?? 'true',
  };
  if (config.MicrosoftAppPassword !== undefined)
    authOptions.MicrosoftAppPassword = config.MicrosoftAppPassword;
  if (tenant !== null) authOptions.MicrosoftAppTenantId = tenant;
  return {
    appId,
    appPassword: appType === 'UserAssignedMSI' ? null : (config.MicrosoftAppPassword ?? ''),
    appType,
    appTenantId: tenant,
    loginUrl,
    channelIssuer,
    oauthScope,
    authOptions,
    serviceUrlAllowlist: config.teamsServiceUrlAllowlist,
    serviceUrlCheck: allowlistCheck(config.teamsServiceUrlAllowlist),
    playgroundPort: null,
  };
}
