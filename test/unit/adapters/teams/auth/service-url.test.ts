import { describe, expect, it } from 'vitest';
import {
  assertServiceUrl,
  checkServiceUrl,
  ServiceUrlRefusedError,
} from '../../../../../adapters/teams/auth/service-url.js';

// The bot's token goes only to exact allowlisted hosts over https.

const allow = ['smba.trafficmanager.net', 'smba.infra.gcc.teams.microsoft.com', '127.0.0.1:8443'];

describe('service URL allowlist', () => {
  it('accepts exactly the listed hosts over https', () => {
    for (const url of [
      'https://smba.trafficmanager.net/emea/',
      'https://SMBA.trafficmanager.net/amer/',
      'https://smba.trafficmanager.net:443/teams/',
      'https://smba.infra.gcc.teams.microsoft.com/gcc/',
      'https://127.0.0.1:8443/amer/',
    ]) {
      expect(checkServiceUrl(url, allow).ok, url).toBe(true);
    }
  });

  it('refuses look-alikes, other schemes, credentials and garbage', () => {
    for (const url of [
      'https://evil.trafficmanager.net/emea/',
      'https://smba.trafficmanager.net.evil.example/',
      'https://smba-trafficmanager.net/',
      'https://smba.trafficmanager.net@evil.example/',
      'https://user:pw@smba.trafficmanager.net/',
      'http://smba.trafficmanager.net/emea/',
      'https://127.0.0.1:9443/amer/',
      'smba.trafficmanager.net/emea/',
      '',
      42,
      undefined,
    ]) {
      expect(checkServiceUrl(url, allow).ok, String(url)).toBe(false);
    }
  });

  it('throws a forbidden BotError that names the setting', () => {
    expect(() => assertServiceUrl('https://evil.example/', allow)).toThrow(ServiceUrlRefusedError);
    try {
      assertServiceUrl('https://evil.example/', allow);
    } catch (e) {
      expect((e as ServiceUrlRefusedError).code).toBe('forbidden');
      expect((e as Error).message).toMatch(/TEAMS_SERVICE_URL_ALLOWLIST/);
    }
  });
});
