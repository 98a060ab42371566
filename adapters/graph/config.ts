import type { AppConfig } from '../../bot/config/env.js';
import type { Directory } from '../../bot/domain/customer.js';
import { ConfigError } from '../../bot/errors.js';
import { type GraphAppCredential, readCertificatePem } from './credentials.js';

// INCIDENT_SOURCE=graph start-up checks that need the customers file or the disk, so a bad setup stops
// start-up with one line per problem instead of failing on the first poll.

export interface GraphSettings {
  readonly clientId: string;
  readonly credential: GraphAppCredential;
  readonly graphBaseUrl: string;
  readonly authorityHost: string;
}

// What @azure/identity accepts as a tenant: a GUID or a verified domain name.
const TENANT_ID = /^[0-9a-zA-Z-.]+$/;

/** Settings for createGraphSource from the config and customers, or ConfigError listing every problem. */
export function graphSettings(config: Readonly<AppConfig>, directory: Directory): GraphSettings {
  const problems: string[] = [];
  const file = config.TENANTS_FILE;
  if (file === undefined) {
    problems.push(
      'TENANTS_FILE: required when INCIDENT_SOURCE=graph — set it to your customers file, each customer with its entraTenantId (the demo customers are not real tenants)',
    );
  } else {
    const owner = new Map<string, string>();
    directory.customers.forEach((customer, i) => {
      const tenantId = customer.entraTenantId?.trim() ?? '';
      if (tenantId === '') {
        problems.push(
          `${file}: customers[${i}].entraTenantId: customer "${customer.id}" has none — set it to the customer's Microsoft Entra tenant id (required when INCIDENT_SOURCE=graph)`,
        );
        return;
      }
      if (!TENANT_ID.test(tenantId)) {
        problems.push(
          `${file}: customers[${i}].entraTenantId: "${tenantId}" of customer "${customer.id}" is not a tenant id — use the GUID from the Entra admin center`,
        );
      }
      const first = owner.get(tenantId.toLowerCase());
      if (first !== undefined) {
        problems.push(
          `${file}: customers[${i}].entraTenantId: tenant ${tenantId} is already customer "${first}"'s — each tenant belongs to exactly one customer`,
        );
      } else owner.set(tenantId.toLowerCase(), customer.id);
    });
  }
  let credential: GraphAppCredential | null = null;
  if (config.GRAPH_CLIENT_CERTIFICATE_PATH !== undefined) {
    try {
      credential = { kind: 'certificate', pem: readCertificatePem(config.GRAPH_CLIENT_CERTIFICATE_PATH) };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  } else if (config.GRAPH_CLIENT_SECRET !== undefined) {
    credential = { kind: 'secret', secret: config.GRAPH_CLIENT_SECRET };
  }
  // GRAPH_CLIENT_ID and "a secret or a certificate" are checked with the environment (bot/config/env.ts).
  if (problems.length > 0) throw new ConfigError(problems);
  if (config.GRAPH_CLIENT_ID === undefined || credential === null) {
    throw new ConfigError([
      'GRAPH_CLIENT_ID: required when INCIDENT_SOURCE=graph — set the app registration’s client id and a secret or certificate',
    ]);
  }
  return {
    clientId: config.GRAPH_CLIENT_ID,
    credential,
    graphBaseUrl: config.GRAPH_BASE_URL,
    authorityHost: config.AZURE_AUTHORITY_HOST,
  };
}
