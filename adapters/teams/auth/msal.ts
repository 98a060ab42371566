import { createRequire } from 'node:module';
import { MsalServiceClientCredentialsFactory } from 'botframework-connector';
import type { TeamsSettings } from '../teams-settings.js';

// The bot's outbound token comes from MSAL. botbuilder builds its MSAL app with only an authority, so for
// any login host but Microsoft's MSAL first asks login.microsoftonline.com for "instance discovery" — an
// internet call that fails (or leaks) when ToChannelFromBotLoginUrl points at a sovereign cloud or a
// stand-in. We build the MSAL app ourselves with the configured login host as a known authority (MSAL then
// reads that host's own OpenID metadata), and hand it to botbuilder's MsalServiceClientCredentialsFactory.

type ClientApplication = ConstructorParameters<typeof MsalServiceClientCredentialsFactory>[1];

/** The part of MSAL's configuration we set (msal-node 2.x `Configuration`). */
interface MsalConfiguration {
  readonly auth: {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly authority: string;
    readonly knownAuthorities: readonly string[];
  };
  readonly system: {
    readonly loggerOptions: {
      readonly piiLoggingEnabled: boolean;
      readonly logLevel: number;
      readonly loggerCallback: () => void;
    };
  };
}

interface MsalModule {
  readonly ConfidentialClientApplication: new (configuration: MsalConfiguration) => ClientApplication;
}

// msal-node is loaded exactly as botframework-connector resolves it (it pins its own copy), so the client
// application is the very class its MsalAppCredentials calls into.
const connectorEntry = createRequire(import.meta.url).resolve('botframework-connector');
const msal = createRequire(connectorEntry)('@azure/msal-node') as MsalModule;

/** MSAL's log level "Error": MSAL logs through its callback only, and we keep it silent. */
const MSAL_LOG_ERROR = 0;

/** A botbuilder credentials factory whose MSAL app knows the configured login host as an authority. */
export function createMsalCredentialsFactory(settings: TeamsSettings): MsalServiceClientCredentialsFactory {
  const authority = settings.loginUrl;
  const clientApplication = new msal.ConfidentialClientApplication({
    auth: {
      clientId: settings.appId,
      clientSecret: settings.appPassword ?? '',
      authority,
      knownAuthorities: [new URL(authority).host],
    },
    system: {
      loggerOptions: { piiLoggingEnabled: false, logLevel: MSAL_LOG_ERROR, loggerCallback: () => undefined },
    },
  });
  return new MsalServiceClientCredentialsFactory(settings.appId, clientApplication);
}
