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

/** Wraps a connector factory: refuses service URLs off the allowlist and hardens what it creates. */
export function guardConnectorFactory(
  inner: ConnectorFactory,
  allowed: readonly string[] | ServiceUrlCheck,
): ConnectorFactory {
  const guarded: Pick<ConnectorFactory, 'create'> = {
    async create(serviceUrl, audience) {
      assertServiceUrl(serviceUrl, allowed);
      return hardenConnectorClient(await inner.create(serviceUrl, audience), allowed);
    },
  };
  return guarded as ConnectorFactory;
}
