import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startBot } from '../../../adapters/wiring/composition.js';
import { loadConfig } from '../../../bot/config/env.js';
import type { Logger } from '../../../bot/ports.js';

// The real composition's order of its services, as it logs them: the chat ports are up before the loops
// that send through them and down only after those stopped (the alert dispatcher's last passes after the
// last sync pass still reach Teams and Slack), while acknowledged Slack work finishes before those loops stop.

it('starts the chat ports before the loops that send, and stops intake first and the ports last', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'dxb-order-'));
  const lines: string[] = [];
  const record =
    (what: 'starting' | 'stopping') =>
    (obj: object, msg?: string): void => {
      const service = (obj as { service?: unknown }).service;
      if (msg === what && typeof service === 'string') lines.push(`${what} ${service}`);
    };
  const logger: Logger = {
    debug: (obj, msg) => {
      record('starting')(obj, msg);
      record('stopping')(obj, msg);
    },
    info() {},
    warn() {},
    error() {},
  };
  try {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SIMULATION_STEP_SECONDS: '0',
      DEV_CONSOLE: 'on',
      LOG_LEVEL: 'silent',
    });
    const bot = await startBot(config, { logger, autoStart: true });
    await bot.close();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  const at = (line: string): number => {
    const i = lines.indexOf(line);
    expect(i, `${line} in ${JSON.stringify(lines)}`).toBeGreaterThanOrEqual(0);
    return i;
  };
  for (const loop of ['alert dispatcher', 'relay', 'guided response', 'sdm reminders', 'user checks']) {
    expect(at('starting platforms')).toBeLessThan(at(`starting ${loop}`));
    expect(at(`stopping ${loop}`)).toBeLessThan(at('stopping platforms'));
    expect(at('stopping platform intake')).toBeLessThan(at(`stopping ${loop}`));
  }
  // The last sync pass ends before the dispatcher's last passes, which deliver what it made due.
  expect(at('stopping incident sync')).toBeLessThan(at('stopping alert dispatcher'));
});
