import { describe, expect, it } from 'vitest';
import { loadConfig, redactedConfig } from '../../../../bot/config/env.js';

// REPORT_LINK_SECRET: long enough to be a key, never shown in the logged configuration.

describe('REPORT_LINK_SECRET', () => {
  it('refuses a short secret at start-up, naming the setting and not echoing it', () => {
    let message = '';
    try {
      loadConfig({ REPORT_LINK_SECRET: 'hunter2' });
    } catch (error) {
      message = String(error);
    }
    expect(message).toMatch(/REPORT_LINK_SECRET: must be at least 32 characters/);
    expect(message).not.toContain('hunter2');
  });

  it('is optional, and redacted when set', () => {
    expect(loadConfig({}).REPORT_LINK_SECRET).toBeUndefined();
    const secret = 'k'.repeat(48);
    const config = loadConfig({ REPORT_LINK_SECRET: secret });
    expect(config.REPORT_LINK_SECRET).toBe(secret);
    expect(JSON.stringify(redactedConfig(config))).not.toContain(secret);
  });
});
