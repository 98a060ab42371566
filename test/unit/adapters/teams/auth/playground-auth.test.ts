import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import {
  authenticatePlayground,
  PlaygroundBotFrameworkAuthentication,
  playgroundSettings,
} from '../../../../../adapters/teams/auth/playground-auth.js';
import { ServiceUrlRefusedError } from '../../../../../adapters/teams/auth/service-url.js';
import { loadConfig } from '../../../../../bot/config/env.js';

// The connector factory botbuilder builds inside authenticateRequest (not through createConnectorFactory)
// is guarded too: in Playground mode it builds clients for the local Playground's connector only.

describe('Playground authentication', () => {
  const settings = playgroundSettings(loadConfig({ TEAMS_PLAYGROUND: 'on', PLAYGROUND_PORT: '56150' }));
  const auth = new PlaygroundBotFrameworkAuthentication(settings);
  const activity = {
    type: 'message',
    channelId: 'msteams',
    serviceUrl: 'http://localhost:56150/_connector',
  } as Activity;

  it('hands out a connector factory that refuses any URL but the Playground connector', async () => {
    const verdict = await authenticatePlayground(auth, activity);
    if (!verdict.ok) throw new Error(verdict.reason);
    const factory = verdict.result.connectorFactory;
    if (factory === undefined) throw new Error('no connector factory');
    for (const url of ['https://smba.trafficmanager.net/emea/', 'http://localhost:56151/_connector'])
      await expect(factory.create(url, settings.oauthScope), url).rejects.toThrow(ServiceUrlRefusedError);
    await expect(factory.create(activity.serviceUrl, settings.oauthScope)).resolves.toBeDefined();
  });
});
