import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, loadConfig, redactedConfig } from '../../../../bot/config/env.js';
import { ConfigError } from '../../../../bot/errors.js';

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('loadConfig', () => {
  it('runs the embedded default with no configuration at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3978,
      HOST: '127.0.0.1',
      DATA_DIR: './data',
      INCIDENT_SOURCE: 'simulated',
      POLL_INTERVAL_SECONDS: 60,
      SLACK_API_URL: 'https://slack.com/api/',
      GRAPH_BASE_URL: 'https://graph.microsoft.com',
      devConsole: true,
    });
    expect(config.teamsServiceUrlAllowlist).toContain('smba.trafficmanager.net');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reports every problem at once, one line each, naming what to set', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      POLL_INTERVAL_SECONDS: '0',
      INCIDENT_SOURCE: 'splunk',
      SLACK_API_URL: 'not a url',
      LOG_LEVEL: 'loud',
    });
    expect(problems).toHaveLength(5);
    expect(problems.find((p) => p.startsWith('PORT:'))).toMatch(
      /whole number from 0 to 65535 \(got "eighty"\)/,
    );
    expect(problems.find((p) => p.startsWith('POLL_INTERVAL_SECONDS:'))).toMatch(/from 1/);
    expect(problems.find((p) => p.startsWith('INCIDENT_SOURCE:'))).toMatch(/simulated/);
    expect(problems.find((p) => p.startsWith('SLACK_API_URL:'))).toMatch(/absolute URL/);
    expect(problems.every((p) => !p.includes('\n'))).toBe(true);
  });

  it('never echoes a secret value in a problem', () => {
    const problems = problemsOf({
      MicrosoftAppPassword: 'hunter2-very-secret',
      DATABASE_URL: 'mysql://u:pw-secret@h/db',
    });
    expect(problems.join('\n')).not.toMatch(/hunter2|pw-secret/);
    expect(problems.some((p) => p.startsWith('MicrosoftAppId:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('DATABASE_URL:'))).toBe(true);
  });

  it('says plainly what this build cannot do yet instead of starting half-configured', () => {
    expect(problemsOf({ INCIDENT_SOURCE: 'graph' })).toEqual([
      expect.stringMatching(/^GRAPH_CLIENT_ID: required when INCIDENT_SOURCE=graph/),
      expect.stringMatching(/^GRAPH_CLIENT_SECRET: required .* or GRAPH_CLIENT_CERTIFICATE_PATH/),
    ]);
    // PostgreSQL (scale-out) is part of the build now: a postgres:// URL is accepted as it is.
    expect(loadConfig({ DATABASE_URL: 'postgres://127.0.0.1/test' }).DATABASE_URL).toBe(
      'postgres://127.0.0.1/test',
    );
  });

  it('serves the dev console only on loopback unless told otherwise', () => {
    expect(loadConfig({ HOST: '0.0.0.0' }).devConsole).toBe(false);
    expect(loadConfig({ HOST: '0.0.0.0', DEV_CONSOLE: 'on' }).devConsole).toBe(true);
    expect(loadConfig({ DEV_CONSOLE: 'off' }).devConsole).toBe(false);
  });

  it('parses the Teams service URL allowlist as exact lower-case hosts', () => {
    expect(
      loadConfig({ TEAMS_SERVICE_URL_ALLOWLIST: ' SMBA.trafficmanager.net , 127.0.0.1 ,' })
        .teamsServiceUrlAllowlist,
    ).toEqual(['smba.trafficmanager.net', '127.0.0.1']);
  });

  it('redacts secrets for logging', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-secret', SLACK_SIGNING_SECRET: 'abc' });
    const safe = JSON.stringify(redactedConfig(config));
    expect(safe).not.toMatch(/xoxb-secret|"abc"/);
    expect(safe).toMatch(/"SLACK_BOT_TOKEN":"\[set\]"/);
  });
});

describe('loadConfig with a copied .env.example', () => {
  it('treats empty values as unset', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../../../../.env.example', import.meta.url), 'utf8');
    const env = Object.fromEntries(
      text
        .split('\n')
        .filter((l) => /^[A-Za-z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(Object.keys(env).sort()).toEqual([...CONFIG_KEYS].sort());
    for (const key of CONFIG_KEYS) expect(text).toMatch(new RegExp(`# .+\\n${key}=`));
    expect(loadConfig(env)).toMatchObject({ PORT: 3978, INCIDENT_SOURCE: 'simulated', devConsole: true });
  });
});
