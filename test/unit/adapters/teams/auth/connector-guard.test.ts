import type { ConnectorClient, ConnectorFactory } from 'botframework-connector';
import { describe, expect, it } from 'vitest';
import {
  createConnectorClientCache,
  guardConnectorFactory,
} from '../../../../../adapters/teams/auth/connector-guard.js';

// The guarded connector factory reuses one hardened client per app id, service URL and audience (building
// one per turn cost more than the reply), still refuses a service URL off the allowlist before anything
// is built, and does not keep a client that failed to build.

const allowed = ['smba.trafficmanager.net'];

/** An inner factory standing in for botbuilder's: counts what it builds; the client has an HTTP pipeline. */
function innerFactory(failFirst = false): { factory: ConnectorFactory; built: () => number } {
  let built = 0;
  const factory = {
    async create(): Promise<ConnectorClient> {
      built += 1;
      if (failFirst && built === 1) throw new Error('login endpoint down');
      return { client: { pipeline: { removePolicy() {}, addPolicy() {} } } } as unknown as ConnectorClient;
    },
  } as unknown as ConnectorFactory;
  return { factory, built: () => built };
}

describe('guardConnectorFactory with a client cache', () => {
  it('builds one client per app id, service URL and audience, across factories', async () => {
    const cache = createConnectorClientCache();
    const inner = innerFactory();
    const a = guardConnectorFactory(inner.factory, allowed, { cache, appId: 'bot' });
    const b = guardConnectorFactory(inner.factory, allowed, { cache, appId: 'bot' });
    const url = 'https://smba.trafficmanager.net/amer/';
    const first = await a.create(url, 'https://api.botframework.com');
    expect(await b.create(url, 'https://api.botframework.com')).toBe(first);
    expect(inner.built()).toBe(1);
    await a.create('https://smba.trafficmanager.net/emea/', 'https://api.botframework.com');
    await guardConnectorFactory(inner.factory, allowed, { cache, appId: 'other' }).create(
      url,
      'https://api.botframework.com',
    );
    expect(inner.built()).toBe(3);
  });

  it('refuses a service URL off the allowlist before building or reusing anything', async () => {
    const inner = innerFactory();
    const f = guardConnectorFactory(inner.factory, allowed, {
      cache: createConnectorClientCache(),
      appId: 'bot',
    });
    await expect(f.create('https://evil.example/amer/', 'x')).rejects.toThrow();
    expect(inner.built()).toBe(0);
  });

  it('does not keep a client that failed to build', async () => {
    const inner = innerFactory(true);
    const f = guardConnectorFactory(inner.factory, allowed, {
      cache: createConnectorClientCache(),
      appId: 'bot',
    });
    const url = 'https://smba.trafficmanager.net/amer/';
    await expect(f.create(url, 'x')).rejects.toThrow(/login endpoint down/);
    await expect(f.create(url, 'x')).resolves.toBeDefined();
    expect(inner.built()).toBe(2);
  });
});
