import { readFileSync } from 'node:fs';
import type { Agent } from 'node:https';
import { ClientCertificateCredential, ClientSecretCredential, type TokenCredential } from '@azure/identity';
import { ConfigError } from '../../bot/errors.js';

// Client credentials per customer tenant with @azure/identity: one credential per tenant, so MSAL caches and
// refreshes each tenant's token on its own. A non-default authority host (sovereign cloud, loopback
// stand-in) is used as given, without instance discovery, so nothing asks login.microsoftonline.com.

/** How the app registration proves itself: a client secret, or a certificate (PEM: private key + cert). */
export type GraphAppCredential =
  | { readonly kind: 'secret'; readonly secret: string }
  | { readonly kind: 'certificate'; readonly pem: string };

/** Microsoft's public-cloud authority: the only host for which MSAL's instance discovery stays on. */
export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

/** What every tenant's credential shares: the one app registration and the one connection pool. */
export interface CredentialSettings {
  readonly clientId: string;
  readonly credential: GraphAppCredential;
  readonly authorityHost: string;
  /** The same Agent Graph calls use: one trust store, one connection pool. */
  readonly agent: Agent;
}

/** Creates the credential for one tenant; @azure/identity's own retries are off (we back off ourselves). */
export function createTenantCredential(settings: CredentialSettings, tenantId: string): TokenCredential {
  const host = settings.authorityHost.replace(/\/+$/, '');
  const options = {
    authorityHost: host,
    disableInstanceDiscovery: new URL(host).origin !== new URL(DEFAULT_AUTHORITY_HOST).origin,
    agent: settings.agent,
    retryOptions: { maxRetries: 0 },
  };
  return settings.credential.kind === 'secret'
    ? new ClientSecretCredential(tenantId, settings.clientId, settings.credential.secret, options)
    : new ClientCertificateCredential(
        tenantId,
        settings.clientId,
        { certificate: settings.credential.pem },
        options,
      );
}

/** Reads GRAPH_CLIENT_CERTIFICATE_PATH once at start-up, so a wrong path stops start-up, not the first poll. */
export function readCertificatePem(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    const why = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new ConfigError([
      `GRAPH_CLIENT_CERTIFICATE_PATH: cannot read ${path} (${why}) — point it at a PEM file with the app registration's private key and certificate`,
    ]);
  }
  if (
    !/-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(pem) ||
    !pem.includes('-----BEGIN CERTIFICATE-----')
  ) {
    throw new ConfigError([
      `GRAPH_CLIENT_CERTIFICATE_PATH: ${path} must contain both the private key and the certificate in PEM form`,
    ]);
  }
  return pem;
}

// OAuth/Entra answers that mean "this tenant will not give us a token" (secret wrong or expired, app not in
// the tenant, consent revoked, tenant gone), as opposed to Entra being unreachable or busy.
const REFUSED =
  /\b(invalid_client|unauthorized_client|invalid_grant|invalid_scope|invalid_resource|access_denied|consent_required|interaction_required)\b|AADSTS\d+/;
const TRANSIENT = /\b(temporarily_unavailable|server_error)\b|AADSTS(50196|90033|90006)\b/;

/** Sorts a token failure: access lost (tell the customer's admin) or unavailable (retry with backoff). */
export function classifyTokenError(error: unknown): {
  readonly kind: 'access_lost' | 'unavailable';
  readonly reason: string;
} {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const reason = text.replace(/\s+/g, ' ').slice(0, 300);
  if (TRANSIENT.test(text) || !REFUSED.test(text)) return { kind: 'unavailable', reason };
  return { kind: 'access_lost', reason };
}
