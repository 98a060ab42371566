import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningBot, startBot } from '../../../adapters/wiring/composition.js';
import { REPORT_LINK_KEY_FILE } from '../../../adapters/wiring/report-link-key.js';
import { loadConfig } from '../../../bot/config/env.js';
import type { Logger } from '../../../bot/ports.js';

// C12: with REPORT_LINK_SECRET unset, a report link posted before a restart still opens after it (the key
// is kept in DATA_DIR, mode 0600, and never logged); a different DATA_DIR (another replica) cannot verify it.

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const lines: string[] = [];
const record =
  (level: string) =>
  (obj: object, msg?: string): void =>
    void lines.push(`${level} ${msg ?? ''} ${JSON.stringify(obj)}`);
const logger: Logger = {
  debug: record('debug'),
  info: record('info'),
  warn: record('warn'),
  error: record('error'),
};

function boot(dataDir: string, env: Record<string, string> = {}): Promise<RunningBot> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SIMULATION_STEP_SECONDS: '0',
    DEV_CONSOLE: 'on',
    LOG_LEVEL: 'silent',
    ...env,
  });
  return startBot(config, { logger, autoStart: false });
}

/** Asks for a business review in the console and returns the chart link's path and query. */
async function chartLink(bot: RunningBot): Promise<string> {
  const res = await fetch(`${bot.url}/console/api/turn`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ personaId: 'contoso-analyst', deliveryId: randomUUID(), text: 'report 30d' }),
  });
  expect(res.status).toBe(200);
  const match = /\/reports\/[^"\s)\\]+\/chart\.png\?[^"\s)\\]+/.exec(await res.text());
  if (match === null) throw new Error('no chart link in the report card');
  return match[0];
}

const status = async (bot: RunningBot, path: string): Promise<number> =>
  (await fetch(`${bot.url}${path}`)).status;

describe('report links across a restart of the embedded default', () => {
  it('keeps working with the key kept in DATA_DIR, which is private and never logged', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'deb-linkkey-'));
    const other = mkdtempSync(join(tmpdir(), 'deb-linkkey-other-'));
    dirs.push(dataDir, other);

    let bot = await boot(dataDir);
    const link = await chartLink(bot);
    expect(await status(bot, link)).toBe(200);
    await bot.close();

    const keyFile = join(dataDir, REPORT_LINK_KEY_FILE);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyFile, 'utf8').trim();
    expect(key.length).toBeGreaterThanOrEqual(32);

    bot = await boot(dataDir);
    expect(await status(bot, link)).toBe(200);
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(key);
    await bot.close();

    // Another replica with its own DATA_DIR cannot verify it: replicas need the shared variable.
    const replica = await boot(other);
    expect(await status(replica, link)).toBe(403);
    await replica.close();
    // With the variable set, the kept key is not used (and none is made).
    const configured = mkdtempSync(join(tmpdir(), 'deb-linkkey-env-'));
    dirs.push(configured);
    const withEnv = await boot(configured, { REPORT_LINK_SECRET: 'x'.repeat(40) });
    expect(await status(withEnv, link)).toBe(403);
    await withEnv.close();
    expect(() => statSync(join(configured, REPORT_LINK_KEY_FILE))).toThrow();

    const said = lines.filter((l) => l.includes('REPORT_LINK_SECRET unset'));
    expect(said.length).toBeGreaterThanOrEqual(3);
    expect(said[0]).toMatch(/several replicas need REPORT_LINK_SECRET/);
    expect(lines.some((l) => l.includes(key))).toBe(false);
  });
});
