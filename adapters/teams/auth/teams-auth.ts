import type { Activity } from 'botbuilder';
import {
  type AuthenticateRequestResult,
  AuthenticationConstants,
  type ClaimsIdentity,
  SkillValidation,
} from 'botframework-connector';
import { JwtTokenExtractor } from 'botframework-connector/lib/auth/jwtTokenExtractor.js';
import type { TeamsSettings } from '../teams-settings.js';
import { authFailureStatus, screenChannelToken } from '../token-screen.js';
import { createConnectorClientCache } from './connector-guard.js';
import { type ConnectorReuse, ServiceUrlGuardedAuthentication } from './guarded-auth.js';
import { createMsalCredentialsFactory } from './msal.js';

// Bot Framework authentication, configured only through ConfigurationBotFrameworkAuthentication and the
// standard names (settings.ts). Two additions: every connector factory it hands out is guarded by the
// service URL allowlist, and inbound failures are mapped once, here, to 401 (the token) or 503 (the signing
// keys could not be fetched) — a bare CloudAdapter answers 500 to many forged tokens.

/** The Teams authentication: MSAL credentials, and hardened clients reused across turns. */
export class GuardedBotFrameworkAuthentication extends ServiceUrlGuardedAuthentication {
  readonly #clients = createConnectorClientCache();

  constructor(settings: TeamsSettings) {
    // UserAssignedMSI has no secret and no MSAL authority: botbuilder's own factory handles it.
    super(
      settings,
      settings.appType === 'UserAssignedMSI' ? undefined : createMsalCredentialsFactory(settings),
    );
  }

  protected override reuse(claimsIdentity: ClaimsIdentity): ConnectorReuse {
    // The app id botbuilder's factory creates clients for (the token's audience, else its appid claim).
    const appId =
      claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim) ??
      claimsIdentity.getClaimValue(AuthenticationConstants.AppIdClaim) ??
      '';
    return { cache: this.#clients, appId };
  }
}

/** An inbound request's verdict: the authenticated result, or the status to answer and why (for the log). */
export type InboundAuth =
  | { readonly ok: true; readonly result: AuthenticateRequestResult }
  | { readonly ok: false; readonly status: 401 | 503; readonly reason: string };

/**
 * Completes the authentication of a request whose token createChannelTokenCheck already verified (before
 * the body was read): what botbuilder's authenticateRequest checks that needs the activity — a Teams
 * activity, the token's service URL claim naming the activity's, no skill claims — and the result it
 * would build, without verifying the token a second time.
 */
export function authenticateVerified(
  auth: GuardedBotFrameworkAuthentication,
  settings: TeamsSettings,
  activity: Activity,
  identity: ClaimsIdentity,
): InboundAuth {
  // Teams only: other channel ids select other validators (the ASE channel, the Emulator's keys).
  if (activity.channelId !== 'msteams')
    return { ok: false, status: 401, reason: 'not a Microsoft Teams activity' };
  // As botbuilder's channel validation: a token is bound to the service URL it was issued for.
  if (
    activity.serviceUrl &&
    identity.getClaimValue(AuthenticationConstants.ServiceUrlClaim) !== activity.serviceUrl
  )
    return { ok: false, status: 401, reason: 'Unauthorized. ServiceUrl claim do not match.' };
  // botbuilder refuses skill claims unless a claims validator is configured; none is.
  if (SkillValidation.isSkillClaim(identity.claims))
    return { ok: false, status: 401, reason: 'skill tokens are not accepted' };
  return {
    ok: true,
    result: {
      audience: settings.oauthScope,
      callerId: settings.authOptions.CallerId,
      claimsIdentity: identity,
      connectorFactory: auth.createConnectorFactory(identity),
    },
  };
}

/** The token's verdict before the body is read: valid for this bot, or the status to answer and why. */
export type TokenCheck =
  | { readonly ok: true; readonly identity: ClaimsIdentity }
  | { readonly ok: false; readonly status: 401 | 503; readonly reason: string };

/**
 * Checks the channel token's signature (against the channel's signing keys, fetched once and cached by
 * botbuilder's own metadata cache), issuer, lifetime, Teams endorsement and audience — everything that
 * does not need the activity — so a forged request is refused before its body is read or parsed. The
 * identity it returns is what authenticateVerified completes once the body is in: the token is decoded
 * and its signature checked once per request.
 */
export function createChannelTokenCheck(
  settings: TeamsSettings,
): (header: string | undefined) => Promise<TokenCheck> {
  const metadataUrl =
    settings.authOptions.ToBotFromChannelOpenIdMetadataUrl ??
    AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl;
  const extractor = new JwtTokenExtractor(
    { issuer: [settings.channelIssuer], audience: undefined, clockTolerance: 300, ignoreExpiration: false },
    metadataUrl,
    AuthenticationConstants.AllowedSigningAlgorithms,
  );
  return async (header) => {
    const screen = screenChannelToken(header, settings.channelIssuer);
    if (!screen.ok) return { ok: false, status: 401, reason: screen.reason };
    try {
      const identity = await extractor.getIdentityFromAuthHeader(header ?? '', 'msteams');
      if (identity === null || !identity.isAuthenticated)
        return { ok: false, status: 401, reason: 'token not authenticated' };
      if (identity.getClaimValue(AuthenticationConstants.AudienceClaim) !== settings.appId)
        return { ok: false, status: 401, reason: 'token audience is not this bot' };
      return { ok: true, identity };
    } catch (error) {
      const status = authFailureStatus(error);
      const reason = error instanceof Error ? error.message : String(error);
      return { ok: false, status, reason: status === 503 ? `signing keys unavailable: ${reason}` : reason };
    }
  };
}
