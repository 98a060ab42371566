import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config/env.js';
import { type BotConnectorStandIn, startBotConnectorStandIn } from '../support/bot-connector-standin.js';
import { rawRequest } from '../support/raw-http.js';
import { type SpawnedBot, spawnBot } from '../support/spawn-bot.js';

// The dev console lets its user act as anyone. Against the real process: it answers only at its own
// loopback names (a DNS-rebound page sends its own Host), takes changes only from its own origin, and is
// off beside a real platform unless DEV_CONSOLE=on, which the process warns about at start-up.

let s: BotConnectorStandIn;
const started: { bot: SpawnedBot; dir: string }[] = [];

async function start(env: Record<string, string>): Promise<{ bot: SpawnedBot; url: string; port: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'sec-console-'));
  const bot = spawnBot({ DATA_DIR: dir, SIMULATION_STEP_SECONDS: '0', LOG_LEVEL: 'warn', ...env });
  started.push({ bot, dir });
  const url = await bot.ready;
  return { bot, url, port: Number(new URL(url).port) };
}

beforeAll(async () => {
  s = await startBotConnectorStandIn();
});
afterAll(async () => {
  for (const { bot, dir } of started) {
    bot.child.kill('SIGTERM');
    await bot.exited;
    rmSync(dir, { recursive: true, force: true });
  }
  await s?.close();
});

const turn = (personaId: string, text: string): string =>
  JSON.stringify({ deliveryId: randomUUID(), personaId, text });

describe('the dev console on its own', () => {
  let url = '';
  let port = 0;
  beforeAll(async () => {
    ({ url, port } = await start({}));
  });

  it('refuses every console route for a Host that is not its own loopback name', async () => {
    for (const host of [
      'rebind.attacker.example',
      `rebind.attacker.example:${port}`,
      '127.0.0.1:1',
      '10.0.0.5',
    ]) {
      const page = await rawRequest(`${url}/`, 'GET', { host });
      expect(page.status, host).toBe(403);
      expect(page.body).not.toContain('<html');
      const personas = await rawRequest(`${url}/console/api/personas`, 'GET', { host });
      expect(personas.status, host).toBe(403);
      const posted = await rawRequest(
        `${url}/console/api/turn`,
        'POST',
        { host, 'content-type': 'application/json' },
        turn('contoso-analyst', 'ask please escalate everything'),
      );
      expect(posted.status, host).toBe(403);
      expect(posted.body).not.toContain('Question');
    }
  });

  it('answers at 127.0.0.1, localhost and [::1] on its own port', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect((await rawRequest(`${url}/`, 'GET', { host })).status, host).toBe(200);
    }
  });

  it('takes a change only from its own origin', async () => {
    const host = `127.0.0.1:${port}`;
    const post = (headers: Record<string, string>) =>
      rawRequest(
        `${url}/console/api/turn`,
        'POST',
        { host, 'content-type': 'application/json', ...headers },
        turn('contoso-analyst', 'help'),
      );
    expect((await post({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await post({ origin: 'null' })).status).toBe(403);
    expect((await post({ origin: `http://localhost:${port}` })).status).toBe(403);
    expect((await post({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post({ origin: `http://${host}`, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await post({})).status).toBe(200);
  });
});

describe('the dev console beside a real platform', () => {
  it('is off when Teams is configured and DEV_CONSOLE is not set', async () => {
    const { url, port } = await start(s.env('127.0.0.1'));
    expect((await rawRequest(`${url}/`, 'GET', { host: `127.0.0.1:${port}` })).status).toBe(404);
    const posted = await rawRequest(
      `${url}/console/api/turn`,
      'POST',
      { host: `127.0.0.1:${port}`, 'content-type': 'application/json' },
      turn('contoso-analyst', 'help'),
    );
    expect(posted.status).toBe(404);
  });

  it('is on with DEV_CONSOLE=on, and the process warns at start-up', async () => {
    const { bot, url, port } = await start({ ...s.env('127.0.0.1'), DEV_CONSOLE: 'on' });
    expect((await rawRequest(`${url}/`, 'GET', { host: `127.0.0.1:${port}` })).status).toBe(200);
    expect(bot.output()).toMatch(
      /"level":40.*dev console is on \(DEV_CONSOLE=on\) while Teams is configured/,
    );
  });

  it('decides the same from configuration alone, for Slack as for Teams', () => {
    expect(loadConfig({ SLACK_SIGNING_SECRET: 'x'.repeat(32) }).devConsole).toBe(false);
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' }).devConsole).toBe(false);
    expect(loadConfig({ MicrosoftAppId: 'app' }).devConsole).toBe(false);
    const forced = loadConfig({ MicrosoftAppId: 'app', DEV_CONSOLE: 'on' });
    expect(forced.devConsole).toBe(true);
    expect(forced.devConsoleWarning).toMatch(/Teams is configured/);
    expect(loadConfig({}).devConsoleWarning).toBeNull();
  });
});
