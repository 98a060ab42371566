import type { ConnectorClient, ConnectorFactory } from 'botframework-connector';
import { assertServiceUrl, type ServiceUrlCheck } from './service-url.js';

// Every Bot Connector client the bot ever builds (for replies, proactive posts, invoke follow-ups) comes
// from a connector factory, so that is where the allowlist is enforced: before the client exists, before
// any token is fetched. Each client's HTTP pipeline is then hardened: the SDK's automatic retries go (the
// delivery layer retries, paced and counted), redirects are not followed (a redirect could carry the
// token to another host), and every single request is checked against the allowlist once more.

interface PipelineRequest {
  readonly url: string;
}
interface PipelinePolicy {
  readonly name: string;
  sendRequest(
    request: PipelineRequest,
    next: (request: PipelineRequest) => Promise<unknown>,
  ): Promise<unknown>;
}
interface Pipeline {
  removePolicy(options: { readonly name?: string; readonly phase?: string }): unknown;
  addPolicy(policy: PipelinePolicy, options?: { readonly phase?: string }): void;
}

/** The azure core client inside a ConnectorClient (not part of botbuilder's typings). */
const pipelineOf = (client: ConnectorClient): Pipeline | null => {
  const inner = (client as unknown as { client?: { pipeline?: Pipeline } }).client;
  return inner?.pipeline ?? null;
};

/** Removes SDK retries and redirects, and adds a per-request allowlist check. */
export function hardenConnectorClient(
  client: ConnectorClient,
  allowed: readonly string[] | ServiceUrlCheck,
): ConnectorClient {
  const pipeline = pipelineOf(client);
  if (pipeline === null)
    throw new Error('unexpected botframework-connector client: no HTTP pipeline to harden');
  pipeline.removePolicy({ phase: 'Retry' });
  pipeline.removePolicy({ name: 'redirectPolicy' });
  pipeline.addPolicy(
    {
      name: 'teamsServiceUrlAllowlist',
      sendRequest: (request, next) => {
        assertServiceUrl(request.url, allowed);
        return next(request);
      },
    },
    { phase: 'Sign' },
  );
  return client;
}

/**
 * Hardened clients kept for reuse, by bot app id, service URL and audience. Building one (credentials, an
 * HTTP pipeline of a dozen policies) cost more than the reply it then sends, once per turn; a client keeps
 * no per-turn state, and its credentials ask MSAL, which caches and renews the token. Service URLs are
 * allowlisted hosts, so few keys; the bound is only a backstop (oldest first).
 */
export interface ConnectorClientCache {
  get(key: string, create: () => Promise<ConnectorClient>): Promise<ConnectorClient>;
}

export function createConnectorClientCache(max = 64): ConnectorClientCache {
  const clients = new Map<string, Promise<ConnectorClient>>();
  return {
    get(key, create) {
      const known = clients.get(key);
      if (known !== undefined) return known;
      const made = create();
      clients.set(key, made);
      // A client that could not be built is not kept: the next turn tries again.
      made.catch(() => {
        if (clients.get(key) === made) clients.delete(key);
      });
      if (clients.size > max) clients.delete(clients.keys().next().value as string);
      return made;
    },
  };
}

/**
 * Wraps a connector factory: refuses service URLs off the allowlist and hardens what it creates; with a
 * cache (and the app id the factory creates clients for), reuses the client per service URL and audience.
 */
export function guardConnectorFactory(
  inner: ConnectorFactory,
  allowed: readonly string[] | ServiceUrlCheck,
  reuse?: { readonly cache: ConnectorClientCache; readonly appId: string },
): ConnectorFactory {
  const guarded: Pick<ConnectorFactory, 'create'> = {
    async create(serviceUrl, audience) {
      assertServiceUrl(serviceUrl, allowed);
      const make = async (): Promise<ConnectorClient> =>
        hardenConnectorClient(await inner.create(serviceUrl, audience), allowed);
      if (reuse === undefined) return make();
      return reuse.cache.get(`${reuse.appId}\n${serviceUrl}\n${audience ?? ''}`, make);
    },
  };
  return guarded as ConnectorFactory;
}
