import { describe, expect, it } from 'vitest';
import { teamsSettings } from '../../../../adapters/teams/teams-settings.js';
import { loadConfig } from '../../../../bot/config/env.js';
import { ConfigError } from '../../../../bot/errors.js';

// The standard Bot Framework names, with Microsoft's values wherever one is unset (botbuilder would
// otherwise leave them empty as soon as one is set).

const config = (env: Record<string, string>) =>
  loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', ...env });

describe('Teams settings', () => {
  it('defaults every endpoint to Microsoft’s public cloud', () => {
    const s = teamsSettings(config({}));
    expect(s.authOptions).toMatchObject({
      MicrosoftAppId: 'app',
      MicrosoftAppType: 'MultiTenant',
      ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
      ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    });
    expect(s.serviceUrlAllowlist).toContain('smba.trafficmanager.net');
  });

  it('uses the configured stand-ins and keeps the rest at Microsoft’s values', () => {
    const s = teamsSettings(
      config({
        ToBotFromChannelOpenIdMetadataUrl: 'https://127.0.0.1:9/channel/.well-known/openidconfiguration',
        ToBotFromChannelTokenIssuer: 'https://127.0.0.1:9/issuer',
        ToChannelFromBotLoginUrl: 'https://127.0.0.1:9/botframework.com',
      }),
    );
    expect(s.loginUrl).toBe('https://127.0.0.1:9/botframework.com');
    expect(s.channelIssuer).toBe('https://127.0.0.1:9/issuer');
    expect(s.authOptions.OAuthUrl).toBe('https://api.botframework.com');
    expect(s.oauthScope).toBe('https://api.botframework.com');
  });

  it('logs single-tenant bots in against their own tenant', () => {
    const s = teamsSettings(config({ MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: 'tenant-1' }));
    expect(s.loginUrl).toBe('https://login.microsoftonline.com/tenant-1');
  });

  it('refuses plain-http credential and key endpoints at start-up, one line each', () => {
    expect(() =>
      teamsSettings(
        config({
          ToChannelFromBotLoginUrl: 'http://127.0.0.1/x',
          ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1/m',
        }),
      ),
    ).toThrow(ConfigError);
    try {
      teamsSettings(
        config({ ToChannelFromBotLoginUrl: 'http://127.0.0.1/x', ToBotFromChannelOpenIdMetadataUrl: 'nope' }),
      );
    } catch (e) {
      expect((e as ConfigError).problems).toEqual([
        expect.stringMatching(/^ToChannelFromBotLoginUrl: must be an https URL/),
        expect.stringMatching(/^ToBotFromChannelOpenIdMetadataUrl: must be an absolute https URL/),
      ]);
    }
  });
});
